"""System checks that keep the house rules (scoping declared, production safe)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

#: Models that are infrastructure, not data a user reaches through pages.
UNSCOPED_ALLOWED = {
    "contenttypes.contenttype", "auth.permission", "auth.group", "sessions.session",
    "accounts.loginlock", "accounts.passwordhistory", "accounts.apitoken", "core.idempotencyrecord",
    # reached only by its uploader (dangjian.core.imports), never through a list
    "core.importbatch",
}


@register()
def every_model_declares_scope(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every model of ours declares scope_area and scope_path (None for global tables)."""
    errors = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNSCOPED_ALLOWED or not model.__module__.startswith("dangjian."):
            continue
        if not getattr(model, "scope_area", None) or not hasattr(model, "scope_path"):
            errors.append(Error(f"{label} does not declare scope_area and scope_path", id="dangjian.E001", obj=model))
        elif not hasattr(model._default_manager.all(), "visible_to"):
            errors.append(Error(f"{label}'s manager has no visible_to()", id="dangjian.E002", obj=model))
    return errors


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Production must carry explicit keys, no superusers, the SQLite profile (CFG-01)."""
    problems: list[Any] = []
    if getattr(settings, "SECRET_KEY_MISSING", False):
        problems.append(Error("SECRET_KEY is not set", id="dangjian.E010"))
    if not settings.FIELD_ENCRYPTION_KEYS:
        problems.append(Warning("FIELD_ENCRYPTION_KEYS is not set", id="dangjian.W001"))
    if settings.SESSION_ENGINE.endswith("signed_cookies"):
        problems.append(Warning("sessions must be server-side", id="dangjian.W002"))
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        init = db.get("OPTIONS", {}).get("init_command", "")
        if "synchronous=FULL" not in init or db.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            problems.append(Warning("SQLite must run WAL, synchronous=FULL, IMMEDIATE", id="dangjian.W003"))
    if db.get("ATOMIC_REQUESTS"):
        problems.append(Warning("ATOMIC_REQUESTS must be off", id="dangjian.W004"))
    try:
        from django.contrib.auth import get_user_model
        from django.db import DatabaseError

        if get_user_model().objects.filter(is_superuser=True).exists():
            problems.append(Warning("a superuser account exists (AUTH-04)", id="dangjian.W005"))
    except DatabaseError:
        pass
    return problems


def defusedxml_in_use() -> bool:
    """Whether openpyxl parses workbook XML through defusedxml (no DTDs, no entity expansion)."""
    try:
        from openpyxl import xml
        from openpyxl.xml import functions
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        return False
    # Worksheets and shared strings are read with iterparse; with lxml present openpyxl parses
    # the small workbook parts with lxml and resolve_entities=False.
    return bool(xml.DEFUSEDXML) and functions.iterparse.__module__.startswith("defusedxml")


@register()
def spreadsheet_parser_is_defused(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Excel imports must not parse XML with a DTD-resolving parser (SECURITY.md IO-04)."""
    if defusedxml_in_use():
        return []
    return [Error("openpyxl does not use defusedxml: install defusedxml and unset OPENPYXL_DEFUSEDXML / "
                  "uninstall lxml", id="dangjian.E003")]
