"""The tree's structure (issue 8): one installation root, kinds nested as the Party Constitution
sets them up, on create (screen, API, import) and on move; a grant anywhere but the root covers
only its subtree."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.accounts.models import RoleGrant
from dangjian.core.context import acting_as
from dangjian.core.scoping import scope_for
from dangjian.core.testing.personas import Personas
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.orgs.structure import placement_problem
from tests.api.test_api import api_as


def kinds(*names: str) -> list[Organization]:
    return [Organization(kind=name) for name in names]


@pytest.mark.parametrize(("kind", "parent", "ok"), [
    ("committee", "committee", True), ("general_branch", "committee", True), ("branch", "committee", True),
    ("branch", "general_branch", True), ("group", "branch", True),
    ("group", "committee", False), ("group", "general_branch", False), ("group", "group", False),
    ("branch", "branch", False), ("general_branch", "general_branch", False), ("committee", "branch", False),
    ("committee", None, False), ("branch", None, False),
])
def test_which_kind_may_sit_under_which(kind: str, parent: str | None, ok: bool) -> None:
    problem = placement_problem(kind, Organization(kind=parent) if parent else None)
    assert (problem is None) is ok, problem


def test_the_screen_refuses_a_top_level_organization_and_a_misplaced_group(personas: Personas,
                                                                          client_for: Any) -> None:
    client = client_for("root_staff")
    before = Organization.objects.count()
    response = client.post("/orgs/add/", {"name": "新党委", "code": "TOP", "kind": "committee", "is_active": "on"})
    assert response.status_code == 400
    assert response.context["form"].errors["parent"]
    response = client.post("/orgs/add/", {"name": "错位党小组", "code": "G9", "kind": "group", "parent": personas.c1.pk,
                                          "is_active": "on"})
    assert response.status_code == 400
    assert "党小组只能设在党支部下" in " ".join(response.context["form"].errors["parent"])
    assert Organization.objects.count() == before
    response = client.post("/orgs/add/", {"name": "第二党小组", "code": "G2", "kind": "group", "parent": personas.b1.pk,
                                          "is_active": "on"})
    assert response.status_code == 302


def test_the_api_refuses_a_top_level_organization(personas: Personas) -> None:
    client = api_as("root_staff")
    for body in ({"name": "新党委", "code": "TOP", "kind": "committee"},
                 {"name": "新党委", "code": "TOP", "kind": "committee", "parent": None}):
        response = client.post("/api/v1/organizations/", body, format="json")
        assert response.status_code == 400, response.content
        assert "parent" in response.json()["errors"]
    assert Organization.objects.filter(depth=1).count() == 1
    response = client.post("/api/v1/organizations/", {"name": "错位党小组", "code": "G9", "kind": "group",
                                                       "parent": personas.c2.pk}, format="json")
    assert response.status_code == 400 and "parent" in response.json()["errors"]


def test_a_move_must_fit_the_new_parent(personas: Personas, client_for: Any) -> None:
    client = client_for("root_staff")
    response = client.post(f"/orgs/{personas.g1.pk}/move/", {"target": personas.c2.pk})
    assert response.status_code == 400
    assert "党小组只能设在党支部下" in response.content.decode()
    response = client.post(f"/orgs/{personas.b2.pk}/move/", {"target": personas.b1.pk})
    assert response.status_code == 400
    response = client.post(f"/orgs/{personas.b2.pk}/move/", {"target": personas.c2.pk})
    assert response.status_code == 302


def test_changing_a_kind_must_fit_parent_and_children(personas: Personas, client_for: Any) -> None:
    client = client_for("root_staff")
    b1 = Organization.objects.get(pk=personas.b1.pk)
    response = client.post(f"/orgs/{b1.pk}/edit/", {"name": b1.name, "code": b1.code, "kind": "committee",
                                                    "is_active": "on", "version": b1.version})
    assert response.status_code == 400
    assert "其下级组织" in " ".join(response.context["form"].errors["kind"])


def test_a_grant_on_a_stray_second_root_covers_only_its_subtree(personas: Personas) -> None:
    """The reported escalation: an inspector grant on a new empty top-level organization read
    every member (33 -> 7,924). Such a root can no longer be made through the application; made
    behind its back, it is refused by a system check and still covers only itself."""
    with acting_as(None, reason="stray root"):
        stray = Organization.objects.add_root({"name": "空党委", "code": "STRAY", "kind": "committee"})
        officer = personas.users["officer_b1"]
        RoleGrant.objects.create(user=officer, role="inspector", org=stray)
    fresh = type(officer).objects.get(pk=officer.pk)
    assert not scope_for(fresh, "members", "view").everything
    assert set(Member.objects.visible_to(fresh, "view")) == set(Member.objects.filter(org=personas.b1))
    problems = [c.id for c in run_checks(databases=["default"])]
    assert "dangjian.E030" in problems


def test_the_root_grant_still_means_everything(personas: Personas) -> None:
    staff = personas.users["root_staff"]
    assert scope_for(staff, "members", "view").everything
    assert "dangjian.E030" not in [c.id for c in run_checks(databases=["default"])]


def test_create_root_org_makes_the_one_root_once(db: Any) -> None:
    out = io.StringIO()
    call_command("create_root_org", name="中共某市公安局委员会", code="SJ", stdout=out)
    root = Organization.objects.get()
    assert root.path == "0001" and root.kind == "committee" and "0001" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("create_root_org", name="第二个", code="X2", stdout=io.StringIO())
    assert Organization.objects.count() == 1
