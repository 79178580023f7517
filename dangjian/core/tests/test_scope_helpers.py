"""The scope helpers of core/scoping.py: "where may this user do X in area Y" and "does this
grant cover that organization", for the personas (officers of two sibling branches, committee
staff above one of them, an inspector, a plain member, the root)."""

from __future__ import annotations

import pytest
from django.http import Http404

from dangjian.core.scoping import chosen_subtree, covers, orgs_where, scope_paths, within_scope
from dangjian.core.testing.personas import Personas
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def codes(queryset: object) -> set[str]:
    return set(queryset.values_list("code", flat=True))  # type: ignore[attr-defined]


def test_orgs_where_is_the_subtree_of_the_grant_in_that_area(personas: Personas) -> None:
    assert codes(orgs_where(personas.user("officer_b1"), "dues", "add")) == {"B1", "B1G1"}
    assert codes(orgs_where(personas.user("c1_staff"), "meetings", "add")) == {"C1", "B1", "B2", "B1G1"}
    assert codes(orgs_where(personas.user("inspector_c1"), "dues", "view")) == {"C1", "B1", "B2", "B1G1"}
    assert codes(orgs_where(personas.user("inspector_c1"), "dues", "add")) == set()  # read only
    assert codes(orgs_where(personas.user("member_b1"), "dues", "add")) == set()
    assert codes(orgs_where(personas.user("sysadmin"), "dues", "view")) == set()  # 三员: no member data
    everything = orgs_where(personas.user("root_staff"), "dues", "add")
    assert codes(everything) == {"R", "C1", "C2", "B1", "B2", "B3", "B1G1"}
    branches = orgs_where(personas.user("c1_staff"), "dues", "add", Organization.objects.filter(kind="branch"))
    assert codes(branches) == {"B1", "B2"}


def test_covers_a_subtree_and_nothing_beside_it(personas: Personas) -> None:
    officer = personas.user("officer_b1")
    assert covers(officer, "dues", "change", personas.b1) and covers(officer, "dues", "change", personas.g1)
    assert not covers(officer, "dues", "change", personas.b2)  # the sibling branch
    assert not covers(officer, "dues", "change", personas.c1)  # the level above
    assert covers(officer, "dues", "change", personas.g1.path)  # a path works too
    assert not covers(personas.user("inspector_c1"), "dues", "change", personas.b1)
    assert covers(personas.user("root_staff"), "dues", "delete", personas.b3)
    assert not covers(personas.user("member_b1"), "dues", "add", personas.b1)


def test_within_scope_narrows_rows_by_another_areas_scope(personas: Personas) -> None:
    officer = personas.user("officer_b1")
    payable = within_scope(Member.objects.visible_to(officer, "view"), officer, "dues", "add")
    assert set(payable.values_list("name", flat=True)) == {"张三", "李四"}
    inspector = personas.user("inspector_c1")
    assert not within_scope(Member.objects.visible_to(inspector, "view"), inspector, "dues", "add").exists()


def test_scope_paths_and_chosen_subtree(personas: Personas) -> None:
    staff = personas.user("c1_staff")
    assert scope_paths(staff, "meetings", "view") == [personas.c1.path]
    assert scope_paths(personas.user("root_staff"), "meetings", "view") is None
    assert scope_paths(personas.user("sysadmin"), "meetings", "view") == []
    assert chosen_subtree(staff, "meetings", None) == ([personas.c1.path], None)
    assert chosen_subtree(staff, "meetings", personas.b2.pk) == ([personas.b2.path], personas.b2)
    with pytest.raises(Http404):
        chosen_subtree(staff, "meetings", personas.b3.pk)  # another unit's branch
    with pytest.raises(Http404):
        chosen_subtree(personas.user("sysadmin"), "meetings", None)  # no meetings scope at all
