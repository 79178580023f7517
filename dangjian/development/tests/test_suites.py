"""Generated screen, API and inbox suites of member development (dangjian.core.testing).

Cases and steps belong to a branch: ``officer_b1`` records B1's, ``officer_b2`` (the sibling
branch) must not reach them. Rule versions and the holiday calendar are global config rows
edited by committee staff; a rule adoption belongs to the committee that decided it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.facilities import AttachmentSuite, InboxSuite
from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.core.testing.suites import ModelSuite
from dangjian.development import services
from dangjian.development.api.views import CaseViewSet, StepViewSet
from dangjian.development.choices import StepKind as K
from dangjian.development.models import (
    CalendarDay,
    Case,
    DevelopmentRules,
    RuleAdoption,
    Step,
    StepAttachment,
)
from dangjian.development.rules import StepInput
from dangjian.development.tests.conftest import D, open_case, record
from dangjian.development.views import AdoptionViews, CalendarDayViews, CaseViews, RulesViews, StepViews

_n = itertools.count(1)


def _case(p: Personas, org: Any = None, applied_on: dt.date | None = None) -> Case:
    n = next(_n)
    birth = dt.date(1995, 1, 1) + dt.timedelta(days=n)
    actor = p.users["officer_b1" if org is None else "root_staff"]
    with acting_as(actor):
        return services.open_case(actor=actor, org=org or p.b1, name=f"申请人{n}号", gender="M", ethnicity="汉族",
                                  birth_date=birth, id_number=valid_id_number(birth, "M"), personnel_type="auxiliary",
                                  applied_on=applied_on or dt.date(2026, 1, 5))


def _application(p: Personas, org: Any) -> dict[str, Any]:
    n = next(_n)
    birth = dt.date(1996, 2, 1) + dt.timedelta(days=n)
    return {"org": org.pk, "name": f"新申请人{n}号", "gender": "M", "ethnicity": "汉族", "birth_date": birth.isoformat(),
            "id_number": valid_id_number(birth, "M"), "personnel_type": "auxiliary", "applied_on": "2026-02-01"}


class TestCaseSuite(ModelSuite):
    views = CaseViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"phone": "13900001111"}
    marker = "name"

    @classmethod
    def make_row(cls, p: Personas) -> Case:
        return _case(p)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return _application(p, p.b1)

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return _application(p, p.b3)


class TestStepSuite(ModelSuite):
    views = StepViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    marker = "decided_by"

    @classmethod
    def make_row(cls, p: Personas) -> Step:
        case = _case(p)
        officer = p.users["officer_b1"]
        with acting_as(officer):
            return services.record_step(actor=officer, case=case, data=StepInput(
                kind="talk", on=dt.date(2026, 1, 20), decided_by=f"组织委员{next(_n)}号"))

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"case": _case(p).pk, "kind": "talk", "on": "2026-01-25", "decided_by": f"支部书记{next(_n)}号",
                "passed": "unknown"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "case": _case(p, org=p.b3).pk}


class ConfigSuite(ModelSuite):
    allowed = "c1_staff"
    outsider = "inspector_c1"


class TestRulesSuite(ConfigSuite):
    views = RulesViews
    edit = {"name": "发展党员工作细则（本局实施版）"}

    @classmethod
    def make_row(cls, p: Personas) -> DevelopmentRules:
        n = next(_n)
        row = DevelopmentRules(code=f"T{n}", name=f"测试细则{n}", effective_from=dt.date(2040, 1, 1) + dt.timedelta(days=n),
                               source="测试")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"code": f"NEW{n}", "name": f"新细则{n}", "effective_from": "2045-01-01", "source": "本局文件",
                "min_age": "18", "talk_within_months": "1", "assessment_every_months": "6",
                "activist_min_months": "12", "introducers": "2", "max_contacts": "2", "training_min_days": "3",
                "training_min_hours": "24", "approval_warn_months": "3", "approval_max_months": "6",
                "probation_months": "12", "conversion_approval_months": "3", "extension_min_months": "6",
                "extension_max_months": "12", "max_extensions": "1", "written_opinions_count": "on",
                "publicity_working_days": "0", "publicity_before": "", "meeting_within_months_of_pre_review": "0",
                "oath_within_months": "0"}


class TestCalendarDaySuite(ConfigSuite):
    views = CalendarDayViews
    edit = {"name": "国庆节（调整）"}

    @classmethod
    def make_row(cls, p: Personas) -> CalendarDay:
        row = CalendarDay(day=dt.date(2040, 1, 1) + dt.timedelta(days=next(_n)), kind="holiday", name="测试假日")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"day": (dt.date(2050, 1, 1) + dt.timedelta(days=next(_n))).isoformat(), "kind": "workday",
                "name": "调休上班"}


class TestAdoptionSuite(ModelSuite):
    views = AdoptionViews
    allowed = "c1_staff"
    outsider = "officer_b2"
    edit = {"basis": "局党委会议纪要〔2026〕9号"}

    @classmethod
    def make_row(cls, p: Personas) -> RuleAdoption:
        row = RuleAdoption(org=p.c1, rules=DevelopmentRules.objects.get(code="2026.05"),
                           adopted_from=dt.date(2030, 1, 1) + dt.timedelta(days=next(_n)))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.c1.pk, "rules": DevelopmentRules.objects.get(code="2026.05").pk,
                "adopted_from": (dt.date(2031, 1, 1) + dt.timedelta(days=next(_n))).isoformat(), "basis": "纪要"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.c2.pk}


class TestDevelopmentInboxSuite(InboxSuite):
    section = "development_due"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        case = _case(p, applied_on=timezone.localdate() - dt.timedelta(days=3))
        return case.name


class TestCaseAPISuite(ViewSetSuite):
    viewset = CaseViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"
    change = {"phone": "13900002222"}

    @classmethod
    def make_row(cls, p: Personas) -> Case:
        return _case(p)

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return _application(p, p.b1)

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return _application(p, p.b3)


class TestStepAPISuite(ViewSetSuite):
    viewset = StepViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_row(cls, p: Personas) -> Step:
        return TestStepSuite.make_row(p)

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"case": _case(p).pk, "kind": "talk", "on": "2026-01-25", "decided_by": f"支部书记{next(_n)}号"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "case": _case(p, org=p.b3).pk}


class TestStepAttachmentSuite(AttachmentSuite):
    """Documents of a recorded step, through the step page."""

    model = StepAttachment
    record_field = "step"
    allowed = "officer_b1"
    outsider = "officer_b2"
    max_mb = services.DOCUMENT_MAX_MB

    @classmethod
    def make_record(cls, p: Personas) -> Step:
        case = open_case(p)
        return record(p, case, K.TALK, D(2024, 1, 20))

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("development:attachment_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("development:attachment_download", args=[attachment.pk])
