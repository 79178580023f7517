"""The interface is Simplified Chinese.

(a) Every msgid of our code — Python gettext calls, model and form labels, choices, messages,
    navigation, template {% translate %} / {% blocktranslate %} — is in
    locale/zh_Hans/LC_MESSAGES/django.po with a non-empty, non-fuzzy translation, and the
    catalog holds nothing else: the extraction runs afresh through ``manage.py makemessages``
    (GNU gettext) into a scratch copy of the catalog.
    (b) The main pages, rendered as the personas who use them, show no English: no run of four
    or more ASCII letters in the visible text (text nodes, <title>, placeholder, title,
    aria-label, alt) except an allow-list of proper names and the personas' usernames.

The root conftest compiles the catalog before the session (``.mo`` files are not in git).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from dangjian.core.management.commands.makemessages import check_catalog, extract, keys
from dangjian.core.testing.personas import Personas

ROOT = Path(settings.BASE_DIR)
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

#: Words that may appear in the Chinese interface as they are.
ALLOWED_WORDS = {"Excel", "Word", "xlsx", "docx"}
ASCII_RUN = re.compile(r"[A-Za-z]{4,}")
VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


# --- (a) the catalog covers the code ---------------------------------------------------------


def _catalog() -> dict[tuple[str | None, str], polib.POEntry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run manage.py makemessages and translate it"
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO_PATH)) if not e.obsolete}


needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed (apt-get install gettext)"
)


@pytest.fixture(scope="module")
def extracted() -> polib.POFile:
    return extract()


@needs_gettext
def test_extraction_finds_the_known_kinds_of_strings(extracted: polib.POFile) -> None:
    """The extraction itself: each kind of call and tag of the convention reaches xgettext."""
    expected = {
        (None, "Smart Party Building"),  # {% translate %} in base.html
        (None, "Terms ending within %(n)s months, and terms already over."),  # blocktranslate with a variable
        ("person", "name"),  # pgettext_lazy
        (None, "Probationary member"),  # TextChoices label (_ = gettext_lazy)
        (None, "Member list"),  # navigation
        (None, "The party group must belong to the member's branch."),  # gettext inside a method
    }
    found = keys(extracted)
    assert expected <= found, sorted(expected - found, key=str)
    # nothing from the tests or migrations
    assert not any("tests/" in ref or "migrations/" in ref for e in extracted for ref, _line in e.occurrences)


@needs_gettext
def test_the_catalog_is_in_step_with_the_code_and_translated() -> None:
    hint = ("run `DEBUG=1 .venv/bin/python manage.py makemessages`, translate the empty entries in "
            + str(PO_PATH.relative_to(ROOT)))
    problems = check_catalog()
    assert not problems, f"{len(problems)} problems ({hint}):\n" + "\n".join(problems)


@needs_gettext
def test_check_fails_on_an_untranslated_entry(tmp_path: Path, settings: Any) -> None:
    """The check itself can fail: a catalog with one translation emptied is refused."""
    locale = tmp_path / "locale"
    target = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True)
    po = polib.pofile(str(PO_PATH))
    entry = po.find("Smart Party Building")
    dropped = po.find("Member list")
    assert entry is not None and dropped is not None
    entry.msgstr = ""
    po.remove(dropped)
    po.save(str(target))
    settings.LOCALE_PATHS = [locale]
    problems = check_catalog()
    assert "untranslated: 'Smart Party Building'" in problems
    assert any("missing from the catalog" in p and "'Member list'" in p for p in problems), problems


def test_translations_keep_their_placeholders() -> None:
    """A translation that drops or renames %(name)s would raise (or lie) at run time."""
    placeholder = re.compile(r"%\((\w+)\)[sd]|%[sd]")
    wrong = []
    for (_ctx, msgid), entry in _catalog().items():
        if entry.msgstr and sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(entry.msgstr)):
            wrong.append(f"{msgid!r} -> {entry.msgstr!r}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalog_is_in_use() -> None:
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("zh-hans"):
        assert gettext("Smart Party Building") == "智慧党建"
        assert pgettext("person", "name") == "姓名"


# --- (b) the pages show no English -----------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a user sees: text nodes outside script/style, and a few visible attributes."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden":
            return
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.parts.append(str(values[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


#: Identifiers shown as data (request ids, hashes): hex strings are not words.
HEX_TOKEN = re.compile(r"\b[0-9a-f]{16,}\b")


def english_words(html: str, data_words: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for word in ASCII_RUN.findall(HEX_TOKEN.sub(" ", part)):
            if word not in ALLOWED_WORDS and word not in data_words:
                found.append(f"{word!r} in {part[:80]!r}")
    return found


def _data_words(personas: Personas) -> set[str]:
    """Words that are data, not interface: the personas' usernames (shown as display names) and
    the reason build_personas gives the audit log."""
    words: set[str] = {"test", "personas"}
    for username in personas.users:
        words.update(ASCII_RUN.findall(username))
    return words


def _pages(p: Personas) -> list[tuple[str, str, str, dict[str, Any] | None, int]]:
    """(persona, method, url, data, expected status) of the main pages."""
    member = p.members["m_b1"]
    return [
        ("officer_b1", "get", reverse("core:home"), None, 200),
        ("root_staff", "get", reverse("core:home"), None, 200),
        ("member_b1", "get", reverse("core:home"), None, 200),
        ("officer_b1", "get", reverse("members:member_list"), None, 200),
        ("officer_b1", "get", reverse("members:member_list") + "?q=zs&status=full", None, 200),
        ("officer_b1", "get", reverse("members:member_detail", args=[member.pk]), None, 200),
        ("root_staff", "get", reverse("members:member_detail", args=[member.pk]), None, 200),
        ("root_staff", "post", reverse("members:member_reveal_id", args=[member.pk]), {}, 200),
        ("officer_b1", "get", reverse("members:member_add"), None, 200),
        ("officer_b1", "post", reverse("members:member_add"), {"name": "测试", "id_number": "123"}, 400),
        ("officer_b1", "get", reverse("members:member_edit", args=[member.pk]), None, 200),
        ("root_staff", "get", reverse("orgs:tree"), None, 200),
        ("root_staff", "get", reverse("orgs:tree_children", args=[p.root.pk]), None, 200),
        ("root_staff", "get", reverse("orgs:organization_list"), None, 200),
        ("root_staff", "get", reverse("orgs:organization_detail", args=[p.b1.pk]), None, 200),
        ("root_staff", "get", reverse("orgs:expiring_terms"), None, 200),
        ("root_staff", "get", reverse("orgs:structure_warnings"), None, 200),
        ("auditadmin", "get", reverse("core:audit_list"), None, 200),
        ("officer_b1", "get", reverse("accounts:password_change"), None, 200),
        ("officer_b1", "post", reverse("accounts:password_change"),
         {"old_password": "wrong", "new_password1": "short", "new_password2": "other"}, 400),
    ]


@pytest.mark.django_db
def test_login_page_is_chinese(client: Client, personas: Personas) -> None:
    words = _data_words(personas)
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert english_words(page.content.decode(), words) == []
    failed = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    assert failed.status_code == 400
    assert english_words(failed.content.decode(), words) == []


@pytest.mark.django_db
def test_main_pages_show_no_english(personas: Personas, client_for: Callable[[str], Client]) -> None:
    words = _data_words(personas)
    clients: dict[str, Client] = {}
    problems = []
    for persona, method, url, data, status in _pages(personas):
        client = clients.setdefault(persona, client_for(persona))
        response = client.post(url, data) if method == "post" else client.get(url)
        assert response.status_code == status, f"{persona} {method.upper()} {url}: {response.status_code}"
        problems += [f"{persona} {method.upper()} {url}: {w}" for w in english_words(response.content.decode(), words)]
    # the audit log now holds creates, logins, a reveal, failed logins: open one entry of each event
    from dangjian.core.models import AuditEntry

    audit_client = clients["auditadmin"]
    one_per_event = dict(AuditEntry.objects.order_by("-id").values_list("event", "id"))
    for entry_id in one_per_event.values():
        url = reverse("core:audit_detail", args=[entry_id])
        response = audit_client.get(url)
        assert response.status_code == 200, url
        problems += [f"auditadmin GET {url}: {w}" for w in english_words(response.content.decode(), words)]
    assert not problems, "English in the interface:\n" + "\n".join(problems)


def test_visible_text_parser_ignores_scripts_and_hidden_inputs() -> None:
    html = ('<title>智慧党建</title><script src="x.js">var abcd;</script><input type="hidden" value="token">'
            '<input placeholder="Name here"><p>党员 Excel</p>')
    assert english_words(html, set()) == ["'Name' in 'Name here'", "'here' in 'Name here'"]

