"""Small helpers shared by the dues work screens."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.core.scoping import scope_for


def render_form(request: HttpRequest, form: Any, *, title: Any, submit: Any, intro: Any = "",
                status: int = 200, method: str = "post") -> HttpResponse:
    """A one-form screen (pickers, decisions) in the dues layout."""
    return render(request, "dues/form.html", {"form": form, "title": title, "submit": submit, "intro": intro,
                                              "method": method}, status=status)


def require_area(request: HttpRequest, action: str = "view") -> None:
    """404 unless the user has some dues scope for ``action``."""
    if scope_for(request.user, "dues", action).is_empty:
        raise Http404


def list_url(name: str, **params: Any) -> str:
    """A dues list filtered by ``params`` (empty values left out): where a total opens into its rows."""
    return reverse(f"dues:{name}_list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def attachment(content: bytes, filename: str, content_type: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)
