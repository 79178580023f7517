"""One-off rewrite of the code to the gettext alias convention of docs/i18n.md (kept for
re-running after a rebase; delete once every branch has it):

- at import time (module level, class bodies, default values, decorators): lazy —
  ``_`` (gettext_lazy), ``pgettext_lazy``, ``ngettext_lazy``, ``npgettext_lazy``;
- inside a function or lambda body: plain — ``gettext``, ``pgettext``, ``ngettext``, ``npgettext``.

Usage: python scripts/i18n_codemod.py FILE...
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MODULE = "django.utils.translation"
BASE = {
    "gettext": "gettext", "gettext_lazy": "gettext", "pgettext": "pgettext", "pgettext_lazy": "pgettext",
    "ngettext": "ngettext", "ngettext_lazy": "ngettext", "npgettext": "npgettext", "npgettext_lazy": "npgettext",
}
PLAIN = {"gettext": "gettext", "pgettext": "pgettext", "ngettext": "ngettext", "npgettext": "npgettext"}
LAZY = {"gettext": "_", "pgettext": "pgettext_lazy", "ngettext": "ngettext_lazy", "npgettext": "npgettext_lazy"}
IMPORT_OF = {"_": "gettext_lazy as _"}


def rewrite(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    imports: list[ast.ImportFrom] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == MODULE:
            imports.append(node)
            for alias in node.names:
                if alias.name in BASE:
                    aliases[alias.asname or alias.name] = alias.name
    if not aliases:
        return False
    edits: list[tuple[int, int, int, str]] = []  # (line, col, end_col, new)
    source_lines = source.splitlines()
    needed: set[str] = set()

    def visit(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases:
            base = BASE[aliases[node.func.id]]
            new = (PLAIN if in_function else LAZY)[base]
            needed.add(new)
            if new != node.func.id:
                edits.append((node.func.lineno, node.func.col_offset, node.func.end_col_offset or 0, new))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for child in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if child is not None:
                    visit(child, in_function)
            # "# lazy-ok: <reason>" on the def line: the function builds a declaration that is
            # kept (cached menus), so its strings must stay lazy like module-level ones.
            kept = "# lazy-ok:" in source_lines[node.lineno - 1]
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
    used_names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    lines = source.splitlines(keepends=True)
    for line, col, end, new in sorted(edits, reverse=True):
        raw = lines[line - 1].encode()  # ast offsets count UTF-8 bytes
        lines[line - 1] = (raw[:col] + new.encode() + raw[end:]).decode()
    # imports: drop the translation functions, add what the calls now need
    others_by_import: dict[int, list[str]] = {}
    for node in imports:
        others_by_import[node.lineno] = [
            (f"{a.name} as {a.asname}" if a.asname else a.name) for a in node.names if a.name not in BASE
        ]
    # names still used other than as calls we rewrote (e.g. passed as a function)
    call_ids = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for n in ast.walk(tree):
        if (isinstance(n, ast.Name) and n.id in aliases and id(n) not in call_ids
                and isinstance(n.ctx, ast.Load) and n.id not in stored):
            raise SystemExit(f"{path}:{n.lineno}: {n.id} used other than as a call; fix by hand")
    del used_names
    wanted = sorted({IMPORT_OF.get(name, name) for name in needed}, key=lambda s: s.replace("gettext_lazy as _", "_"))
    first = min(imports, key=lambda n: n.lineno)
    for node in sorted(imports, key=lambda n: n.lineno, reverse=True):
        start, end = node.lineno - 1, (node.end_lineno or node.lineno)
        keep = others_by_import[node.lineno]
        if node is first:
            keep = [*keep, *wanted]
        indent = " " * node.col_offset
        replacement = f"{indent}from {MODULE} import {', '.join(keep)}\n" if keep else ""
        lines[start:end] = [replacement]
    path.write_text("".join(lines), encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = [p for p in map(Path, sys.argv[1:]) if rewrite(p)]
    print(f"rewrote {len(changed)} files")
