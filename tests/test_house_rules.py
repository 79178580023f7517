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
