"""Modules declare their own parts (dangjian/core/modules.py): the checks that hold the
declarations complete, and what users see of them (labels, menus, workbench, own links)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.utils import translation

from dangjian.core import audit
from dangjian.core.checks import audit_codes_have_labels, scope_areas_are_declared
from dangjian.core.context import acting_as, anonymous_write
from dangjian.core.modules import Area, areas, menu_groups
from dangjian.core.testing.personas import Personas


def test_the_project_passes_its_declaration_checks() -> None:
    call_command("check", fail_level="ERROR")
    assert scope_areas_are_declared() == []
    assert audit_codes_have_labels() == []


@isolate_apps("dangjian.core")
def test_a_model_whose_scope_area_is_not_in_the_role_matrix_fails_the_check() -> None:
    class Stray(models.Model):
        scope_area = "nowhere"
        scope_path = "org"

        def __str__(self) -> str:
            return "stray"

    class Kept(models.Model):
        scope_area = "members"
        scope_path = "org"

        def __str__(self) -> str:
            return "kept"

    errors = scope_areas_are_declared(models=[Stray, Kept])
    assert [e.id for e in errors] == ["dangjian.E004"]
    assert "'nowhere'" in errors[0].msg and errors[0].obj is Stray


def test_an_audit_code_without_a_label_fails_the_check(tmp_path: Path) -> None:
    (tmp_path / "services.py").write_text(
        "from dangjian.core import audit\n\n"
        "def go(x, ok):\n"
        "    audit.record('void', obj=x)\n"
        "    audit.record('made_up_event' if ok else 'reject', obj=x)\n",
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("audit.record('only_in_a_test')\n", encoding="utf-8")
    fake_app = SimpleNamespace(name="dangjian.fake", path=str(tmp_path))
    errors = audit_codes_have_labels(app_configs=[fake_app])
    assert [e.id for e in errors] == ["dangjian.E005"]
    assert "'made_up_event'" in errors[0].msg


def test_every_module_declares_its_areas_once_and_the_matrix_is_collected() -> None:
    declared = areas()
    assert {"orgs", "members", "config", "users", "grants", "security", "audit", "meetings", "attendance", "dlm",
            "dues"} <= declared.keys()
    assert {code for code, area in declared.items() if area.own_rows} == {"members", "attendance", "dues", "points",
                                                                         "discipline", "study", "receipts",
                                                                         "honors", "development"}


def test_menu_groups_keep_their_order() -> None:
    with translation.override("en"):
        labels = [str(group.label) for group in menu_groups()]
    known = ["Workbench", "Organizations", "Members", "Party dues", "Organizational life", "System"]
    assert [label for label in labels if label in known] == known  # a new module's group may sit between


def test_the_audit_admin_reads_every_dues_event_in_chinese(personas: Personas,
                                                            client_for: Callable[[str], Client]) -> None:
    org = personas.b1
    with acting_as(personas.user("officer_b1"), reason="test", source="web"):
        for code in ("void", "reassess", "generate_bills", "approve", "reject"):
            audit.record(code, obj=org)
        audit.record("export", obj=org, object_type="dues.disclosure", object_repr="公示表")
    with anonymous_write():
        audit.record("create", obj=org)
    body = client_for("auditadmin").get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for shown in ("作废", "重新核定", "生成账单", "批准", "不予批准", "党费公示", "匿名"):
        assert shown in body, shown
    for raw in (">generate_bills<", ">reassess<", ">dues.disclosure<", ">void<", ">anonymous<"):
        assert raw not in body, raw


def test_the_workbench_shows_each_modules_figures_to_whom_they_concern(personas: Personas,
                                                                        client_for: Callable[[str], Client]) -> None:
    staff = client_for("c1_staff").get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "党员学历" in staff or "学历" in staff  # the members module's charts
    assert "echarts.min.js" in staff
    member = client_for("member_b1").get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "echarts.min.js" not in member  # a plain member sees no composition figures
    for link in ("我的党员信息", "我的党费", "我的提醒"):  # the portal items of members, dues and meetings
        assert link in member, link
    assert f"/members/{personas.members['m_b1'].pk}/" in member
    admin = client_for("auditadmin").get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "我的党费" not in admin  # no member record: no portal items
    assert "审计管理员" in admin  # the accounts module's "my roles" figure


def test_an_area_naming_an_unknown_role_or_action_fails_the_check() -> None:
    from dangjian.accounts.checks import declared_areas_name_known_roles_and_actions as check

    assert check() == []
    bad = {"stray": Area("stray", "stray", {"wizard": frozenset({"view"}), "inspector": frozenset({"fly"})})}
    errors = check(declared=bad)
    assert [e.id for e in errors] == ["dangjian.E007", "dangjian.E007"]
    assert "'wizard'" in errors[0].msg and "'fly'" in errors[1].msg


def test_the_role_matrix_is_collected_from_the_declarations() -> None:
    from dangjian.accounts.roles import OWN_ROW_AREAS, ROLE_MATRIX

    assert ROLE_MATRIX["inspector"].areas["dues"] == areas()["dues"].roles["inspector"]
    assert "dues" in OWN_ROW_AREAS and "meetings" not in OWN_ROW_AREAS
