"""The uploaded file: name and type checks, storage under a generated name, the hostile-file
inspection before any parser sees the bytes (SECURITY.md IO-04, DP-04).

Uploads go through Django's storage API (``STORAGES["imports"]`` when configured, else the
default storage): on one machine that is ``MEDIA_ROOT/imports/``; several app nodes and the
workers share a volume or an S3-compatible store (docs/deploy.md). Only a generated name is
ever used as a storage name; the user's file name is displayed, never stored as a name.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from dangjian.core.models import ImportBatch

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_CONTENT_TYPES = ("application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.ms-excel.sheet.macroEnabled.12")
INSTRUCTIONS_SHEET = "说明"
OPTIONS_SHEET = "选项"
PREVIEW_ROWS = 10
STORED_PROBLEMS = 10_000  # problems kept on a staged batch (the count is always exact)
SHOWN_PROBLEMS = 500  # problems listed on the preview page (all are in the .xlsx report)
EMPTY_ROWS_END = 1_000  # this many empty rows in a row end the data (formatted but unused rows)

DEFAULT_LIMITS: dict[str, int] = {
    "max_bytes": 10 * 1024 * 1024,  # the uploaded file
    "max_rows": 20_000,  # data rows
    "max_entries": 500,  # parts inside the zip container
    "max_uncompressed": 100 * 1024 * 1024,  # all parts expanded
    "max_ratio": 200,  # expanded / compressed, for parts above 1 MB
    "stale_hours": 24,  # staged uploads not confirmed by then are discarded
}


def limits() -> dict[str, int]:
    """The import limits: the defaults above, overridden by ``settings.DANGJIAN["IMPORT_LIMITS"]``."""
    configured = getattr(settings, "DANGJIAN", {}).get("IMPORT_LIMITS", {})
    return {**DEFAULT_LIMITS, **configured}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


class ImportRefused(Exception):
    """The file as a whole is refused (hostile, not a workbook, already imported ...).

    ``code`` is stable for clients and tests; ``message`` is the Chinese sentence for users.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message



# --- the uploaded file: stored under a generated name, hashed, inspected ---------------------

FOLDER = "imports"
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.xlsx")


def storage() -> Storage:
    """Where uploads wait: ``STORAGES["imports"]`` if the deployment names one, else the default
    storage (``MEDIA_ROOT`` on one machine; a shared volume or S3/MinIO for several nodes)."""
    return storages["imports"] if "imports" in settings.STORAGES else storages["default"]


def display_name(name: str | None) -> str:
    """The user's file name for display only: last path part, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or "upload.xlsx"


def check_name_and_type(name: str, content_type: str | None) -> None:
    """Refuse by name and declared type before reading a byte: .xlsx only, no macro files."""
    lower = name.lower()
    declared = (content_type or "").split(";")[0].strip().lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")) or declared in {t.lower() for t in MACRO_CONTENT_TYPES}:
        raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
    if not lower.endswith(".xlsx"):
        raise ImportRefused("not_xlsx", gettext("Only Excel workbooks in .xlsx format can be imported."))


def too_large() -> ImportRefused:
    return ImportRefused("too_large", gettext("The file is larger than %(mb)s MB; split it into several files.")
                         % {"mb": _mb(limits()["max_bytes"])})


@dataclass
class StoredUpload:
    """An upload saved in :func:`storage` under a generated name, with its SHA-256 and size."""

    name: str  # the generated name inside the storage folder: <32 hex>.xlsx
    file_name: str  # the user's name, for display
    sha256: str
    size: int

    @property
    def storage_name(self) -> str:
        return f"{FOLDER}/{self.name}"

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The stored bytes (a seekable binary file, whatever the storage)."""
        try:
            handle = storage().open(self.storage_name, "rb")
        except (FileNotFoundError, OSError) as exc:
            raise ImportRefused("gone", gettext("The uploaded file is no longer available; please upload it again.")) from exc
        try:
            yield handle
        finally:
            handle.close()

    def remove(self) -> None:
        try:
            storage().delete(self.storage_name)
        except FileNotFoundError:
            pass


def store_upload(upload: UploadedFile) -> StoredUpload:
    """Save an upload to :func:`storage` under a random name (never the user's), hashing it and
    enforcing the size cap on the bytes actually received."""
    name = display_name(upload.name)
    check_name_and_type(name, getattr(upload, "content_type", None))
    cap = limits()["max_bytes"]
    if upload.size is not None and upload.size > cap:
        raise too_large()
    digest = hashlib.sha256()
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
        for chunk in upload.chunks():
            size += len(chunk)
            if size > cap:
                raise too_large()
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ImportRefused("empty", gettext("The file is empty."))
        spool.seek(0)
        generated = f"{uuid.uuid4().hex}.xlsx"
        saved = storage().save(f"{FOLDER}/{generated}", File(spool, name=generated))
    stored = StoredUpload(PurePosixPath(saved).name, name, digest.hexdigest(), size)
    if not _STORED_NAME.fullmatch(stored.name):  # the storage renamed it: never use what we did not generate
        storage().delete(saved)
        raise ImportRefused("gone", gettext("The uploaded file is no longer available; please upload it again."))
    return stored


def stored_file(batch: ImportBatch) -> StoredUpload:
    """The staged file of a batch (its generated name is checked before it becomes a storage name)."""
    if not _STORED_NAME.fullmatch(batch.stored_name or ""):
        raise ImportRefused("gone", gettext("The uploaded file is no longer available; please upload it again."))
    return StoredUpload(batch.stored_name, batch.file_name, batch.sha256, batch.size)


_DECLARATIONS = (b"<!doctype", b"<!entity")


def _has_xml_declarations(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD or entities (billion laughs, external entities)."""
    tail = b""
    with zf.open(info) as part:
        while chunk := part.read(256 * 1024):
            window = (tail + chunk).lower()
            if any(marker in window for marker in _DECLARATIONS):
                return True
            tail = window[-16:]
    return False


WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "xl/workbook.xml"})
WORD_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})


def inspect_workbook(source: Path | str | IO[bytes], *, required_parts: frozenset[str] = WORKBOOK_PARTS) -> None:
    """Refuse anything but a plain .xlsx container, before openpyxl parses it (IO-04).

    The same container checks serve Word (.docx) uploads with ``required_parts=WORD_PARTS``.

    Checks, in order: zip signature (renamed executables, encrypted or legacy .xls files),
    number of parts, encrypted parts, unsafe part names, macro parts, total expanded size and
    compression ratio (zip bombs), the parts a workbook must have, and DTD / entity declarations
    in any XML part (entity expansion). Declared sizes are upper bounds: Python's zipfile never
    inflates a part beyond its declared size, it fails the CRC check instead.
    """
    lim = limits()
    not_workbook = ImportRefused("not_xlsx", gettext(
        "The file is not a valid .xlsx workbook (it may be encrypted, damaged, or another kind of file renamed "
        "to .xlsx)."))
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            inspect_workbook(fh, required_parts=required_parts)
        return
    source.seek(0)
    if source.read(4) != b"PK\x03\x04":
        raise not_workbook
    source.seek(0)
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_workbook from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > lim["max_entries"]:
            raise ImportRefused("zip_entries", gettext("The workbook contains an abnormal number of parts; it was refused."))
        names = {info.filename for info in infos}
        for info in infos:
            part = PurePosixPath(info.filename)
            if info.flag_bits & 0x1:
                raise not_workbook
            if info.filename.startswith("/") or "\\" in info.filename or ".." in part.parts:
                raise ImportRefused("zip_path", gettext("The workbook contains parts with unsafe names; it was refused."))
            lower = info.filename.lower()
            if lower.endswith("vbaproject.bin") or lower.startswith(("xl/macrosheets/", "xl/activex/")):
                raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
        expanded = sum(info.file_size for info in infos)
        if expanded > lim["max_uncompressed"]:
            raise ImportRefused("zip_bomb", gettext("The workbook expands to more than %(mb)s MB (a possible zip bomb); it was "
                                              "refused.") % {"mb": _mb(lim["max_uncompressed"])})
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > lim["max_ratio"] * max(info.compress_size, 1):
                raise ImportRefused("zip_bomb", gettext("The workbook is compressed abnormally strongly (a possible zip "
                                                  "bomb); it was refused."))
        if not required_parts <= names:
            raise not_workbook
        try:
            content_types = zf.read("[Content_Types].xml").lower()
            if b"macroenabled" in content_types or b"vbaproject" in content_types:
                raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_xml_declarations(zf, info):
                    raise ImportRefused("xml_dtd", gettext("The workbook contains XML declarations (DTD or entities) that are "
                                                     "not allowed; it was refused."))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC errors, truncated parts
            raise not_workbook from exc
