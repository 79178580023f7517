"""REST API v1: tokens, scoping, audit, version conflicts, idempotency, error shape, schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient, openapi
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code, valid_id_number
from dangjian.members.models import Member


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def new_member_payload(org_id: int, **over: Any) -> dict[str, Any]:
    birth = dt.date(1990, 3, 7)
    data = {
        "name": "接口党员", "gender": "M", "birth_date": birth.isoformat(), "id_number": valid_id_number(birth, "M"),
        "police_number": "A90001", "personnel_type": "police", "joined_party_on": "2015-07-01",
        "full_member_on": "2016-07-01", "status": "full", "org": org_id,
    }
    data.update(over)
    return data


def test_schema_is_valid_openapi_and_lists_the_resources(personas: Personas) -> None:
    paths = openapi()["paths"]
    for resource in ("organizations", "members", "transfers", "role-grants"):
        assert f"/api/v1/{resource}/" in paths


def test_anonymous_gets_401_and_schema_needs_login(personas: Personas) -> None:
    client = SchemaValidatingClient()
    assert client.get("/api/v1/members/").status_code == 401
    assert client.get("/api/v1/schema/").status_code == 401


def test_wrong_password_and_unknown_user_get_the_same_answer(personas: Personas) -> None:
    client = SchemaValidatingClient()
    wrong = client.post("/api/v1/auth/token/", {"username": "officer_b1", "password": "nope"}, format="json")
    unknown = client.post("/api/v1/auth/token/", {"username": "nobody", "password": "nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert "用户名或密码" in wrong.json()["errors"]["non_field_errors"][0]


def test_token_lockout_applies_to_the_api(personas: Personas) -> None:
    client = SchemaValidatingClient()
    for _ in range(5):
        client.post("/api/v1/auth/token/", {"username": "officer_b1", "password": "wrong"}, format="json")
    locked = client.post("/api/v1/auth/token/", {"username": "officer_b1", "password": PASSWORD}, format="json")
    assert locked.status_code == 400


def test_branch_officer_token_cannot_reach_sibling_branch_member(personas: Personas) -> None:
    client = api_as("officer_b1")
    own, sibling = personas.members["m_b1"], personas.members["m_b2"]
    names = {row["name"] for row in client.get("/api/v1/members/").json()["results"]}
    assert "张三" in names and "王五" not in names
    assert client.get(f"/api/v1/members/{own.pk}/").status_code == 200
    assert client.get(f"/api/v1/members/{sibling.pk}/").status_code == 404
    assert client.patch(f"/api/v1/members/{sibling.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/members/{sibling.pk}/").status_code == 404
    sibling.refresh_from_db()
    assert sibling.phone == ""


def test_member_detail_masks_the_id_number(personas: Personas) -> None:
    member = personas.members["m_b1"]
    body = api_as("c1_staff").get(f"/api/v1/members/{member.pk}/").json()
    assert "id_number" not in body
    assert body["id_number_masked"] == member.id_number_masked
    assert member.id_number not in str(body)


def test_create_member_is_audited_and_scoped(personas: Personas) -> None:
    client = api_as("officer_b1")
    created = client.post("/api/v1/members/", new_member_payload(personas.b1.pk), format="json")
    assert created.status_code == 201, created.content
    member = Member.objects.get(pk=created.json()["id"])
    entry = AuditEntry.objects.filter(event="create", object_type="members.member", object_id=str(member.pk)).get()
    assert entry.actor_id == personas.user("officer_b1").pk and entry.source == "api"
    assert member.id_number not in str(entry.changes)
    # into the sibling branch: the branch is not a valid choice for this user
    refused = client.post("/api/v1/members/", new_member_payload(personas.b2.pk, police_number="A90002"), format="json")
    assert refused.status_code == 400
    assert "org" in refused.json()["errors"]
    assert not Member.objects.filter(police_number="A90002").exists()


def test_bad_id_number_gets_a_chinese_field_error(personas: Personas) -> None:
    payload = new_member_payload(personas.b1.pk)
    payload["id_number"] = payload["id_number"][:-1] + ("0" if payload["id_number"][-1] != "0" else "1")
    response = api_as("officer_b1").post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "id_number" in response.json()["errors"]


def test_org_and_status_cannot_be_mass_assigned_on_update(personas: Personas) -> None:
    member = personas.members["m_b1"]
    client = api_as("c1_staff")
    refused = client.patch(f"/api/v1/members/{member.pk}/", {"status": "probationary", "phone": "13800000000"},
                           format="json", HTTP_IF_MATCH=f'"{member.version}"')
    assert refused.status_code == 400 and "status" in str(refused.json())
    member.refresh_from_db()
    assert member.status == "full" and member.phone != "13800000000"
    moved = client.patch(f"/api/v1/members/{member.pk}/", {"org": personas.b2.pk, "phone": "13800000000"},
                         format="json", HTTP_IF_MATCH=f'"{member.version}"')
    assert moved.status_code == 200
    member.refresh_from_db()
    assert member.org_id == personas.b1.pk and member.status == "full" and member.phone == "13800000000"


def test_stale_if_match_gets_412_and_does_not_overwrite(personas: Personas) -> None:
    member = personas.members["m_b1"]
    client = api_as("officer_b1")
    etag = client.get(f"/api/v1/members/{member.pk}/")["ETag"]
    first = client.patch(f"/api/v1/members/{member.pk}/", {"phone": "13900000111"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    stale = client.patch(f"/api/v1/members/{member.pk}/", {"phone": "13900000222"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    member.refresh_from_db()
    assert member.phone == "13900000111"


def test_idempotency_key_replays_and_refuses_other_payloads(personas: Personas) -> None:
    client = api_as("officer_b1")
    payload = new_member_payload(personas.b1.pk)
    first = client.post("/api/v1/members/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/members/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Member.objects.filter(police_number="A90001").count() == 1
    other = client.post("/api/v1/members/", {**payload, "name": "别人"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422


def test_brief_list_and_filters_reuse_the_ui_filtersets(personas: Personas) -> None:
    client = api_as("root_staff")
    brief = client.get("/api/v1/members/?brief=1&q=zs").json()
    assert [row["display"] for row in brief["results"]] == ["张三"]
    within = client.get(f"/api/v1/members/?within={personas.c2.pk}").json()
    assert {row["name"] for row in within["results"]} == {"赵六"}


def test_member_token_sees_only_themself(personas: Personas) -> None:
    rows = api_as("member_b1").get("/api/v1/members/").json()["results"]
    assert [row["name"] for row in rows] == ["张三"]


def test_revoked_token_stops_working(personas: Personas) -> None:
    client = api_as("officer_b1")
    assert client.delete("/api/v1/auth/token/revoke/").status_code == 204
    assert client.get("/api/v1/members/").status_code == 401


def test_transfer_through_the_api_moves_the_member(personas: Personas) -> None:
    member = personas.members["m_b1_2"]
    client = api_as("c1_staff")
    response = client.post("/api/v1/transfers/", {"member": member.pk, "direction": "internal",
                                                  "to_org": personas.b2.pk, "transferred_on": "2026-05-01"},
                           format="json")
    assert response.status_code == 201, response.content
    member.refresh_from_db()
    assert member.org_id == personas.b2.pk


def test_security_admin_grants_roles_but_not_to_themself(personas: Personas) -> None:
    client = api_as("secadmin")
    target = personas.user("member_b1")
    ok = client.post("/api/v1/role-grants/", {"user": target.pk, "role": "branch_officer", "org": personas.b1.pk},
                     format="json")
    assert ok.status_code == 201, ok.content
    own = client.post("/api/v1/role-grants/", {"user": personas.user("secadmin").pk, "role": "audit_admin",
                                               "org": personas.root.pk}, format="json")
    assert own.status_code == 400


@pytest.mark.parametrize("name", ["sysadmin", "auditadmin"])
def test_admins_without_member_rights_see_no_members(personas: Personas, name: str) -> None:
    assert api_as(name).get("/api/v1/members/").json()["results"] == []
