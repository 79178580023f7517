"""Lints that encode review comments (ARCHITECTURE.md, "Rules of the house").

Views, forms, filter sets and API code must read rows through the scoping mechanism: a raw
``Model.objects`` chain there is refused unless it goes through ``visible_to`` or the line
explains why it is safe with a ``# scope-ok: <reason>`` comment.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "dangjian"
#: Infrastructure tables with no organization (sessions, tokens, idempotency records, lock
#: counters): they belong to the request's own user, not to a branch.
INFRASTRUCTURE = {"ApiToken", "IdempotencyRecord", "LoginLock", "PasswordHistory", "Session"}
CHECKED = ("views.py", "forms.py", "filtersets.py", "auditviews.py", "pages.py")


def checked_files() -> list[Path]:
    files = [p for name in CHECKED for p in ROOT.rglob(name)]
    files += list(ROOT.rglob("api/*.py")) + list(ROOT.rglob("views/*.py"))  # a views.py split into a package
    return sorted(p for p in set(files) if "migrations" not in p.parts and "tests" not in p.parts)


def raw_manager_uses(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    problems = []
    tree = ast.parse(source)
    # Declarations the generic machinery scopes itself: a ModelViews' ``queryset = ...`` and a
    # form or filter field's ``queryset=...`` (narrowed by narrow_choices).
    declared: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "queryset":
            declared.update(range(node.value.lineno, (node.value.end_lineno or node.value.lineno) + 1))
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "queryset" for t in stmt.targets):
                    declared.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            line = lines[node.lineno - 1]
            # the whole statement the manager appears in
            end = getattr(node, "end_lineno", node.lineno)
            statement = "\n".join(lines[node.lineno - 1 : end + 3])
            if "visible_to" in statement or "# scope-ok:" in line or node.lineno in declared:
                continue
            if isinstance(node.value, ast.Name) and node.value.id in INFRASTRUCTURE:
                continue
            problems.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {line.strip()}")
    return problems


@pytest.mark.parametrize("path", checked_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_raw_manager_in_views_forms_filtersets(path: Path) -> None:
    assert raw_manager_uses(path) == []


def test_lint_catches_a_raw_manager(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("def v(request):\n    return Member.objects.filter(pk=1)\n", encoding="utf-8")
    good = tmp_path / "forms.py"
    good.write_text("def v(request):\n    return Member.objects.visible_to(request.user).filter(pk=1)\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path.parent
    try:
        assert raw_manager_uses(bad) and not raw_manager_uses(good)
    finally:
        ROOT = saved


def test_no_all_fields_or_exclude_in_forms() -> None:
    """AC-03: forms and serializers list their fields explicitly."""
    offenders = []
    for path in [*ROOT.rglob("forms.py"), *ROOT.rglob("serializers.py"), *ROOT.rglob("filtersets.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"fields\s*=\s*['\"]__all__['\"]|^\s+exclude\s*=", text, re.M):
            offenders.append(str(path))
    assert offenders == []


# --- An API never imports screens ----------------------------------------------------------------
#
# ARCHITECTURE.md: a module "never imports another module's views, forms or API"; an API that
# needs what a screen computes (a scope, a message) gets it from the core or the module's
# services/rules, where both can reach it.

SCREEN_MODULES = {"views", "forms"}


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every module ``path`` imports, relative imports resolved."""
    package = list(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def screen_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Imports of a module's ``views`` or ``forms`` (``dangjian.<app>.views...``) in ``path``."""
    problems = []
    for line, name in imported_modules(path, root):
        parts = name.split(".")
        if len(parts) >= 3 and parts[0] == root.name and parts[2] in SCREEN_MODULES:
            problems.append(f"{path.relative_to(root.parent)}:{line}: imports {name}")
    return sorted(set(problems))


def api_files(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.rglob("api/**/*.py") if "tests" not in p.parts)


@pytest.mark.parametrize("path", api_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_an_api_never_imports_views_or_forms(path: Path) -> None:
    assert screen_imports(path) == []


def test_lint_catches_an_api_importing_a_screen(tmp_path: Path) -> None:
    root = tmp_path / "dangjian"
    api = root / "meetings" / "api"
    api.mkdir(parents=True)
    bad = api / "views.py"
    bad.write_text("from dangjian.meetings.views import compliance_scope\n"
                   "from ..forms import MeetingForm\n"
                   "import dangjian.dues.views.work\n", encoding="utf-8")
    good = api / "serializers.py"
    good.write_text("from rest_framework.views import APIView\n"
                    "from dangjian.meetings.api.views import MeetingViewSet\n"
                    "from . import views\n"
                    "from dangjian.core.scoping import chosen_subtree\n", encoding="utf-8")
    assert screen_imports(bad, root) == [
        "dangjian/meetings/api/views.py:1: imports dangjian.meetings.views",
        "dangjian/meetings/api/views.py:1: imports dangjian.meetings.views.compliance_scope",
        "dangjian/meetings/api/views.py:2: imports dangjian.meetings.forms",
        "dangjian/meetings/api/views.py:2: imports dangjian.meetings.forms.MeetingForm",
        "dangjian/meetings/api/views.py:3: imports dangjian.dues.views.work",
    ]
    assert screen_imports(good, root) == []
    assert api_files(root) == [good, bad]


# -- dates where they are read ---------------------------------------------------------------
#: A read date shows 2026年12月1日 through the ``cn_date`` filter (core/templatetags/ui.py); a
#: template writing ``|date:"Y-m-d"`` by hand is refused unless reviewed here: template (relative
#: to dangjian/) -> number of such dates, with the reason.
ISO_DATES_ALLOWED = {
    # a running job's start and finish to the second: the seconds are the point (how long it ran)
    "core/templates/core/job_detail.html": 2,
    # machine values: a hidden input's value and filter parameters of links (the lists read ISO)
    "dues/templates/dues/arrears.html": 1,
    "dues/templates/dues/statement_detail.html": 3,
    "meetings/templates/meetings/compliance.html": 4,
}
HAND_ISO_DATE = re.compile(r"""\|\s*date\s*:\s*["']Y-m-d""")


def hand_written_iso_dates(root: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.html")):
        count = len(HAND_ISO_DATE.findall(path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(root).as_posix()] = count
    return found


def test_read_dates_go_through_cn_date() -> None:
    found = hand_written_iso_dates(ROOT)
    unreviewed = {path: n for path, n in found.items() if n > ISO_DATES_ALLOWED.get(path, 0)}
    assert not unreviewed, (f"dates written as ISO by hand: {unreviewed}; show a read date with |cn_date "
                            "(an input's value or a machine value keeps ISO: add it to ISO_DATES_ALLOWED with why)")
    assert set(ISO_DATES_ALLOWED) <= set(found), "a reviewed ISO date is gone: remove it from ISO_DATES_ALLOWED"


def test_lint_catches_a_hand_written_iso_date(tmp_path: Path) -> None:
    page = tmp_path / "x" / "templates" / "x" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text('{% load ui %}{{ a.day|cn_date }} {{ b.day|date:"Y-m-d" }} {{ c.at | date:\'Y-m-d H:i\' }}', encoding="utf-8")
    assert hand_written_iso_dates(tmp_path) == {"x/templates/x/page.html": 2}
