"""AC-04 三员分立: the exact role x area x action matrix, and how the three admins behave.

The expected matrix is written out here on purpose, as data compared with the declared one in
a single assertion: changing a module's declared areas (collected by dangjian/accounts/roles.py)
without changing this table fails with the list of rights gained and lost, so every change of
rights is deliberate and reviewed. The behaviour tests below check that screens and API do
what the matrix says for the three administrators.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from dangjian.accounts import services
from dangjian.accounts.models import RoleGrant
from dangjian.accounts.roles import ADMIN_ROLES, MEMBER_DATA_AREAS, ROLE_MATRIX, Role, allows
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.modules import areas
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.api_suites import ViewSetSuite, api_token, registered_viewsets
from tests.security.conftest import all_routes, login

AREAS = ("members", "orgs", "posts", "config", "users", "grants", "security", "audit", "meetings", "attendance",
         "dlm", "dues", "development", "filings", "mistakes", "inspection_plans", "inspection", "clues", "points",
         "discipline", "library", "quality", "care", "study", "honors", "assessment", "announcements", "receipts",
         "channels", "dashboard")
#: Areas holding business personal data, which no administrator role reaches.
BUSINESS_AREAS = ("members", "posts", "meetings", "attendance", "dlm", "dues", "development", "inspection", "points",
                  "discipline", "quality", "care", "study", "honors", "assessment", "receipts", "dashboard")
ACTIONS = ("view", "add", "change", "delete", "export", "reveal")
V, A, C, D, E, R = ACTIONS
ALL = {V, A, C, D, E}

#: role -> (reach, {area: actions}); anything not listed is denied.
EXPECTED: dict[str, tuple[str, dict[str, set[str]]]] = {
    "member": ("self", {"members": {V}, "orgs": {V}, "posts": {V}, "meetings": {V}, "attendance": {V},
                        "dues": {V}, "mistakes": {V}, "points": {V}, "discipline": {V}, "library": {V}, "study": {V},
                        "receipts": {V},
                        # own rows only (the member portal): my commendations, my development file
                        "honors": {V}, "development": {V}}),
    "branch_officer": ("subtree", {"members": ALL, "orgs": {V, C, E}, "posts": {V, C, E}, "config": {V},
                                   "meetings": ALL, "attendance": ALL, "dlm": ALL, "dues": ALL,
                                   "development": {V, A, C, E}, "filings": ALL, "mistakes": {V}, "inspection": {V, C},
                                   "points": ALL, "discipline": {V, A, C, E}, "library": {V}, "quality": {V},
                                   "care": {V, A, C, E}, "study": ALL,
                                   "honors": {V, A, C, E}, "assessment": {V, A, C, E}, "announcements": ALL,
                                   "receipts": {V, E}, "dashboard": {V, E}}),
    "committee_staff": ("subtree", {"members": ALL | {R}, "orgs": ALL, "posts": ALL, "config": {V, A, C},
                                    "meetings": ALL, "attendance": ALL, "dlm": ALL, "dues": ALL,
                                    "development": ALL, "filings": ALL, "mistakes": ALL, "inspection_plans": ALL,
                                    "inspection": ALL, "clues": {V, A, C, E}, "points": ALL, "discipline": ALL,
                                    "library": ALL, "quality": {V, C, E}, "care": ALL | {R}, "study": ALL,
                                    "honors": ALL, "assessment": ALL, "announcements": ALL, "receipts": {V, E},
                                    "dashboard": {V, E}}),
    # the inspector's inspection and clue rights reach only the inspections of its teams
    # (dangjian/supervision/models/visibility.py), not the granted subtree
    "inspector": ("subtree", {"members": {V}, "orgs": {V}, "posts": {V}, "meetings": {V}, "attendance": {V},
                              "dlm": {V}, "dues": {V}, "development": {V}, "filings": {V}, "mistakes": {V},
                              "inspection": {V, A, C, E}, "clues": {V, A, C, E}, "points": {V},
                              "discipline": {V, A}, "library": {V}, "quality": {V}, "care": {V}, "study": {V},
                              "honors": {V}, "assessment": {V}, "announcements": {V}, "receipts": {V},
                              "dashboard": {V}}),
    "system_admin": ("subtree", {"orgs": ALL, "users": {V, A, C}, "config": {V, A, C}, "library": {V},
                                 "channels": {V, A, C}}),
    "security_admin": ("subtree", {"grants": ALL, "users": {V}, "security": {V, A, C}, "orgs": {V}}),
    "audit_admin": ("subtree", {"audit": {V, E}}),
}

def granted_cells(matrix: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    """(role, area, action) for every right a matrix grants (EXPECTED's shape or ROLE_MATRIX's)."""
    cells = set()
    for role, spec in matrix.items():
        rights = spec[1] if isinstance(spec, tuple) else spec.areas
        cells |= {(role, area, action) for area, actions in rights.items() for action in actions}
    return cells


def _table(cells: set[tuple[str, str, str]]) -> list[str]:
    """One line per role and area with its actions in a fixed order: readable in a diff."""
    lines = []
    for role in EXPECTED:
        for area in sorted({a for r, a, _x in cells if r == role}):
            actions = " ".join(x for x in ACTIONS if (role, area, x) in cells)
            lines.append(f"{role:<16} {area:<11} {actions}")
    return lines


def test_the_role_matrix_is_exactly_the_expected_one() -> None:
    """The whole role x area x action matrix and every role's reach, in one comparison.

    On a difference the message lists each right granted but not expected (+) and expected
    but not granted (-), then pytest shows the two tables side by side.
    """
    expected, actual = granted_cells(EXPECTED), granted_cells(ROLE_MATRIX)
    diff = [f"+ {role} {action} {area}" for role, area, action in sorted(actual - expected)]
    diff += [f"- {role} {action} {area}" for role, area, action in sorted(expected - actual)]
    diff += [f"reach of {role}: {ROLE_MATRIX[role].reach}, expected {EXPECTED[role][0]}"
             for role in EXPECTED if role in ROLE_MATRIX and ROLE_MATRIX[role].reach != EXPECTED[role][0]]
    assert set(ROLE_MATRIX) == set(EXPECTED) == {r.value for r in Role}, "a role was added or removed"
    assert (_table(actual), {r: s.reach for r, s in ROLE_MATRIX.items()}) == \
        (_table(expected), {r: s[0] for r, s in EXPECTED.items()}), "role matrix differs:\n" + "\n".join(diff)


def test_every_declared_area_and_action_is_known_here() -> None:
    """A new area or action must be added to AREAS / ACTIONS above (and to EXPECTED), on purpose;
    ``allows`` answers exactly what the matrix says for every cell."""
    assert set(areas()) == set(AREAS), f"declared areas {sorted(areas())} != AREAS {sorted(AREAS)}"
    assert {action for _r, _a, action in granted_cells(ROLE_MATRIX)} <= set(ACTIONS)
    cells = itertools.product(EXPECTED, AREAS, ACTIONS)
    wrong = [cell for cell in cells if allows(*cell) is not (cell in granted_cells(ROLE_MATRIX))]
    assert not wrong, wrong


def test_a_changed_right_fails_with_a_readable_difference() -> None:
    """The comparison above is not vacuous: one right more and one less are both named."""
    changed = {role: (reach, {area: set(actions) for area, actions in rights.items()})
               for role, (reach, rights) in EXPECTED.items()}
    changed["system_admin"][1]["members"] = {V}
    changed["inspector"][1]["dues"] = set()
    extra, missing = granted_cells(changed) - granted_cells(EXPECTED), granted_cells(EXPECTED) - granted_cells(changed)
    assert (extra, missing) == ({("system_admin", "members", V)}, {("inspector", "dues", V)})
    assert _table(granted_cells(changed)) != _table(granted_cells(EXPECTED))


def test_admin_roles_are_the_three() -> None:
    assert ADMIN_ROLES == {"system_admin", "security_admin", "audit_admin"}


def test_business_areas_are_the_declared_member_data_areas() -> None:
    assert set(BUSINESS_AREAS) == MEMBER_DATA_AREAS


#: Models that refer to a member but sit outside the member-data areas, each reviewed:
#: - accounts.user: the account's own holder (shown by name to the system admin, who creates
#:   accounts; the member choices of the account form are narrowed to what the admin may see,
#:   which is nothing, so no member can be browsed through it);
#: - core.auditentry is not a member reference (object ids only) and is the audit admin's;
#: - notices.reminder: an inbox item addressed to a member is read only by that member's own
#:   account (notices.inbox.visible_q: member_id == user.member_id); it has no area, no list
#:   and no administrator sees it (dangjian/notices/tests/test_inbox.py).
MEMBER_REFERENCE_EXEMPT = {"accounts.user", "notices.reminder"}


def _refers_to_member(model: Any) -> bool:
    member_model = apps.get_model("members", "Member")
    return any(getattr(f, "related_model", None) is member_model and f.concrete for f in model._meta.get_fields())


def test_every_model_referring_to_a_member_is_member_data() -> None:
    """The class of the posts leak (AC-04): a row naming a member sat in an area the system admin
    holds. Every model with a foreign key to a member is now in a member-data area."""
    leaking = sorted(
        m._meta.label_lower for m in apps.get_models()
        if m._meta.label_lower != "members.member" and _refers_to_member(m)
        and m._meta.label_lower not in MEMBER_REFERENCE_EXEMPT and getattr(m, "scope_area", None) not in MEMBER_DATA_AREAS
    )
    assert leaking == []


def test_admins_see_no_business_personal_data() -> None:
    for role in ADMIN_ROLES:
        assert not any(allows(role, area, a) for area in BUSINESS_AREAS for a in ACTIONS), role
    # separation: only the audit admin reads the audit log; it changes nothing anywhere
    assert [r for r in EXPECTED if allows(r, "audit", "view")] == ["audit_admin"]
    assert [r for r in EXPECTED if allows(r, "grants", "add")] == ["security_admin"]
    assert [r for r in EXPECTED if allows(r, "security", "change")] == ["security_admin"]
    assert not any(allows("audit_admin", area, a) for area in AREAS for a in ("add", "change", "delete", "reveal"))


# --- behaviour ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_system_admin_cannot_read_audit_or_members(personas: Any) -> None:
    client = login("sysadmin")
    for url in ("/audit/", "/audit/export.xlsx", f"/audit/{AuditEntry.objects.first().pk}/", "/members/",
                f"/members/{personas.members['m_b1'].pk}/", "/members/export.xlsx"):
        assert client.get(url).status_code == 404, url
    assert client.get("/accounts/users/").status_code == 200
    assert client.get("/orgs/").status_code == 200


@pytest.mark.django_db
def test_security_admin_cannot_read_audit_or_members(personas: Any) -> None:
    client = login("secadmin")
    for url in ("/audit/", "/members/", "/accounts/users/add/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/accounts/grants/").status_code == 200


@pytest.mark.django_db
def test_audit_admin_reads_audit_only(personas: Any) -> None:
    client = login("auditadmin")
    assert client.get("/audit/").status_code == 200
    assert client.get(f"/audit/{AuditEntry.objects.first().pk}/").status_code == 200
    assert client.get("/audit/export.xlsx").status_code == 200
    for url in ("/members/", f"/members/{personas.members['m_b1'].pk}/", "/accounts/users/",
                "/accounts/users/add/", "/accounts/grants/add/", "/accounts/locks/", "/members/add/"):
        assert client.get(url).status_code == 404, url


ADMIN_PERSONAS = {"sysadmin": "system_admin", "secadmin": "security_admin", "auditadmin": "audit_admin"}


def _api_suites() -> dict[type, type[ViewSetSuite]]:
    from dangjian.core.tests.test_meta import _test_modules

    return {value.viewset: value for module in _test_modules() for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, ViewSetSuite) and "viewset" in value.__dict__}


@pytest.mark.django_db
@pytest.mark.parametrize("admin", sorted(ADMIN_PERSONAS))
def test_an_admin_reaches_no_api_resource_outside_its_areas(personas: Any, admin: str) -> None:
    """The matrix on every API resource: a row of each (made by its generated suite's
    declaration) is neither listed nor shown to an administrator whose role lacks the
    resource's area, and is shown to one whose role has it."""
    client = SchemaValidatingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(admin)}")
    suites = _api_suites()
    refused = []
    for viewset, prefix in sorted(registered_viewsets().items(), key=lambda item: item[1]):
        with acting_as(None, reason="test fixture"):
            row = suites[viewset].make_row(personas)
        shown = client.get(f"/api/v1/{prefix}/{row.pk}/").status_code
        if allows(ADMIN_PERSONAS[admin], viewset.queryset.model.scope_area, "view"):
            assert shown == 200, (admin, prefix, shown)
            continue
        listed = client.get(f"/api/v1/{prefix}/")
        assert listed.status_code == 200 and listed.json()["count"] == 0, (admin, prefix, listed.json())
        assert shown == 404, (admin, prefix, shown)
        refused.append(prefix)
    assert len(refused) >= 8, refused  # every business resource at least


def table_counts() -> dict[str, int]:
    skip = {"core.auditentry", "sessions.session", "accounts.loginlock"}
    return {m._meta.label_lower: m._base_manager.count() for m in apps.get_models() if m._meta.label_lower not in skip}


def row_versions() -> dict[str, list[Any]]:
    result = {}
    for model in apps.get_models():
        if any(f.name == "version" for f in model._meta.concrete_fields):
            result[model._meta.label_lower] = sorted(model._base_manager.values_list("pk", "version"))
    return result


#: Pages that only render, whatever the method (the unchanged row counts below prove it).
READ_ONLY_ANY_METHOD = {"core:home", "orgs:tree", "orgs:tree_children", "orgs:expiring_terms",
                        "orgs:structure_warnings",
                        # an export's POST (the confirmation of a large one) streams a small list: a read
                        "core:audit_export"}


@pytest.mark.django_db
def test_audit_admin_cannot_change_anything(personas: Any) -> None:
    """POST/PUT/PATCH/DELETE to every URL as the audit admin: refused, and no row changes."""
    client = login("auditadmin")
    counts, versions = table_counts(), row_versions()
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    payload = {"name": "x", "username": "officer_b1", "role": "audit_admin", "user": 1, "org": 1}
    own = {"accounts:logout", "accounts:password_change", "accounts:login", "core:health", "api:token",
           "notices:preferences",  # the user's own settings
           # the user's own second factor and re-authentication (AUTH-03, SESS-02)
           "accounts:mfa_verify", "accounts:mfa_enrol", "accounts:mfa_status", "accounts:step_up", "api:step_up"}
    for route in all_routes():
        if route.name in own:
            continue
        url = route.url()
        for method in ("post", "put", "patch", "delete"):
            if route.is_api:
                response = getattr(client, method)(url, json.dumps(payload), content_type="application/json")
            elif method == "post":
                response = client.post(url, payload)
            else:
                response = getattr(client, method)(url)
            # a redirect is how a successful write answers; read-only pages may render (200)
            assert response.status_code in (200, 400, 403, 404, 405), f"{method} {url}: {response.status_code}"
            if response.status_code == 200:
                assert route.name in READ_ONLY_ANY_METHOD, f"{method} {url} answered 200"
    assert table_counts() == counts
    assert row_versions() == versions
    writes = AuditEntry.objects.filter(pk__gt=last_entry, success=True).exclude(event__in=("login", "export"))
    assert not writes.exists(), list(writes.values_list("event", "object_type"))


# --- role grants: no second admin role, no self-grant -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("holder", "role"), [
    ("sysadmin", "audit_admin"), ("sysadmin", "security_admin"), ("secadmin", "system_admin"),
    ("auditadmin", "security_admin"), ("auditadmin", "committee_staff"), ("officer_b1", "system_admin"),
])
def test_second_admin_role_is_refused_by_service(personas: Any, holder: str, role: str) -> None:
    before = RoleGrant.objects.count()
    with pytest.raises(ValidationError):
        services.grant_role(actor=personas.user("secadmin"), user=personas.user(holder), role=role, org=personas.root)
    assert RoleGrant.objects.count() == before


@pytest.mark.django_db
def test_second_admin_role_is_refused_by_form(personas: Any) -> None:
    client = login("secadmin")
    before = RoleGrant.objects.count()
    response = client.post("/accounts/grants/add/", {
        "user": personas.user("sysadmin").pk, "role": "audit_admin", "org": personas.root.pk})
    assert response.status_code == 400
    assert response.context["form"].errors.get("role"), response.context["form"].errors
    assert RoleGrant.objects.count() == before


@pytest.mark.django_db
def test_security_admin_grants_an_ordinary_role(personas: Any) -> None:
    """The control case: a legal grant through the same form works and is audited."""
    client = login("secadmin")
    response = client.post("/accounts/grants/add/", {
        "user": personas.user("officer_b2").pk, "role": "inspector", "org": personas.c1.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=personas.user("officer_b2"), role="inspector")
    assert grant.granted_by == personas.user("secadmin")
    assert AuditEntry.objects.filter(event="create", object_type="accounts.rolegrant", object_id=str(grant.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "role", "org"), [
    ("root_staff", "inspector", "b1"), ("c1_staff", "branch_officer", "b2"), ("secadmin", "security_admin", "c1"),
    ("officer_b1", "committee_staff", "b1"),
])
def test_nobody_grants_themself_a_role(personas: Any, persona: str, role: str, org: str) -> None:
    user = personas.user(persona)
    before = RoleGrant.objects.count()
    with pytest.raises(ValidationError):
        services.grant_role(actor=user, user=user, role=role, org=getattr(personas, org))
    assert RoleGrant.objects.count() == before


@pytest.mark.django_db
def test_security_admin_cannot_self_grant_through_form(personas: Any) -> None:
    client = login("secadmin")
    me = personas.user("secadmin")
    before = RoleGrant.objects.count()
    response = client.post("/accounts/grants/add/", {"user": me.pk, "role": "security_admin", "org": personas.c1.pk})
    assert response.status_code == 400 and response.context["form"].errors.get("user")
    assert RoleGrant.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "root_staff", "officer_b1"])
def test_only_the_security_admin_grants_roles(personas: Any, persona: str) -> None:
    client = login(persona)
    before = RoleGrant.objects.count()
    response = client.post("/accounts/grants/add/", {
        "user": personas.user("officer_b2").pk, "role": "inspector", "org": personas.c1.pk})
    assert response.status_code == 404
    assert RoleGrant.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("holder", "role"), [("sysadmin", "audit_admin"), ("secadmin", "security_admin")])
def test_api_refuses_second_admin_role_and_self_grant(personas: Any, holder: str, role: str) -> None:
    client = login("secadmin")
    before = RoleGrant.objects.count()
    response = client.post("/api/v1/role-grants/", {"user": personas.user(holder).pk, "role": role,
                                                     "org": personas.c1.pk}, content_type="application/json")
    assert response.status_code == 400, response.content
    assert RoleGrant.objects.count() == before
