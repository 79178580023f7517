"""Step-up re-authentication before sensitive actions (SECURITY.md SESS-02), as core sees it.

Core screens that do something sensitive (a bulk export of personal data, approving a request
that moves money) ask :func:`gate`; the accounts app answers through the function named by
``DANGJIAN["STEP_UP_GATE"]`` (``None``: the last re-authentication is recent enough, else the
response that sends the user to confirm it is still them). Core never imports accounts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string


def gate(request: HttpRequest) -> HttpResponse | None:
    path = str(settings.DANGJIAN.get("STEP_UP_GATE") or "")
    if not path:
        return None
    response: HttpResponse | None = import_string(path)(request)
    return response


def holds_personal_data(model: Any) -> bool:
    """The model's permission area holds business personal data (``Area(member_data=True)``)."""
    from dangjian.core.modules import areas

    area = areas().get(str(getattr(model, "scope_area", "")))
    return bool(area is not None and area.member_data)
