"""Attachments: files kept beside a record (meeting minutes, inspection evidence, filings).

One facility for every module that stores files:

- :class:`AttachmentBase`, an abstract scoped model (random stored name outside the web root,
  the user's file name kept only as data, size, content type, uploader); a module subclasses
  it with the foreign key to its record and the record's ``scope_path``;
- :func:`validate_upload`, the type and size checks (extension in the allowed list, at most
  ``max_mb``, not empty, first bytes matching the type: a renamed executable is refused);
- :func:`store`, which checks and saves one upload; :func:`serve`, the download view body
  that answers 404 outside the user's scope and never lets the browser sniff the type.

The generated suite ``dangjian.core.testing.facilities.AttachmentSuite`` tests a module's
upload and download screens against these rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import ScopedModel
from dangjian.core.scoping import get_scoped_or_404

#: The first bytes of each accepted type (text is checked by decoding instead).
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "ppt": (b"\xd0\xcf\x11\xe0",),
}
#: The content type a download is served with, per accepted extension.
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    "txt": "text/plain",
}


def extensions(listed: str) -> set[str]:
    """The extensions of a comma-separated rules field ("pdf, .docx,jpg")."""
    return {e.strip().lower().lstrip(".") for e in listed.split(",") if e.strip()}


def attachment_path(instance: Any, filename: str) -> str:
    """A random stored name under the model's ``upload_prefix``: the user's file name is kept
    only as data, never as a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance.upload_prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext[:8]}"


class AttachmentBase(ScopedModel):
    """A stored file. Subclasses add the foreign key to their record, ``scope_area``,
    ``scope_path`` (through that record) and ``upload_prefix`` (the storage folder)."""

    upload_prefix = "attachments"

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


def validate_upload(upload: UploadedFile, *, allowed: Iterable[str], max_mb: int) -> str:
    """Check extension, size and the file's first bytes; return the normalized extension.

    Raises ``ValidationError`` with the sentence the user reads next to the file field.
    """
    allowed = set(allowed)
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed or ext not in CONTENT_TYPES:
        raise ValidationError(gettext("This file type is not allowed. Allowed: %(types)s")
                              % {"types": "、".join(sorted(allowed))})
    if (upload.size or 0) > max_mb * 1024 * 1024:
        raise ValidationError(gettext("The file is larger than %(mb)d MB.") % {"mb": max_mb})
    if not upload.size:
        raise ValidationError(gettext("The file is empty."))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if ext == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise ValidationError(gettext("The file's content does not match its type.")) from exc
    elif not any(head.startswith(m) for m in MAGIC[ext]):
        raise ValidationError(gettext("The file's content does not match its type."))
    return ext


def store(attachment: AttachmentBase, upload: UploadedFile, *, actor: Any, allowed: Iterable[str],
          max_mb: int) -> AttachmentBase:
    """Check ``upload`` and save it as ``attachment`` (its record already set), in the
    caller's transaction (the row is audited like every scoped write)."""
    ext = validate_upload(upload, allowed=allowed, max_mb=max_mb)
    attachment.original_name = (upload.name or "")[:200]
    attachment.size = upload.size or 0
    attachment.content_type = CONTENT_TYPES[ext]
    attachment.uploaded_by = actor
    attachment.file.save(upload.name or f"file.{ext}", upload, save=False)
    attachment.save()
    return attachment


def serve(request: HttpRequest, model: type[AttachmentBase], pk: Any) -> FileResponse:
    """Serve one attachment to a user who may see its record (404 otherwise), as a download
    the browser may not reinterpret."""
    attachment = get_scoped_or_404(request.user, model, "view", pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class AttachmentForm(forms.Form):
    """The one-file upload form of a record's attachments card."""

    file = forms.FileField(label=_("file"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
