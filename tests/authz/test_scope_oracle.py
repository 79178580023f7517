"""AC-02 as a property: over random trees, grants and actors, what each actor can list and
open is exactly what an oracle computed independently from the tree says (issue 8).

The oracle walks parent links in Python (never the materialized path the resolver uses):
a grant covers its organization and everything below it, whatever its depth; only a grant on
the installation's configured root means "everything". A second top-level organization — made
here behind the application's back, the way the reported attack produced one — covers just its
own subtree. The same run tries to create or move organizations to the top, and fails to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.accounts.models import RoleGrant, User
from dangjian.core.context import acting_as
from dangjian.core.scoping import get_scoped_or_404
from dangjian.core.testing.personas import make_member
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

ROLES = ("branch_officer", "committee_staff", "inspector")
KIDS = {"committee": ("committee", "general_branch", "branch"), "general_branch": ("branch",), "branch": ("group",),
        "group": ()}


@dataclass(frozen=True)
class World:
    """A tree as parent indexes (-1: top level), kinds, and whether a node is the second root."""

    parents: tuple[int, ...]
    kinds: tuple[str, ...]


@st.composite
def worlds(draw: Any) -> World:
    parents, kinds = [-1], ["committee"]
    for _ in range(draw(st.integers(2, 12))):
        candidates = [i for i, k in enumerate(kinds) if KIDS[k]]
        parent = draw(st.sampled_from(candidates))
        parents.append(parent)
        kinds.append(draw(st.sampled_from(KIDS[kinds[parent]])))
    if draw(st.booleans()):  # the stray second top-level organization of the reported attack
        parents.append(-1)
        kinds.append("committee")
        if draw(st.booleans()):
            parents.append(len(parents) - 1)
            kinds.append("branch")
    return World(tuple(parents), tuple(kinds))


def build(world: World) -> list[Organization]:
    nodes: list[Organization] = []
    for i, (parent, kind) in enumerate(zip(world.parents, world.kinds, strict=True)):
        values = {"name": f"组织{i}", "code": f"O{i}", "kind": kind}
        if parent == -1:
            nodes.append(Organization.objects.add_root(values))  # scope-ok: test fixture
        else:
            nodes[parent].refresh_from_db()
            nodes.append(Organization.objects.add_child(nodes[parent], values))  # scope-ok: test fixture
    return nodes


def subtree(world: World, top: int) -> set[int]:
    """Indexes of ``top`` and everything below it, by parent links."""
    found = {top}
    changed = True
    while changed:
        changed = False
        for i, parent in enumerate(world.parents):
            if parent in found and i not in found:
                found.add(i)
                changed = True
    return found


def oracle(world: World, grants: list[tuple[str, int]]) -> set[int]:
    """Organizations (indexes) reachable for viewing members and organizations."""
    reach: set[int] = set()
    for _role, node in grants:
        if node == 0:  # the installation root (created first: path 0001 = ROOT_ORG_PATH)
            return set(range(len(world.parents)))
        reach |= subtree(world, node)
    return reach


actors = st.lists(st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 20)), min_size=1, max_size=3),
                  min_size=1, max_size=3)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(world=worlds(), actor_grants=actors)
def test_scoped_rows_equal_the_tree_oracle(db: Any, world: World, actor_grants: list[list[tuple[str, int]]]) -> None:
    with transaction.atomic():
        with acting_as(None, reason="scope property test"):
            nodes = build(world)
            members = {i: make_member(node) for i, node in enumerate(nodes) if node.kind == "branch"}
            users = []
            for n, grants in enumerate(actor_grants):
                grants = [(role, node % len(nodes)) for role, node in grants]
                user = User.objects.create(username=f"actor{n}")
                for role, node in dict.fromkeys(grants):
                    RoleGrant.objects.create(user=user, role=role, org=nodes[node])
                users.append((user, grants))
        for user, grants in users:
            expected = oracle(world, grants)
            fresh = User.objects.get(pk=user.pk)  # no cached scope
            visible_orgs = set(Organization.objects.visible_to(fresh, "view").values_list("pk", flat=True))
            assert visible_orgs == {nodes[i].pk for i in expected}, (world, grants)
            visible_members = set(Member.objects.visible_to(fresh, "view").values_list("pk", flat=True))
            assert visible_members == {m.pk for i, m in members.items() if i in expected}, (world, grants)
            for i, member in members.items():  # opening one row agrees with listing
                try:
                    get_scoped_or_404(fresh, Member, "view", pk=member.pk)
                    opened = True
                except Exception:  # noqa: BLE001  (Http404)
                    opened = False
                assert opened is (i in expected), (world, grants, i)
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(world=worlds(), grant_at=st.integers(0, 20), kind=st.sampled_from(("committee", "general_branch", "branch",
                                                                          "group")))
def test_nobody_creates_or_moves_an_organization_to_the_top(db: Any, world: World, grant_at: int, kind: str) -> None:
    from rest_framework.test import APIClient

    with transaction.atomic():
        with acting_as(None, reason="top-level attempts"):
            nodes = build(world)
            user = User.objects.create(username="staff")
            user.set_password("Xk#29sLq!pW")
            user.save()
            granted = nodes[grant_at % len(nodes)]
            RoleGrant.objects.create(user=user, role="committee_staff", org=granted)
        tops = Organization.objects.filter(depth=1).count()
        api = APIClient()
        api.force_authenticate(user)
        response = api.post("/api/v1/organizations/", {"name": "新顶层", "code": "TOPX", "kind": kind}, format="json")
        assert response.status_code in (400, 404), response.content
        response = api.post("/api/v1/organizations/", {"name": "新顶层", "code": "TOPY", "kind": kind,
                                                       "parent": None}, format="json")
        assert response.status_code in (400, 404), response.content
        assert Organization.objects.filter(depth=1).count() == tops
        assert not Organization.objects.filter(code__in=("TOPX", "TOPY")).exists()
        transaction.set_rollback(True)
