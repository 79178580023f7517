"""Inputs that used to answer 500 answer 400 (or 409) with a Chinese message (issue 8).

Each case was found by attacking the platform as a malicious insider would; the list pages are
walked generically, so a new list with the same weakness fails here too.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangjian.accounts.models import RoleGrant
from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas
from dangjian.core.views import REGISTRY
from dangjian.members.models import Member
from tests.api.test_api import api_as
from tests.security.conftest import all_routes, login

BIG = "99999999999999999999"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def screen_lists() -> list[str]:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the URLconf registers the screens' views)
    return sorted(reverse(f"{spec.namespace}:{spec.name}_list") for spec in set(REGISTRY.values())
                  if "list" in spec.actions)


def api_lists() -> list[str]:
    from dangjian.api_urls import router

    return sorted(f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry)


#: Between them these personas reach every list (committee staff: business data; the admins: theirs).
WALKERS = ("root_staff", "secadmin", "sysadmin", "auditadmin")


def other_pages() -> list[str]:
    """Every other GET page without path arguments (reports, calendars, compliance ...)."""
    lists = set(screen_lists()) | set(api_lists())
    skip = {"accounts:logout", "api:token", "api:token_revoke", "api:schema", "api:docs"}
    return sorted(
        route.url() for route in all_routes()
        if not route.kwargs and not route.public and route.name not in skip and route.url() not in lists
        and not route.name.startswith("api:import_")
    )


#: url -> the first walker that reads it (200 without parameters), found once per test session:
#: a persona the page refuses (403/404) never reaches its parameter parsing, so each bad value is
#: sent to one reader of each page (a quarter of the requests of sending it to every walker).
_READERS: dict[str, tuple[str, ...]] = {}


def _clients(name: str) -> tuple[Any, Any, Any]:
    client, api = login(name), api_as(name)
    plain = APIClient()  # the other API paths are partly POST-only: no schema to validate a 405 against
    plain.credentials(**api._credentials)
    return client, api, plain


def _get(clients: tuple[Any, Any, Any], url: str, kind: str, params: dict[str, str]) -> int:
    client, api, plain = clients
    if kind == "api":
        return int(api.get(url, params).status_code)
    if kind == "other" and url.startswith("/api/"):
        return int(plain.get(url, params).status_code)
    return int(client.get(url, params).status_code)


def pages() -> list[tuple[str, str]]:
    return ([(url, "screen") for url in screen_lists()] + [(url, "api") for url in api_lists()]
            + [(url, "other") for url in other_pages()])


def readers() -> dict[str, tuple[str, ...]]:
    """The walker that reads each page; a page nobody reads is walked by every walker."""
    if not _READERS:
        found: dict[str, list[str]] = {}
        for name in WALKERS:
            clients = _clients(name)
            for url, kind in pages():
                if url not in found and _get(clients, url, kind, {}) == 200:
                    found[url] = [name]
        _READERS.update({url: tuple(found.get(url) or WALKERS) for url, _kind in pages()})
    return _READERS


def walk(params: dict[str, str], *, must_answer: bool = True) -> None:
    """Every screen and API list with ``params``: never a 500, and each list really answered
    (200 or a 400 for the bad value) to the persona that reads it. Every other page without
    path arguments is walked too (never a 500)."""
    who = readers()
    answered: dict[str, set[int]] = {}
    for name in WALKERS:
        clients = _clients(name)
        for url, kind in pages():
            if name not in who[url]:
                continue
            code = _get(clients, url, kind, params)
            if kind == "other":
                assert code < 500, (url, params, code, name)
            else:
                answered.setdefault(url, set()).add(code)
    for url, codes in answered.items():
        assert codes <= {200, 400, 403, 404}, (url, params, codes)
        assert codes & {200, 400} or not must_answer, (url, params, codes)


def _chinese_error(response: Any) -> str:
    body = response.json()
    text = " ".join(str(v) for v in [body.get("detail", ""), *body.get("errors", {}).values()])
    assert _CJK.search(text), body
    assert "IntegrityError" not in text and "constraint" not in text.lower(), body
    return text


@pytest.mark.parametrize("param", ["org", "member", "meeting", "bill", "user", "solicitation", "month", "page", "from"])
def test_enormous_ids_in_list_filters_never_500(personas: Personas, param: str) -> None:
    """?org=99999999999999999999 overflowed SQLite's integer on 19 lists."""
    walk({param: BIG}, must_answer=param != "page")  # a page beyond the last is the API's 404


@pytest.mark.parametrize("year", ["-1", "0", "99999", "10000", BIG, "2026-13", "x"])
def test_out_of_range_years_never_500(personas: Personas, year: str) -> None:
    walk({"year": year})


def test_deleting_a_member_that_records_refer_to_answers_409_saying_what(personas: Personas) -> None:
    from dangjian.dues.models import DuesPayment

    member = personas.members["m_b1"]
    with acting_as(None, reason="a payment of the member"):
        DuesPayment.objects.create(member=member, org=member.org, paid_on=dt.date(2026, 3, 5), amount=Decimal("12.50"),
                                   method="cash")
    response = api_as("root_staff").delete(f"/api/v1/members/{member.pk}/")
    assert response.status_code == 409, response.content
    text = _chinese_error(response)
    assert "党费" in text, text
    assert Member.objects.filter(pk=member.pk).exists()


def test_internal_transfer_without_a_target_branch_is_400(personas: Personas) -> None:
    member = personas.members["m_b1"]
    response = api_as("c1_staff").post("/api/v1/transfers/", {
        "member": member.pk, "direction": "internal", "transferred_on": "2026-05-01"}, format="json")
    assert response.status_code == 400, response.content
    assert "to_org" in response.json()["errors"]
    _chinese_error(response)
    member.refresh_from_db()
    assert member.org_id == personas.b1.pk


def test_internal_transfer_to_a_committee_is_400(personas: Personas) -> None:
    member = personas.members["m_b1"]
    response = api_as("c1_staff").post("/api/v1/transfers/", {
        "member": member.pk, "direction": "internal", "to_org": personas.c1.pk, "transferred_on": "2026-05-01"},
        format="json")
    assert response.status_code == 400, response.content
    assert "to_org" in response.json()["errors"]


def test_a_duplicate_role_grant_is_400_on_the_api_and_the_screen(personas: Personas) -> None:
    officer = personas.users["officer_b1"]
    before = RoleGrant.objects.count()
    response = api_as("secadmin").post("/api/v1/role-grants/", {
        "user": officer.pk, "role": "branch_officer", "org": personas.b1.pk}, format="json")
    assert response.status_code == 400, response.content
    _chinese_error(response)
    page = login("secadmin").post("/accounts/grants/add/", {"user": officer.pk, "role": "branch_officer",
                                                            "org": personas.b1.pk})
    assert page.status_code == 400
    assert "已" in " ".join(str(e) for e in page.context["form"].errors.get("role", [])), page.context["form"].errors
    assert RoleGrant.objects.count() == before


def test_a_payment_against_an_enormous_bill_id_is_400(personas: Personas) -> None:
    member = personas.members["m_b1"]
    response = api_as("c1_staff").post("/api/v1/dues/payments/", {
        "member": member.pk, "paid_on": "2026-03-05", "amount": "10.00", "method": "cash",
        "bills": [int(BIG)]}, format="json",
        HTTP_IDEMPOTENCY_KEY="big-bill-1")
    assert response.status_code == 400, response.content
