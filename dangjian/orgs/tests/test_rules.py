"""Rules of the organization module over HTTP: moving a subtree, term expiry, structure warnings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.periods import add_months
from dangjian.core.testing.personas import Personas, make_member
from dangjian.core.testing.suites import listed_pks
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.models import Organization, OrganizationTerm, OrgRules

ClientFor = Callable[[str], Client]


def _fresh(org: Organization) -> Organization:
    return Organization.objects.get(pk=org.pk)


def _set_rules(**values: Any) -> None:
    """This year's rule row with ``values`` (the rules are data, per year)."""
    year = timezone.localdate().year
    with acting_as(None, reason="test rules"):
        rules = OrgRules.objects.filter(year=year).first() or OrgRules(year=year)
        for name, value in values.items():
            setattr(rules, name, value)
        rules.save()


# --- moving a subtree ----------------------------------------------------------------------------


def test_moving_a_subtree_rewrites_paths_members_follow_and_it_is_audited(
    personas: Personas, client_for: ClientFor,
) -> None:
    b1, g1, c1, c2 = personas.b1, personas.g1, personas.c1, personas.c2
    old_path = b1.path
    response = client_for("root_staff").post(f"/orgs/{b1.pk}/move/", {"target": c2.pk})
    assert response.status_code == 302

    b1, g1 = _fresh(b1), _fresh(g1)
    assert Organization.objects.get_parent(b1) == c2 and b1.path.startswith(c2.path) and b1.depth == c2.depth + 1
    assert g1.path.startswith(b1.path) and g1.depth == b1.depth + 1 and Organization.objects.get_parent(g1) == b1
    assert _fresh(c1).numchild == 1 and _fresh(c2).numchild == 2
    assert not Organization.objects.filter(path__startswith=old_path).exists()

    zhang = personas.members["m_b1"]
    assert Member.objects.get(pk=zhang.pk).org_id == b1.pk
    assert set(Member.objects.filter(org__path__startswith=c2.path).values_list("name", flat=True)) \
        == {"张三", "李四", "赵六"}
    assert zhang.pk not in listed_pks(client_for("c1_staff").get("/members/"))  # C1 lost the subtree
    assert client_for("officer_b1").get(f"/members/{zhang.pk}/").status_code == 200  # B1's officer keeps it

    entry = AuditEntry.objects.get(event="move", object_type="orgs.organization", object_id=str(b1.pk))
    assert entry.actor_id == personas.user("root_staff").pk
    assert entry.changes["path"] == [old_path, b1.path]
    assert entry.changes["parent"] == [str(c1), str(c2)]


def test_committee_staff_cannot_move_a_subtree_out_of_its_scope(personas: Personas, client_for: ClientFor) -> None:
    b1 = personas.b1
    client = client_for("c1_staff")
    response = client.post(f"/orgs/{b1.pk}/move/", {"target": personas.c2.pk})
    assert response.status_code == 400
    assert _fresh(b1).path == b1.path
    assert client.post(f"/orgs/{personas.b3.pk}/move/", {"target": personas.c1.pk}).status_code == 404
    assert _fresh(personas.b3).path == personas.b3.path
    assert client_for("officer_b2").post(f"/orgs/{b1.pk}/move/", {"target": personas.b2.pk}).status_code == 404
    assert not AuditEntry.objects.filter(event="move").exists()


def test_a_node_cannot_move_under_its_own_subtree(personas: Personas, client_for: ClientFor) -> None:
    response = client_for("root_staff").post(f"/orgs/{personas.b1.pk}/move/", {"target": personas.g1.pk})
    assert response.status_code == 400
    assert _fresh(personas.b1).path == personas.b1.path


# --- term expiry -----------------------------------------------------------------------------------


def _term(org: Organization, ends_on: dt.date, **fields: Any) -> OrganizationTerm:
    with acting_as(None, reason="test terms"):
        term = OrganizationTerm(org=org, started_on=ends_on.replace(year=ends_on.year - 3), ends_on=ends_on, **fields)
        term.save()
    return term


def _expiring(client: Client) -> set[int]:
    response = client.get("/orgs/terms/expiring/")
    assert response.status_code == 200
    return {term.pk for term in response.context["terms"]}


def test_term_expiry_list_follows_the_warning_window_of_the_rules(personas: Personas, client_for: ClientFor) -> None:
    today = timezone.localdate()
    _set_rules(term_warning_months=6)
    soon = _term(personas.b1, add_months(today, 4))
    later = _term(personas.b2, add_months(today, 24))
    overdue = _term(personas.c1, today - dt.timedelta(days=10))
    closed = _term(personas.b1, add_months(today, 1), closed_on=today)
    extended = _term(personas.b2, add_months(today, 2), extended_to=add_months(today, 18), extension_reason="批复延期")
    elsewhere = _term(personas.b3, add_months(today, 1))

    client = client_for("c1_staff")
    assert _expiring(client) == {soon.pk, overdue.pk}

    _set_rules(term_warning_months=30)  # a wider window from the rule table widens the list
    assert _expiring(client) == {soon.pk, later.pk, overdue.pk, extended.pk}
    assert closed.pk not in _expiring(client) and elsewhere.pk not in _expiring(client)
    assert elsewhere.pk in _expiring(client_for("root_staff"))


# --- term length from the rules (DOMAIN.md 2.4, TERM18) ----------------------------------------------


def _add_term(client: Client, org: Organization, started_on: str, ends_on: str = "") -> Any:
    return client.post("/orgs/terms/add/", {"org": org.pk, "number": 2, "started_on": started_on, "ends_on": ends_on})


def test_a_term_without_an_end_lasts_as_the_rules_say_for_its_kind(personas: Personas, client_for: ClientFor) -> None:
    client = client_for("c1_staff")
    form = client.get("/orgs/terms/add/").content.decode()
    assert "党的委员会5年" in form and "党总支和党支部3年" in form  # the usual lengths shown beside the field
    for org, start, end in [
        (personas.c1, "2026-07-01", dt.date(2031, 7, 1)),   # a party committee: 5 years
        (personas.b1, "2026-07-01", dt.date(2029, 7, 1)),   # a branch: 3 years
        (personas.b2, "2024-02-29", dt.date(2027, 2, 28)),  # a leap day ends on 28 February
    ]:
        assert _add_term(client, org, start).status_code == 302
        term = OrganizationTerm.objects.get(org=org, number=2)
        assert term.ends_on == end, org.code
    detail = client.get(f"/orgs/terms/{term.pk}/").content.decode()
    assert "按规定的任期届满日期" in detail and "2027年2月28日" in detail  # read as a date, not ISO

    # An end given by hand (an approved different term) is kept as entered.
    assert _add_term(client, personas.b1, "2020-01-01", "2022-12-31").status_code == 302
    assert OrganizationTerm.objects.get(org=personas.b1, started_on=dt.date(2020, 1, 1)).ends_on == dt.date(2022, 12, 31)


def test_the_term_length_comes_from_the_rules_row_of_the_start_year(personas: Personas, client_for: ClientFor) -> None:
    with acting_as(None, reason="test rules"):
        OrgRules.objects.create(year=2030, term_years_committee=4, term_years_branch=2)
    client = client_for("c1_staff")
    assert _add_term(client, personas.b1, "2031-03-01").status_code == 302   # 2030's row is in force in 2031
    assert _add_term(client, personas.c1, "2029-03-01").status_code == 302   # 2029 still follows 2026's row
    assert OrganizationTerm.objects.get(org=personas.b1, number=2).ends_on == dt.date(2033, 3, 1)
    assert OrganizationTerm.objects.get(org=personas.c1, number=2).ends_on == dt.date(2034, 3, 1)


# --- structure warnings ----------------------------------------------------------------------------


def _warnings(client: Client) -> dict[str, list[int]]:
    """Organization code -> full-member counts of its warnings."""
    response = client.get("/orgs/warnings/")
    assert response.status_code == 200
    found: dict[str, list[int]] = {}
    for warning in response.context["warnings"]:
        found.setdefault(warning.org.code, []).append(warning.full_members)
    return found


def test_structure_warnings_for_small_branches_and_missing_committees(
    personas: Personas, client_for: ClientFor,
) -> None:
    _set_rules(branch_min_full_members=3, committee_required_at=7)
    client = client_for("c1_staff")
    assert _warnings(client) == {"B1": [2], "B2": [1]}  # both below 3 full members; B3 is not C1's

    for _ in range(5):
        make_member(personas.b1)  # B1 now has 7 full members
    make_member(personas.b1, status="probationary", full_member_on=None)  # not counted
    assert _warnings(client) == {"B1": [7], "B2": [1]}  # no committee at 7 full members

    with acting_as(None, reason="test committee"):
        CommitteePost(org=personas.b1, member=personas.members["m_b1"], post="secretary",
                      started_on=dt.date(2025, 1, 1)).save()
    assert _warnings(client) == {"B2": [1]}

    _set_rules(branch_min_full_members=1)  # the thresholds are data, not constants
    assert _warnings(client) == {}


def test_structure_warning_messages_name_the_threshold(personas: Personas, client_for: ClientFor) -> None:
    _set_rules(branch_min_full_members=4)
    response = client_for("officer_b1").get("/orgs/warnings/")
    [warning] = response.context["warnings"]
    assert warning.org.pk == personas.b1.pk and "4" in warning.message
    assert warning.message in response.content.decode()
