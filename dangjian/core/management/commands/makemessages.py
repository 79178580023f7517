"""Django's ``makemessages`` with the project's defaults (docs/i18n.md).

GNU gettext (Debian's ``gettext`` package) extracts the msgids; this subclass only fixes how:

- the keywords of the project's one alias convention (``_`` is ``gettext_lazy``; ``gettext``,
  ``pgettext``, ``ngettext`` by their names inside functions; their ``_lazy`` forms at import
  time), listed explicitly; ``tests/i18n/test_conventions.py`` rejects any other alias, so
  xgettext sees every string the code looks up;
- the sources: ``dangjian/`` without tests, test helpers, migrations and static files;
- the catalog: ``zh_Hans``, no obsolete entries, no wrapping, file names without line numbers
  and an unchanged ``POT-Creation-Date`` (fewer merge conflicts in a file everyone edits), and
  no fuzzy matching — a new msgid arrives untranslated instead of with a neighbour's
  translation (one meaning per msgid);
- ``--check`` extracts into a scratch copy of the catalog and fails when the catalog is not in
  step with the code (msgids to add or drop) or an entry is untranslated or fuzzy. Nothing is
  written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.makemessages import Command as MakeMessagesCommand
from django.test.utils import override_settings

LOCALE = "zh_Hans"
SOURCE_ROOT = "dangjian"
#: Directories whose files are never extracted (tests assert on msgids, they do not add them).
IGNORE = ["tests", "testing", "migrations", "static", "__pycache__", "*/tests/*", "*/testing/*",
          "*/migrations/*", "*/static/*"]
#: The translation functions of the convention (docs/i18n.md), as xgettext keywords.
KEYWORDS = [
    "_", "gettext", "gettext_lazy", "gettext_noop",
    "pgettext:1c,2", "pgettext_lazy:1c,2",
    "ngettext:1,2", "ngettext_lazy:1,2",
    "npgettext:1c,2,3", "npgettext_lazy:1c,2,3",
]
_POT_DATE = re.compile(r'^"POT-Creation-Date: [^"\\]*\\n"$', re.MULTILINE)

Key = tuple[str | None, str]


def po_path(locale_dir: Path | None = None, locale: str = LOCALE) -> Path:
    base = locale_dir or Path(settings.LOCALE_PATHS[0])
    return base / locale / "LC_MESSAGES" / "django.po"


class Command(MakeMessagesCommand):
    help = ("Update locale/zh_Hans/LC_MESSAGES/django.po from the code with GNU gettext "
            "(project defaults; --check only checks).")
    xgettext_options = [*MakeMessagesCommand.xgettext_options, *(f"--keyword={k}" for k in KEYWORDS)]
    msgmerge_options = [*MakeMessagesCommand.msgmerge_options, "--no-fuzzy-matching"]

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--check", action="store_true",
                            help="Write nothing; fail when the catalog is not in step with the code or not fully translated.")

    def handle(self, *args: Any, **options: Any) -> None:
        options["locale"] = options.get("locale") or [LOCALE]
        options["domain"] = "django"
        options["ignore_patterns"] = [*(options.get("ignore_patterns") or []), *IGNORE]
        options["no_obsolete"] = True
        options["no_wrap"] = True
        options["add_location"] = options.get("add_location") or "file"
        if options.pop("check", False):
            problems = check_catalog(self, options)
            if problems:
                raise CommandError("\n".join(problems))
            self.stdout.write(f"{po_path()}: in step with the code, every entry translated")
            return
        target = po_path()
        before = target.read_text(encoding="utf-8") if target.exists() else ""
        super().handle(*args, **options)
        _keep_pot_date(target, before)
        # One layout whatever GNU gettext's version: 0.21 wraps references and long msgids even
        # with --no-wrap, which rewrites a thousand lines of a file everyone edits.
        po = polib.pofile(str(target), wrapwidth=0)
        po.save()
        todo = len(po.untranslated_entries()) + len(po.fuzzy_entries())
        self.stdout.write(f"{target}: {len(po)} messages, {todo} to translate")

    def execute(self, *args: Any, **options: Any) -> Any:
        # From the project root, so that sources are found as, and referenced by, "dangjian/...".
        with _in_project_root():
            return super().execute(*args, **options)

    def find_files(self, root: str) -> list[Any]:
        # The project's own package only (not node_modules, .venv, bench, docs, tests/), and
        # every message into the one catalog of LOCALE_PATHS[0] (Django would pick the
        # nearest "locale" folder, which makes a scratch catalog for --check impossible).
        files = super().find_files(os.path.join(root, SOURCE_ROOT))
        for found in files:
            found.locale_dir = str(self.default_locale_path)
        return files


@contextmanager
def _in_project_root() -> Iterator[None]:
    cwd = os.getcwd()
    os.chdir(settings.BASE_DIR)
    try:
        yield
    finally:
        os.chdir(cwd)


def _keep_pot_date(target: Path, before: str) -> None:
    old = _POT_DATE.search(before)
    if old and target.exists():
        text = target.read_text(encoding="utf-8")
        target.write_text(_POT_DATE.sub(lambda _m: old.group(0), text, count=1), encoding="utf-8")


def extract(command: Command | None = None, options: dict[str, Any] | None = None) -> polib.POFile:
    """Run the extraction into a scratch copy of the catalog and return the merged result: the
    msgids the code looks up, with the translations the catalog has for them."""
    command = command or Command()
    real_locale = Path(settings.LOCALE_PATHS[0])
    with tempfile.TemporaryDirectory(prefix="dangjian-i18n-") as scratch:
        locale_dir = Path(scratch) / "locale"
        shutil.copytree(real_locale, locale_dir, ignore=shutil.ignore_patterns("*.mo"))
        merged_options: dict[str, Any] = {
            "locale": [LOCALE], "exclude": [], "domain": "django", "verbosity": 0, "all": False,
            "extensions": None, "symlinks": False, "ignore_patterns": list(IGNORE),
            "use_default_ignore_patterns": True, "no_wrap": True, "no_location": False,
            "add_location": "file", "no_obsolete": True, "keep_pot": False,
        }
        merged_options.update(options or {})
        merged_options["verbosity"] = 0
        with override_settings(LOCALE_PATHS=[locale_dir]), _in_project_root():
            MakeMessagesCommand.handle(command, **merged_options)
        return polib.pofile(str(po_path(locale_dir)))


def keys(po: polib.POFile) -> set[Key]:
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


def check_catalog(command: Command | None = None, options: dict[str, Any] | None = None) -> list[str]:
    """What keeps the catalog from matching the code: msgids to add or drop, untranslated and
    fuzzy entries (empty when all is well)."""
    extracted = extract(command, options)
    current = polib.pofile(str(po_path()))
    problems = []
    for key in sorted(keys(extracted) - keys(current), key=str):
        problems.append(f"missing from the catalog (run manage.py makemessages): {key[1]!r}"
                        + (f" [context {key[0]!r}]" if key[0] else ""))
    for key in sorted(keys(current) - keys(extracted), key=str):
        problems.append(f"no longer in the code (run manage.py makemessages): {key[1]!r}")
    for entry in current:
        if entry.fuzzy:
            problems.append(f"fuzzy, review it: {entry.msgid!r}")
        elif not (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr):
            problems.append(f"untranslated: {entry.msgid!r}")
    return problems
