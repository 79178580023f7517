"""Extract the translatable strings of the project in pure Python (no GNU gettext).

``makemessages`` relies on xgettext, which is often missing and which only knows the standard
keyword names: ``_g("...")`` and ``_l("...")`` (``gettext as _g``, ``gettext_lazy as _l``, used
across the code) are silently skipped by it. This extractor resolves each module's own import
aliases instead, and reads templates through Django's ``templatize`` (exactly what
makemessages feeds to xgettext), so the msgids match what the code looks up at run time.

Used by ``manage.py update_catalog`` (write the .po) and by tests/i18n/test_catalog.py
(every msgid has a translation).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

TRANSLATION_MODULE = "django.utils.translation"

#: function name -> positions of (context, singular, plural) among the call's arguments
FUNCTIONS: dict[str, tuple[int | None, int, int | None]] = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

#: Directories never scanned (generated code, tests, fixtures of tests).
SKIP_DIRS = frozenset({"migrations", "tests", "testing", "__pycache__", "node_modules", "static"})


@dataclass
class Message:
    msgid: str
    msgctxt: str | None = None
    plural: str | None = None
    occurrences: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


@dataclass
class Catalog:
    """The messages found, in order of first occurrence."""

    messages: dict[tuple[str | None, str], Message] = field(default_factory=dict)

    def add(self, msgid: str, msgctxt: str | None, plural: str | None, path: str, line: int) -> None:
        if not msgid:
            return
        key = (msgctxt, msgid)
        message = self.messages.get(key)
        if message is None:
            message = self.messages[key] = Message(msgid, msgctxt, plural)
        elif plural and not message.plural:
            message.plural = plural
        message.occurrences.append((path, line))

    def __iter__(self) -> Iterator[Message]:
        return iter(self.messages.values())

    def __len__(self) -> int:
        return len(self.messages)


# --- Python ------------------------------------------------------------------------------------


def _aliases(tree: ast.AST) -> tuple[dict[str, str], set[str]]:
    """Local names bound to translation functions, and names bound to the module itself."""
    functions: dict[str, str] = {}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRANSLATION_MODULE:
            for alias in node.names:
                if alias.name in FUNCTIONS:
                    functions[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            for alias in node.names:
                if alias.name == "translation":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == TRANSLATION_MODULE and alias.asname:
                    modules.add(alias.asname)
    return functions, modules


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def extract_python(source: str, path: str, catalog: Catalog) -> None:
    tree = ast.parse(source, filename=path)
    functions, modules = _aliases(tree)
    if not functions and not modules:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name: str | None = None
        if isinstance(node.func, ast.Name):
            name = functions.get(node.func.id)
        elif (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
              and node.func.value.id in modules and node.func.attr in FUNCTIONS):
            name = node.func.attr
        if name is None:
            continue
        ctx_pos, single_pos, plural_pos = FUNCTIONS[name]
        args = node.args

        def arg(pos: int | None, args: list[ast.expr] = args) -> str | None:
            return _literal(args[pos]) if pos is not None and pos < len(args) else None

        msgid = arg(single_pos)
        if msgid is None:
            continue  # a variable: nothing to extract (xgettext skips it too)
        catalog.add(msgid, arg(ctx_pos), arg(plural_pos), path, node.lineno)


# --- templates ---------------------------------------------------------------------------------

_TEMPLATE_CALL = re.compile(r"(?<![\w.])(npgettext|pgettext|ngettext|gettext|_)\(")
_TEMPLATE_FUNCS: dict[str, tuple[int | None, int, int | None]] = {
    "gettext": (None, 0, None), "_": (None, 0, None), "ngettext": (None, 0, 1),
    "pgettext": (0, 1, None), "npgettext": (0, 1, 2),
}


def _call_arguments(text: str) -> list[str | None]:
    """The arguments of the call whose "(" starts ``text``: string literals, else None."""
    args: list[str | None] = []
    current: list[tokenize.TokenInfo] = []
    depth = 0
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.OP and tok.string == "(":
            depth += 1
            if depth == 1:
                continue
        elif tok.type == tokenize.OP and tok.string == ")":
            depth -= 1
            if depth == 0:
                break
        elif tok.type == tokenize.OP and tok.string == "," and depth == 1:
            args.append(_string_value(current))
            current = []
            continue
        if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            current.append(tok)
    if current:
        args.append(_string_value(current))
    return args


def _string_value(tokens: list[tokenize.TokenInfo]) -> str | None:
    if tokens and all(t.type == tokenize.STRING for t in tokens):
        try:
            return "".join(ast.literal_eval(t.string) for t in tokens)
        except (ValueError, SyntaxError):
            return None
    return None


def extract_template(source: str, path: str, catalog: Catalog) -> None:
    from django.utils.translation.template import templatize

    if "trans" not in source and "_(" not in source:
        return
    text = templatize(source, origin=path)
    for match in _TEMPLATE_CALL.finditer(text):
        ctx_pos, single_pos, plural_pos = _TEMPLATE_FUNCS[match.group(1)]
        try:
            args = _call_arguments(text[match.end() - 1:])
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
        msgid = args[single_pos] if single_pos < len(args) else None
        if msgid is None:
            continue
        ctx = args[ctx_pos] if ctx_pos is not None and ctx_pos < len(args) else None
        plural = args[plural_pos] if plural_pos is not None and plural_pos < len(args) else None
        catalog.add(msgid, ctx, plural, path, text.count("\n", 0, match.start()) + 1)


# --- the project -------------------------------------------------------------------------------


def source_files(root: Path, packages: Iterable[str] = ("dangjian",)) -> list[Path]:
    """The .py, .html and .txt files of the given packages under ``root``, in a stable order."""
    files: list[Path] = []
    for package in packages:
        for path in sorted((root / package).rglob("*")):
            if not path.is_file() or path.suffix not in {".py", ".html", ".txt"}:
                continue
            if SKIP_DIRS.intersection(path.relative_to(root).parts[:-1]):
                continue
            files.append(path)
    return files


def extract(root: Path, packages: Iterable[str] = ("dangjian",)) -> Catalog:
    """Every translatable string of the project (Python calls and template tags)."""
    catalog = Catalog()
    for path in source_files(root, packages):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            extract_python(source, relative, catalog)
        elif "/templates/" in f"/{relative}":
            extract_template(source, relative, catalog)
    return catalog
