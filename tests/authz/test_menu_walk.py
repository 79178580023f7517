"""Each role sees its own application (issue 11, item 1): every link of the sidebar, of the
workbench and every button link on the pages the sidebar offers opens for the persona who sees
it — no 400, 403 or 404 behind anything a user is shown.

The walk is GET only and stays on this site; downloads (exports, documents) are followed too,
since a button that leads to an error is the defect.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DEAD = (400, 403, 404)
#: persona -> (what a user of that role must see in the menu, what they must not)
EXPECTED = {
    "member_b1": ({"/dues/mine/"}, {"/dues/assessments/", "/dues/reconciliation/", "/orgs/terms/expiring/"}),
    "root_staff": ({"/dues/assessments/", "/orgs/terms/expiring/"}, {"/dues/mine/"}),
}


class _Links(HTMLParser):
    """Collects the sidebar's links and the page's button links (``a.btn``, ``a.dropdown-item``)."""

    def __init__(self) -> None:
        super().__init__()
        self.nav: list[str] = []
        self.buttons: list[str] = []
        self._in_nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "aside":
            self._in_nav += 1
        if tag != "a" or not a.get("href"):
            return
        href = a["href"] or ""
        if self._in_nav and "nav-link" in classes:
            self.nav.append(href)
        elif {"btn", "dropdown-item", "card-link"} & set(classes) or "data-walk" in a:
            self.buttons.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "aside" and self._in_nav:
            self._in_nav -= 1


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or href.startswith("#"):
        return None
    if parts.path.startswith(("/static/", "/accounts/logout")):
        return None
    return href


def _walk(client: Client) -> tuple[list[str], list[tuple[str, str, int]]]:
    home = client.get("/")
    assert home.status_code == 200
    found = _links(home.content.decode())
    menu = [u for u in dict.fromkeys(found.nav) if _local(u)]
    dead: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    queue = [("/", u) for u in menu] + [("/", u) for u in found.buttons if _local(u)]
    while queue:
        origin, url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in DEAD:
            dead.append((origin, url, response.status_code))
            continue
        if origin == "/" and url in menu and response.get("Content-Type", "").startswith("text/html"):
            for href in _links(response.content.decode()).buttons:
                if _local(href) and href not in seen:
                    queue.append((url, href))
    return menu, dead


@pytest.mark.parametrize("persona", ["member_b1", "officer_b1", "c1_staff", "root_staff", "inspector_c1",
                                     "sysadmin", "secadmin", "auditadmin"])
def test_every_menu_item_and_button_opens(client_for: Any, persona: str) -> None:
    client = client_for(persona)
    menu, dead = _walk(client)
    assert menu, f"{persona} sees no menu at all"
    assert not dead, f"{persona} is offered links that fail: " + "; ".join(
        f"{url} (on {origin}) answered {status}" for origin, url, status in dead)
    must, must_not = EXPECTED.get(persona, (set(), set()))
    assert must <= set(menu), f"{persona} misses {must - set(menu)}"
    assert not (must_not & set(menu)), f"{persona} is shown staff pages {must_not & set(menu)}"
