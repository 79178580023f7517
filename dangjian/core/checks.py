"""System checks that keep the house rules (scoping declared, production safe)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

#: Django's own tables; a module's infrastructure tables are declared in its
#: declarations.py (``unscoped_models``).
UNSCOPED_ALLOWED = {"contenttypes.contenttype", "auth.permission", "auth.group", "sessions.session"}


@register()
def every_model_declares_scope(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every model of ours declares scope_area and scope_path (None for global tables)."""
    from dangjian.core.modules import unscoped_models

    allowed = UNSCOPED_ALLOWED | set(unscoped_models())
    errors = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in allowed or not model.__module__.startswith("dangjian."):
            continue
        if not getattr(model, "scope_area", None) or not hasattr(model, "scope_path"):
            errors.append(Error(f"{label} does not declare scope_area and scope_path", id="dangjian.E001", obj=model))
        elif not hasattr(model._default_manager.all(), "visible_to"):
            errors.append(Error(f"{label}'s manager has no visible_to()", id="dangjian.E002", obj=model))
    return errors


@register()
def scope_areas_are_declared(app_configs: Any = None, models: Iterable[Any] | None = None, **kwargs: Any) -> list[Error]:
    """Every model's ``scope_area`` is a permission area some module declares with at least
    one role (the role matrix): otherwise nobody could ever reach its rows, silently."""
    from dangjian.core.modules import areas

    declared = {code for code, area in areas().items() if area.roles}
    errors = []
    for model in apps.get_models() if models is None else models:
        area = getattr(model, "scope_area", None)
        if area and area not in declared:
            errors.append(Error(f"{model._meta.label_lower}.scope_area {area!r} is not a permission area of the role "
                                f"matrix: declare it in its module's declarations.py (Area)",
                                id="dangjian.E004", obj=model))
    return errors


@register()
def constraints_declare_sentences(app_configs: Any = None, models: Iterable[Any] | None = None,
                                  **kwargs: Any) -> list[Error]:
    """Every constraint of a scoped model (rows users write) declares the sentence a user reads
    when they violate it (``violation_error_message``): never the constraint's name."""
    from dangjian.core.errors import declared_sentence
    from dangjian.core.modules import unscoped_models

    infrastructure = set(unscoped_models())
    errors = []
    for model in apps.get_models() if models is None else models:
        if not model.__module__.startswith("dangjian.") or model._meta.label_lower in infrastructure:
            continue
        for constraint in model._meta.constraints:
            if not declared_sentence(constraint):
                errors.append(Error(f"{model._meta.label_lower}: constraint {constraint.name!r} declares no "
                                    f"violation_error_message (the sentence a user reads instead of its name)",
                                    id="dangjian.E006", obj=model))
    return errors


def recorded_audit_codes(path: Path) -> set[str]:
    """The constant event codes a source file records with ``audit.record("code", ...)`` (also
    ``"a" if x else "b"``)."""
    source = path.read_text(encoding="utf-8")
    codes: set[str] = set()
    if "audit.record(" not in source:  # parsing every file made each manage.py command 6 s slower
        return codes
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        is_record = (isinstance(func, ast.Attribute) and func.attr == "record"
                     and isinstance(func.value, ast.Name) and func.value.id == "audit")
        if not is_record:
            continue
        first = node.args[0]
        for value in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                codes.add(value.value)
    return codes


def _source_files(config: AppConfig) -> list[Path]:
    root = Path(config.path)
    return sorted(p for p in root.rglob("*.py") if not ({"tests", "migrations", "testing"} & set(p.relative_to(root).parts)))


@register()
def audit_codes_have_labels(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Every audit event code our code records has a declared label (the audit admin would
    otherwise read a raw code such as ``generate_bills``)."""
    from dangjian.core.modules import audit_event_labels

    labels = audit_event_labels()
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    errors = []
    for config in configs:
        if not config.name.startswith("dangjian."):
            continue
        for path in _source_files(config):
            for code in sorted(recorded_audit_codes(path) - labels.keys()):
                errors.append(Error(f"audit event {code!r} recorded in {path} has no label: add it to audit_events "
                                    f"in {config.name}.declarations", id="dangjian.E005"))
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


def _same_catalog(po: Any, mo: Any) -> bool:
    """Whether the .mo holds exactly what the .po compiles to (a checkout may touch the .po's
    time without changing it)."""
    import polib  # type: ignore[import-untyped]

    return bool(polib.pofile(str(po)).to_binary() == mo.read_bytes())


@register()
def compiled_catalogs_current(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A missing or stale .mo silently shows English: fail instead (docs/i18n.md)."""
    from pathlib import Path

    errors = []
    for base in settings.LOCALE_PATHS:
        for po in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists():
                errors.append(Error(f"{mo} is missing", hint="run `manage.py compile_catalog`",
                                    id="dangjian.E021"))
            elif mo.stat().st_mtime < po.stat().st_mtime and not _same_catalog(po, mo):
                errors.append(Error(f"{mo} is older than {po.name}", hint="run `manage.py compile_catalog`",
                                    id="dangjian.E021"))
    return errors


@register(Tags.staticfiles)
def vendor_assets_staged(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Where node_modules exists (a development or build machine), the staged copy of the
    front-end libraries must be complete and current (core/vendor.py)."""
    from dangjian.core import vendor

    if not vendor.node_modules().is_dir():
        return []  # a server installed from the release bundle serves STATIC_ROOT only
    return [Error(problem, hint="run `manage.py vendor_assets` (scripts/setup does)", id="dangjian.E020")
            for problem in vendor.problems()]


@register(Tags.staticfiles, deploy=True)
def static_manifest_collected(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """With the manifest storage every page needs staticfiles.json: without it each page is a 500."""
    from pathlib import Path

    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        return [Error(f"no static manifest in {settings.STATIC_ROOT}", hint="run `manage.py collectstatic`",
                      id="dangjian.E022")]
    return []
