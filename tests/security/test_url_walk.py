"""AC-01 deny by default (18F tock / Zulip URL-walk pattern) and IO-03/DP-02 response headers.

Every pattern of the root URLconf is requested anonymously with GET and POST: it must send
the visitor to the login page, unless it is named in settings.DANGJIAN["PUBLIC_URL_NAMES"].
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.security.conftest import LOGIN_URL, Route, all_routes, login

PUBLIC = set(settings.DANGJIAN["PUBLIC_URL_NAMES"])


def assert_security_headers(response: Any, url: str) -> None:
    where = f"{response.request['REQUEST_METHOD']} {url} ({response.status_code})"
    assert "no-store" in response.get("Cache-Control", ""), f"{where}: Cache-Control is {response.get('Cache-Control')!r}"
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, f"{where}: CSP is {csp!r}"


def test_public_list_names_only_existing_urls() -> None:
    routes = {r.name: r for r in all_routes()}
    for name in PUBLIC:
        try:
            reverse(name)
        except NoReverseMatch:  # pragma: no cover - the failure message is the point
            pytest.fail(f"PUBLIC_URL_NAMES names {name!r}, which is not a URL")
        assert name in routes, f"{name} is not in the root URLconf walk"


def test_only_listed_views_opt_out_of_login() -> None:
    """A view marked @login_not_required must be on the public list (and vice versa)."""
    opted_out = {r.name for r in all_routes() if r.public}
    assert opted_out == PUBLIC


def test_walker_sees_every_module() -> None:
    prefixes = {r.route.split("/")[0] for r in all_routes()}
    assert {"accounts", "orgs", "members", "audit"} <= prefixes
    assert len(all_routes()) >= 40
    assert len({r.name for r in all_routes()}) == len(all_routes()), "URL names must be unique"


METHODS = ("get", "post", "put", "patch", "delete")


@pytest.mark.django_db
def test_anonymous_walk_redirects_to_login(personas: Any) -> None:
    """Pages send anonymous visitors to the login page; the API answers 401/403 itself."""
    client = Client()
    checked = 0
    for route in all_routes():
        url = route.url()
        for method in METHODS:
            response = getattr(client, method)(url)
            where = f"{method.upper()} {url} ({route.name}) answered {response.status_code}"
            assert_security_headers(response, url)
            if route.name in PUBLIC:
                if route.name in ("accounts:mfa_verify", "accounts:mfa_enrol"):  # no pending login: back to it
                    assert response.status_code in (302, 405) and response.get("Location", "/accounts/login/") == (
                        "/accounts/login/"), where
                    continue
                if route.name in ("accounts:wecom_start", "accounts:wecom_callback"):  # no login row is active
                    assert response.status_code in (404, 405), where
                    continue
                assert response.status_code in (200, 400, 405), where
                continue
            if route.is_api:
                assert response.status_code in (401, 403), where
            else:
                assert response.status_code == 302, where
                assert response["Location"] == f"{LOGIN_URL}?next={quote(url)}", (where, response["Location"])
            checked += 1
    assert checked == len(METHODS) * len([r for r in all_routes() if r.name not in PUBLIC])


@pytest.mark.django_db
def test_public_pages_work_anonymously(personas: Any) -> None:
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    health = client.get(reverse("core:health"))
    assert health.status_code == 200 and health.json() == {"status": "ok"}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["root_staff", "sysadmin", "auditadmin", "member_b1"])
def test_signed_in_pages_carry_security_headers(personas: Any, persona: str) -> None:
    """Every GET a signed-in user makes (pages, exports, refusals) carries the headers; no 5xx."""
    client = login(persona)
    for route in all_routes():
        url = route.url()
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} as {persona}: {response.status_code}"
        assert_security_headers(response, url)


def _route(name: str) -> Route:
    return next(r for r in all_routes() if r.name == name)


@pytest.mark.django_db
def test_filled_pks_are_real_rows(personas: Any) -> None:
    """The walk uses existing rows, so a 302 is the login wall, not a missing object."""
    client = login("root_staff")
    for name in ("members:member_detail", "orgs:organization_detail", "accounts:grant_detail", "core:audit_detail"):
        url = _route(name).url()
        assert client.get(url).status_code in (200, 404), url
    assert client.get(_route("members:member_detail").url()).status_code == 200
    assert client.get(_route("orgs:organization_detail").url()).status_code == 200
