"""Lints of the translation conventions (docs/i18n.md), over every .py file with ``ast``.

1. One gettext alias convention, so that ``makemessages`` (xgettext with the keywords of
   dangjian/core/management/commands/makemessages.py) finds every msgid the code looks up:
   ``_`` is ``gettext_lazy`` and is called at import time only (module level, class bodies,
   default values, decorators); inside a function or lambda the plain functions are called by
   their own names (``gettext``, ``pgettext``, ``ngettext``, ``npgettext``); the other lazy
   forms keep their names too. No other alias, no calls through the ``translation`` module.
   A function that builds a declaration which is kept (a module's menu, built once and cached)
   says so with ``# lazy-ok: <reason>`` on its ``def`` line and is treated like module level.
2. No Chinese string literals in code: the interface is English msgids translated in the
   catalog. Not checked: docstrings, migrations (seed data), demo data, tests and test helpers,
   locale formats, and a line that says why with ``# zh-ok: <reason>`` (data the platform
   reads, e.g. the Chinese headers of an Excel template it must recognize). The files still
   holding literals are listed in ``CHINESE_EXEMPT`` with their count: a list that only
   shrinks (the test fails when a count grows *and* when it could be lowered).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = "django.utils.translation"
PLAIN = {"gettext", "pgettext", "ngettext", "npgettext"}
LAZY = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy", "npgettext_lazy"}
OTHER = {"gettext_noop"}
ALIAS = {"gettext_lazy": "_"}  # the only renamed import


def python_files(*folders: str) -> list[Path]:
    files = [p for folder in folders for p in (ROOT / folder).rglob("*.py")]
    return sorted(p for p in files if "migrations" not in p.parts)


# --- 1. the alias convention -----------------------------------------------------------------


def alias_problems(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    problems: list[str] = []
    names: dict[str, str] = {}  # local name -> translation function
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == MODULE:
            for alias in node.names:
                if alias.name not in PLAIN | LAZY | OTHER:
                    continue
                expected = ALIAS.get(alias.name, alias.name)
                if (alias.asname or alias.name) != expected:
                    problems.append(f"{where}:{node.lineno}: import {alias.name} as {expected!r}, "
                                    f"not {alias.asname or alias.name!r}")
                names[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            modules.update(a.asname or a.name for a in node.names if a.name == "translation")
        elif isinstance(node, ast.Import):
            modules.update(a.asname for a in node.names if a.name == MODULE and a.asname)

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in modules and func.attr in PLAIN | LAZY):
                problems.append(f"{where}:{node.lineno}: call {func.attr}() by its imported name, "
                                f"not through {func.value.id}. (xgettext would miss it)")
            elif isinstance(func, ast.Name) and func.id in names:
                function = names[func.id]
                if in_function and function in LAZY:
                    plain = function.removesuffix("_lazy")
                    problems.append(f"{where}:{node.lineno}: inside a function call {plain}(), not {func.id}()")
                elif not in_function and function in PLAIN:
                    lazy = ALIAS.get(f"{function}_lazy", f"{function}_lazy")
                    problems.append(f"{where}:{node.lineno}: at import time call {lazy}(), not {func.id}() "
                                    "(no language is active yet)")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for child in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if child is not None:
                    visit(child, in_function)
            # "# lazy-ok: <reason>" on the def line: the function builds a declaration that is
            # kept (cached menus), so its strings must stay lazy like module-level ones.
            kept = "# lazy-ok:" in lines[node.lineno - 1]
            for child in node.body:
                visit(child, not kept)
            return
        if isinstance(node, ast.Lambda):
            for child in node.args.defaults:
                visit(child, in_function)
            visit(node.body, True)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return problems


@pytest.mark.parametrize("path", python_files("dangjian", "tests"), ids=lambda p: str(p.relative_to(ROOT)))
def test_gettext_alias_convention(path: Path) -> None:
    assert alias_problems(path) == []


def test_alias_lint_catches_each_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from django.utils import translation\n"
        "from django.utils.translation import gettext as _g, gettext_lazy as _\n"
        "from django.utils.translation import pgettext_lazy\n"
        "LABEL = _g('too early')\n"
        "def view():\n"
        "    return _('lazy in a function'), translation.gettext('hidden'), pgettext_lazy('c', 'lazy')\n",
        encoding="utf-8",
    )
    problems = alias_problems(bad)
    assert len(problems) == 5, problems
    assert any("import gettext as 'gettext'" in p for p in problems)
    assert any(":4: at import time" in p for p in problems)
    assert any("call gettext(), not _()" in p for p in problems)
    assert any("through translation." in p for p in problems)
    assert any("call pgettext(), not pgettext_lazy()" in p for p in problems)
    good = tmp_path / "good.py"
    good.write_text(
        "from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy\n"
        "LABEL = _('at import time')\n"
        "class Form:\n"
        "    name = pgettext_lazy('person', 'name')\n"
        "    def clean(self, default=_('default')):\n"
        "        return gettext('in a function')\n"
        "SORT = lambda: gettext('called later')  # noqa: E731\n"
        "def menu():  # lazy-ok: built once and cached\n"
        "    return [_('kept lazy')]\n",
        encoding="utf-8",
    )
    assert alias_problems(good) == []


# --- 2. no Chinese literals in code -----------------------------------------------------------

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
#: Not code: locale formats, demo data, test helpers (tests/ and migrations are skipped anyway).
NOT_CODE_DIRS = {"tests", "testing", "formats", "migrations"}
NOT_CODE_FILES = {"demo.py", "dues_demo.py", "province.py"}

#: Files that still hold Chinese literals, with how many. Only shrinks: move a message to
#: gettext (English msgid, Chinese in the .po) and lower or delete the entry.
CHINESE_EXEMPT: dict[str, int] = {
    "dangjian/accounts/imports.py": 6,
    "dangjian/accounts/management/commands/bootstrap_admins.py": 4,
    "dangjian/accounts/passwords.py": 6,
    "dangjian/accounts/services.py": 3,
    "dangjian/core/api/schema.py": 1,
    "dangjian/core/attachments.py": 1,
    "dangjian/core/audit.py": 2,
    "dangjian/core/auditviews.py": 10,
    "dangjian/core/errors.py": 1,
    "dangjian/core/excel.py": 2,
    "dangjian/core/fields.py": 1,
    "dangjian/core/idcard.py": 1,
    "dangjian/core/imports/cells.py": 4,
    "dangjian/core/imports/declare.py": 1,
    "dangjian/core/imports/files.py": 2,
    "dangjian/core/imports/run.py": 1,
    "dangjian/core/imports/views.py": 1,
    "dangjian/core/imports/workbooks.py": 8,
    "dangjian/core/tables.py": 1,
    "dangjian/dues/api/serializers.py": 3,
    "dangjian/dues/api/views.py": 2,
    "dangjian/dues/documents.py": 77,
    "dangjian/dues/imports.py": 16,
    "dangjian/dues/management/commands/dues_scan_arrears.py": 9,
    "dangjian/dues/models/assessment.py": 3,
    "dangjian/dues/models/collection.py": 4,
    "dangjian/dues/models/ledger.py": 4,
    "dangjian/dues/models/standards.py": 10,
    "dangjian/dues/rules/bills.py": 2,
    "dangjian/dues/rules/budget.py": 1,
    "dangjian/dues/rules/disclosure.py": 4,
    "dangjian/dues/rules/statements.py": 10,
    "dangjian/dues/services/ledger.py": 1,
    "dangjian/dues/tables.py": 2,
    "dangjian/dues/views/declarations.py": 79,
    "dangjian/dues/views/reports.py": 4,
    "dangjian/dues/views/work.py": 1,
    "dangjian/meetings/api/views.py": 1,
    "dangjian/meetings/models.py": 2,
    "dangjian/meetings/views/reports.py": 7,
    "dangjian/meetings/views/screens.py": 41,
    "dangjian/members/api/serializers.py": 1,
    "dangjian/members/imports.py": 31,
    "dangjian/members/models.py": 1,
    "dangjian/members/names.py": 71,  # the surname reading table: surnames are data, not interface text
    "dangjian/members/rules.py": 4,
    "dangjian/members/views.py": 29,
    "dangjian/orgs/imports.py": 12,
    "dangjian/orgs/models.py": 4,
    "dangjian/orgs/views.py": 14,
    "dangjian/settings.py": 2,
    "dangjian/study/imports.py": 32,
}


def chinese_literals(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                and CHINESE.search(node.value)):
            span = lines[node.lineno - 1:(node.end_lineno or node.lineno)]
            if any("# zh-ok:" in line for line in span):
                continue
            found.append(f"{node.lineno}: {node.value[:40]!r}")
    return found


def code_files() -> list[Path]:
    return [p for p in python_files("dangjian")
            if not NOT_CODE_DIRS.intersection(p.relative_to(ROOT).parts[:-1]) and p.name not in NOT_CODE_FILES]


def chinese_counts() -> dict[str, int]:
    counts = {str(p.relative_to(ROOT)): len(chinese_literals(p)) for p in code_files()}
    return {name: n for name, n in counts.items() if n}


def test_no_chinese_literals_in_code() -> None:
    counts = chinese_counts()
    grown = {name: (n, CHINESE_EXEMPT.get(name, 0)) for name, n in counts.items() if n > CHINESE_EXEMPT.get(name, 0)}
    details = [f"{name}: {n} Chinese literals (allowed {allowed}); first: "
               + "; ".join(chinese_literals(ROOT / name)[:3]) for name, (n, allowed) in sorted(grown.items())]
    assert not grown, ("User-visible text is an English msgid through gettext, translated in the catalog "
                       "(docs/i18n.md):\n" + "\n".join(details))
    shrunk = {name: (counts.get(name, 0), allowed) for name, allowed in CHINESE_EXEMPT.items()
              if counts.get(name, 0) < allowed}
    assert not shrunk, "Lower CHINESE_EXEMPT (it only shrinks): " + ", ".join(
        f"{name} {allowed} -> {n}" for name, (n, allowed) in sorted(shrunk.items()))


def test_chinese_literal_lint_catches_a_literal(tmp_path: Path) -> None:
    bad = tmp_path / "services.py"
    bad.write_text(
        '"""党费 in a docstring is documentation."""\n'
        "def pay():\n"
        "    raise ValueError('金额不能为负数')\n"
        "HEADERS = ['姓名']  # zh-ok: the import template's own header\n"
        "TITLE = f'{1}月'\n",
        encoding="utf-8",
    )
    assert sorted(line.split(":")[0] for line in chinese_literals(bad)) == ["3", "5"]
