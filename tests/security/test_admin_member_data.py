"""三员 (AC-04): the administrators never read or change member data, posts included (issue 8).

Walks every screen and API resource whose model sits in a member-data area
(``accounts.roles.MEMBER_DATA_AREAS``): each administrator gets 404 or an empty list, and a
change answers 404 with the row unchanged. The posts leak (sysadmin listing all committee posts
with member names and ending a secretary's post over the API) is the case that started it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from dangjian.accounts.roles import MEMBER_DATA_AREAS
from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas
from dangjian.core.views import REGISTRY
from dangjian.members.models import CommitteePost
from tests.api.test_api import api_as
from tests.security.conftest import login

ADMINS = ("sysadmin", "secadmin", "auditadmin")


def member_data_models() -> list[Any]:
    return [m for m in apps.get_models() if getattr(m, "scope_area", None) in MEMBER_DATA_AREAS]


@pytest.fixture
def rows(personas: Personas) -> dict[str, Any]:
    from dangjian.dues.models import DuesPayment

    member = personas.members["m_b1"]
    with acting_as(None, reason="member data the admins must not reach"):
        post = CommitteePost.objects.create(org=personas.b1, member=member, post="secretary",
                                            started_on=dt.date(2024, 1, 1))
        payment = DuesPayment.objects.create(member=member, org=member.org, paid_on=dt.date(2026, 3, 5),
                                             amount=Decimal("12.50"), method="cash")
    return {"post": post, "payment": payment}


def api_resources() -> list[tuple[str, Any]]:
    from dangjian.api_urls import router

    return [(prefix, viewset) for prefix, viewset, _basename in router.registry
            if getattr(viewset.queryset.model, "scope_area", None) in MEMBER_DATA_AREAS]


def test_the_member_data_resources_include_posts() -> None:
    assert "posts" in {prefix for prefix, _viewset in api_resources()}
    assert CommitteePost in {spec.model for spec in REGISTRY.values()}
    assert CommitteePost in member_data_models()


@pytest.mark.parametrize("admin", ADMINS)
def test_admins_get_nothing_from_member_data_on_the_api(personas: Personas, rows: dict[str, Any], admin: str) -> None:
    api = api_as(admin)
    checked = 0
    for prefix, viewset in api_resources():
        model = viewset.queryset.model
        response = api.get(f"/api/v1/{prefix}/")
        assert response.status_code == 404 or (response.status_code == 200 and response.json()["count"] == 0), \
            (admin, prefix, response.status_code)
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        checked += 1
        url = f"/api/v1/{prefix}/{row.pk}/"
        assert api.get(url).status_code == 404, (admin, url)
        before = model._base_manager.filter(pk=row.pk).values().get()
        version = getattr(row, "version", 1)
        for method in {"patch", "put", "delete"} & set(viewset.http_method_names):
            response = getattr(api, method)(url, {"ended_on": "2026-01-01"}, format="json",
                                            HTTP_IF_MATCH=f'"{version}"')
            assert response.status_code in (404, 405), (admin, method, url, response.status_code)
        assert model._base_manager.filter(pk=row.pk).values().get() == before, (admin, url)
    assert checked >= 2  # at least the post and the payment were attacked


@pytest.mark.parametrize("admin", ADMINS)
def test_admins_get_nothing_from_member_data_on_the_screens(personas: Personas, rows: dict[str, Any],
                                                              admin: str) -> None:
    client = login(admin)
    checked = 0
    for model, spec in REGISTRY.items():
        if getattr(model, "scope_area", None) not in MEMBER_DATA_AREAS:
            continue
        if "list" in spec.actions:
            response = client.get(reverse(f"{spec.namespace}:{spec.name}_list"))
            if response.status_code == 200:
                assert response.context["table"].paginator.count == 0, (admin, model)
            else:
                assert response.status_code == 404, (admin, model, response.status_code)
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        checked += 1
        before = model._base_manager.filter(pk=row.pk).values().get()
        for action in ("detail", "edit", "delete"):
            if action in spec.actions:
                url = reverse(f"{spec.namespace}:{spec.name}_{action}", args=[row.pk])
                assert client.get(url).status_code == 404, (admin, url)
                if action != "detail":
                    assert client.post(url, {"version": getattr(row, "version", 1)}).status_code == 404, (admin, url)
        assert model._base_manager.filter(pk=row.pk).values().get() == before, (admin, model)
    assert checked >= 2


def test_the_post_leak_as_reported_is_closed(personas: Personas, rows: dict[str, Any]) -> None:
    """sysadmin listed 297 posts with member names and PATCHed a secretary's post with 200."""
    post = rows["post"]
    api = api_as("sysadmin")
    assert api.get("/api/v1/posts/").json()["count"] == 0
    response = api.patch(f"/api/v1/posts/{post.pk}/", {"ended_on": "2026-01-01"}, format="json",
                         HTTP_IF_MATCH=f'"{post.version}"')
    assert response.status_code == 404
    post.refresh_from_db()
    assert post.ended_on is None
    # the people whose work it is still can
    staff = api_as("c1_staff")
    assert staff.get("/api/v1/posts/").json()["count"] == 1
