"""Organization and role-grant imports: the same framework, their own rules and scoping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from dangjian.accounts.imports import RoleGrantImporter
from dangjian.accounts.models import RoleGrant
from dangjian.core.models import AuditEntry
from dangjian.core.scoping import scope_for
from dangjian.core.testing.imports import workbook
from dangjian.core.testing.personas import Personas
from dangjian.orgs.imports import OrganizationImporter
from dangjian.orgs.models import Organization
from tests.imports.conftest import api_client, post_import

ORG_HEADERS = [f.header for f in OrganizationImporter.fields]
GRANT_HEADERS = [f.header for f in RoleGrantImporter.fields]


def org(name: str, code: str, kind: str, parent: str, **more: Any) -> list[Any]:
    cells = {"组织名称": name, "组织代码": code, "组织类别": kind, "上级组织": parent, **more}
    return [cells.get(h) for h in ORG_HEADERS]


def problems(response: Any) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in response.json()["problems"]]


def test_organization_rows_are_checked_and_a_subtree_imports_from_one_file(personas: Personas, media: Path) -> None:
    rows = [
        org("刑侦三大队党支部", "C1B9", "党支部", "C1"),  # 2
        org("三大队第一党小组", "C1B9G1", "党小组", "C1B9"),  # 3: parent from row 2
        org("重复代码支部", "B1", "党支部", "C1"),  # 4
        org("越界支部", "C2B9", "党支部", "交警支队党委"),  # 5
        org("错位党小组", "C1G9", "党小组", "C1"),  # 6
        org("先子后父", "C1B11", "党支部", "C1B10"),  # 7: its parent comes later
        org("刑侦四大队党支部", "C1B10", "党支部", "刑侦支队党委", 成立日期="2021年7月1日"),  # 8: parent by name
        org("同码支部", "C1B9", "党支部", "C1"),  # 9
        org("小组之下", "C1G10", "党支部", "B1G1"),  # 10
        org("无名单位支部", "C1B12", "党支部", "C1", 所在单位="不存在的单位"),  # 11
        org("日期错误支部", "C1B13", "党支部", "C1", 成立日期="2021年7月"),  # 12
    ]
    client = api_client("c1_staff")
    response = post_import(client, workbook(ORG_HEADERS, rows, sheet="党组织"), kind="organizations", dry_run=True)
    assert response.status_code == 200, response.content
    assert problems(response) == [
        (4, "组织代码", "该组织代码已被使用。"),
        (5, "上级组织", "组织“交警支队党委”不存在或不在您的管理范围内。"),
        (6, "组织类别", "党小组只能设在党支部下。"),
        (7, "上级组织", "上级组织须写在其下级组织之前的行。"),
        (9, "组织代码", "与本文件第 2 行的组织代码重复。"),
        (10, "上级组织", "党小组下不能再设组织。"),
        (11, "所在单位", "公安单位“不存在的单位”不存在。"),
        (12, "成立日期", "“成立日期”不是有效的日期，请按 2026-12-01 的格式填写。"),
    ]
    before = Organization.objects.count()
    imported = post_import(client, workbook(ORG_HEADERS, rows, sheet="党组织"), kind="organizations", valid_only=True)
    assert imported.status_code == 201 and imported.json()["imported_rows"] == 3
    assert Organization.objects.count() == before + 3
    branch, group, fourth = (Organization.objects.get(code=c) for c in ("C1B9", "C1B9G1", "C1B10"))
    c1 = Organization.objects.get(code="C1")
    assert Organization.objects.get_parent(branch) == c1 and Organization.objects.get_parent(group) == branch
    assert Organization.objects.get_parent(fourth) == c1 and str(fourth.founded_on) == "2021-07-01"
    assert AuditEntry.objects.filter(event="create", object_type="orgs.organization",
                                     object_id__in=[str(branch.pk), str(group.pk), str(fourth.pk)]).count() == 3


def test_a_branch_officer_may_not_import_organizations(personas: Personas, media: Path) -> None:
    response = post_import(api_client("officer_b1"), workbook(ORG_HEADERS, [org("x", "X1", "党小组", "B1")]),
                           kind="organizations")
    assert response.status_code == 404


def grant(username: str, role: str, where: str) -> list[Any]:
    return [username, role, where]


def test_role_grant_rows_are_checked_and_imported(personas: Personas, media: Path) -> None:
    with translation.override("zh-hans"):
        admin_exclusive = gettext("This user holds an administrator role and cannot take other roles.")
    rows = [
        grant("officer_b2", "支部党务人员", "B1"),  # 2
        grant("nobody", "党员", "B1"),  # 3
        grant("officer_b1", "支部党务人员", "刑侦一大队党支部"),  # 4: already held
        grant("officer_b2", "支部党务人员", "B1"),  # 5: same as row 2
        grant("officer_b2", "系统管理员", "B1"),  # 6: administrator roles are not importable
        grant("sysadmin", "党员", "B1"),  # 7: administrators take no other role
        grant("officer_b2", "督察组成员", "不存在的组织"),  # 8
    ]
    client = api_client("secadmin")
    content = workbook(GRANT_HEADERS, rows, sheet="角色授权")
    response = post_import(client, content, kind="role-grants", dry_run=True)
    assert response.status_code == 200, response.content
    choices = "、".join(RoleGrantImporter.fields[1].labels())
    assert problems(response) == [
        (3, "用户名", "账号“nobody”不存在。"),
        (4, "角色", "该用户已在该组织拥有此角色。"),
        (5, "角色", "与本文件第 2 行的授权重复。"),
        (6, "角色", f"所选“角色”不在可选范围内，请重新选择。可选：{choices}。"),
        (7, "角色", admin_exclusive),
        (8, "组织", "组织“不存在的组织”不存在或不在您的管理范围内。"),
    ]
    assert "系统管理员" not in choices
    imported = post_import(client, content, kind="role-grants", valid_only=True)
    assert imported.status_code == 201 and imported.json()["imported_rows"] == 1
    officer = personas.user("officer_b2")
    new = RoleGrant.objects.get(user=officer, org=personas.b1, revoked_at__isnull=True)
    assert new.role == "branch_officer" and new.granted_by == personas.user("secadmin")
    officer.__dict__.pop("_scope_cache", None)
    assert personas.b1.path in scope_for(officer, "members", "add").org_paths


def test_only_the_security_admin_imports_role_grants(personas: Personas, media: Path) -> None:
    content = workbook(GRANT_HEADERS, [grant("officer_b2", "党员", "B1")], sheet="角色授权")
    for persona in ("c1_staff", "sysadmin", "officer_b1"):
        assert post_import(api_client(persona), content, kind="role-grants").status_code == 404
