"""Dues screens: scoping (a member sees only their own bills, a treasurer only their branch),
the payment form's one-time token, bulk entry, the import report, reports and downloads."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import Personas
from dangjian.dues import services
from dangjian.dues.models import (
    ArrearsCase,
    DuesAssessment,
    DuesBill,
    DuesPayment,
    DuesSpending,
    HardshipRelief,
    SpendingCategory,
)
from dangjian.dues.tests.conftest import assess, bill_months, pay

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def year(personas: Personas) -> dict[str, Any]:
    """B1's two members and B2's member assessed for 2026 and billed January to March;
    张三 paid January."""
    officer_b1, officer_b2 = personas.user("officer_b1"), personas.user("officer_b2")
    assess(officer_b1, personas.members["m_b1"], 2026, "4000.00")
    assess(officer_b1, personas.members["m_b1_2"], 2026, "3000.01")
    assess(officer_b2, personas.members["m_b2"], 2026, "5000.00")
    bill_months(officer_b1, personas.b1, 2026, range(1, 4))
    bill_months(officer_b2, personas.b2, 2026, range(1, 4))
    pay(officer_b1, personas.members["m_b1"], "40.00", dt.date(2026, 1, 15), months=[dt.date(2026, 1, 1)])
    return {"b1_bill": DuesBill.objects.get(member=personas.members["m_b1"], month=dt.date(2026, 1, 1)),
            "b2_bill": DuesBill.objects.get(member=personas.members["m_b2"], month=dt.date(2026, 1, 1))}


def bill_pks(response: Any) -> set[int]:
    return {row.record.pk for row in response.context["table"].rows}


def test_member_sees_only_own_bills(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("member_b1")
    response = client.get(reverse("dues:bill_list"))
    assert response.status_code == 200
    own = set(DuesBill.objects.filter(member=personas.members["m_b1"]).values_list("pk", flat=True))
    assert bill_pks(response) == own and len(own) == 3
    other = DuesBill.objects.get(member=personas.members["m_b1_2"], month=dt.date(2026, 1, 1))
    assert client.get(reverse("dues:bill_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("dues:bill_detail", args=[year["b1_bill"].pk])).status_code == 200
    mine = client.get(reverse("dues:mine"))
    assert mine.status_code == 200 and "李四" not in mine.content.decode()
    assert client.get(reverse("dues:payment_add")).status_code == 404  # members do not record payments
    assert client.get(reverse("dues:bill_export")).status_code == 404


def test_member_sees_own_branch_disclosure_only(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("member_b1")
    response = client.get(reverse("dues:disclosure"))
    assert response.status_code == 200
    assert response.context["d"].org == personas.b1
    query = {"org": personas.b2.pk, "first": "2026-01", "last": "2026-12"}
    assert client.get(reverse("dues:disclosure"), query).context["d"] is None
    assert client.get(reverse("dues:disclosure_xlsx"), query).status_code == 404
    own = {"org": personas.b1.pk, "first": "2026-01", "last": "2026-12"}
    assert client.get(reverse("dues:disclosure_xlsx"), own).status_code == 200


def test_treasurer_sees_only_own_branch(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("officer_b1")
    response = client.get(reverse("dues:bill_list"))
    assert set(DuesBill.objects.filter(org=personas.b2).values_list("pk", flat=True)).isdisjoint(bill_pks(response))
    assert client.get(reverse("dues:bill_detail", args=[year["b2_bill"].pk])).status_code == 404
    assert client.get(reverse("dues:bill_detail", args=[year["b1_bill"].pk])).status_code == 200
    b2_payment_form = client.get(reverse("dues:bulk_payments"), {"org": personas.b2.pk, "month": "2026-01"})
    assert b2_payment_form.status_code == 400  # another branch is not a choice
    staff = client_for("c1_staff")
    assert staff.get(reverse("dues:bill_detail", args=[year["b2_bill"].pk])).status_code == 200


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "no token in the form"
    return match.group(1)


def test_payment_form_records_once(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("officer_b1")
    page = client.get(reverse("dues:payment_add"))
    assert page.status_code == 200
    data = {"token": _token(page.content.decode()), "member": personas.members["m_b1_2"].pk, "amount": "30.00",
            "paid_on": "2026-02-10", "method": "wechat", "arrangement": "monthly", "first_month": "2026-01"}
    first = client.post(reverse("dues:payment_add"), data)
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    second = client.post(reverse("dues:payment_add"), data)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert DuesPayment.objects.filter(member=personas.members["m_b1_2"]).count() == 1
    forged = client.post(reverse("dues:payment_add"), {**data, "token": "abc"})
    assert forged.status_code == 400
    # another user's token is refused
    other = client_for("c1_staff").get(reverse("dues:payment_add"))
    assert client.post(reverse("dues:payment_add"), {**data, "token": _token(other.content.decode())}).status_code == 400


def test_payment_rule_error_is_shown_in_chinese(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("officer_b1")
    token = _token(client.get(reverse("dues:payment_add")).content.decode())
    response = client.post(reverse("dues:payment_add"), {
        "token": token, "member": personas.members["m_b1"].pk, "amount": "40.00", "paid_on": "2026-11-20",
        "method": "cash", "arrangement": "monthly", "first_month": "2026-02"})
    assert response.status_code == 400
    # the service's rule error stands beside the field it names, and what was typed stays
    assert "须填写补交原因" in " ".join(response.context["form"].errors["back_payment_reason"])
    page = response.content.decode()
    assert "须填写补交原因" in page and 'value="40.00"' in page
    assert not DuesPayment.objects.filter(member=personas.members["m_b1"], paid_on="2026-11-20").exists()


def test_bulk_entry_screen_saves_all_in_one_go(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    client = client_for("officer_b1")
    url = reverse("dues:bulk_payments") + f"?org={personas.b1.pk}&month=2026-02"
    page = client.get(url)
    assert page.status_code == 200
    forms = page.context["formset"].forms
    data = {"token": _token(page.content.decode()), "paid_on": "2026-02-20", "r-TOTAL_FORMS": str(len(forms)),
            "r-INITIAL_FORMS": str(len(forms)), "r-MIN_NUM_FORMS": "0", "r-MAX_NUM_FORMS": "500"}
    for i, f in enumerate(forms):
        data.update({f"r-{i}-member": f.initial["member"], f"r-{i}-paid": "on", f"r-{i}-method": "cash",
                     f"r-{i}-amount": str(f.initial["amount"])})
    response = client.post(url, data)
    assert response.status_code == 302
    assert DuesPayment.objects.filter(org=personas.b1, paid_on=dt.date(2026, 2, 20)).count() == 2
    assert client.post(url, data).status_code == 302  # the same screen again: recorded once
    assert DuesPayment.objects.filter(org=personas.b1, paid_on=dt.date(2026, 2, 20)).count() == 2


def test_import_reports_rows_and_writes_nothing(personas: Personas, client_for: Any) -> None:
    """The dues import is a core importer: inspected file, staged preview with a report per row,
    nothing written while a row has a problem, the same file refused a second time."""
    from openpyxl import Workbook

    from dangjian.core.models import ImportBatch
    from dangjian.dues.imports import DuesBaseImporter

    headers = [f.header for f in DuesBaseImporter.columns()]
    client = client_for("officer_b1")

    def workbook(rows: list[dict[str, Any]]) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for row in rows:
            ws.append([row.get(h) for h in headers])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    def upload(rows: list[dict[str, Any]] | bytes, year: str = "2026") -> Any:
        content = rows if isinstance(rows, bytes) else workbook(rows)
        return client.post(reverse("dues:base_import"), {"year": year, "file": _named(content, "bases.xlsx")})

    good = {"警号": personas.members["m_b1"].police_number, "姓名": "张三", "党费类别": "在职", "职务工资": "3000",
            "级别工资": "2000.50", "个人所得税": "45.5", "住房公积金": "800"}
    bad = {"警号": personas.members["m_b2"].police_number, "姓名": "王五", "党费类别": "在职", "职务工资": "3000"}
    typo = {"警号": personas.members["m_b1_2"].police_number, "姓名": "李四", "党费类别": "在岗", "职务工资": "-1"}
    assert upload([good], year="1999").status_code == 400  # the year is checked beside its field
    response = upload([good, bad, typo])
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="dues_bases")
    assert (batch.status, batch.params, batch.total_rows, batch.error_rows) == ("staged", {"year": 2026}, 3, 2)
    errors: dict[int, str] = {}
    for _sheet, line, column, message in batch.problems:
        errors[line] = errors.get(line, "") + f"{column}:{message}"
    assert set(errors) == {3, 4}
    assert "不在您管辖" in errors[3] and "党费类别" in errors[4] and "负数" in errors[4]
    page = client.get(response["Location"]).content.decode()
    assert "不在您管辖" in page and 'id="import-all"' not in page
    assert client.post(response["Location"], {"action": "all"}).status_code == 400
    assert not DuesAssessment.objects.exists()
    client.post(response["Location"], {"action": "discard"})
    fixed = workbook([good])
    response = upload(fixed)
    assert client.post(response["Location"], {"action": "all"}).status_code == 302
    assessment = DuesAssessment.objects.get()
    assert (assessment.base, assessment.monthly_amount) == (D("4955.00"), D("49.55"))
    again = upload(fixed)  # the same file: refused by the once-per-file rule
    assert again.status_code == 400 and "不能重复导入" in again.content.decode()


def test_a_hostile_file_is_refused_by_the_dues_import_before_parsing(personas: Personas, client_for: Any) -> None:
    from dangjian.core.models import ImportBatch
    from dangjian.core.testing import imports as hostile

    client = client_for("officer_b1")
    for make in (hostile.zip_bomb, hostile.billion_laughs, hostile.renamed_exe, hostile.macro_workbook):
        response = client.post(reverse("dues:base_import"), {"year": "2026", "file": _named(make(), "bases.xlsx")})
        assert response.status_code == 400 and 'id="import-error"' in response.content.decode(), make.__name__
    assert not DuesAssessment.objects.exists() and not ImportBatch.objects.exists()


def _named(content: bytes, name: str) -> Any:
    out = io.BytesIO(content)
    out.name = name
    return out


def test_reports_and_downloads(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    from docx import Document
    from openpyxl import load_workbook

    client = client_for("c1_staff")
    period = {"org": personas.c1.pk, "first": "2026-01", "last": "2026-03"}
    report = client.get(reverse("dues:statement_report"), period)
    assert report.status_code == 200 and report.context["totals"]["collected"] == D("40.00")
    assert report.context["totals"]["due"] == D("40.00") * 3 + D("30.00") * 3 + D("50.00") * 3
    recon = client.get(reverse("dues:reconciliation"), period)
    assert recon.status_code == 200 and recon.context["result"].differences  # no statement closed yet
    branch = {"org": personas.b1.pk, "first": "2026-01", "last": "2026-12"}
    xlsx = client.get(reverse("dues:disclosure_xlsx"), branch)
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.sheetnames[:2] == ["收支汇总", "党员交纳明细"]
    detail = wb["党员交纳明细"]
    assert "刑侦一大队党支部党费收支情况公示" in str(detail["A1"].value)  # a title row
    assert detail.auto_filter.ref and detail.auto_filter.ref.startswith("A2")  # the header row filters
    total = list(detail.iter_rows(min_row=3, values_only=True))[-1]
    assert total[0] == "合计" and isinstance(total[1], int)  # the months total is a number, not text
    docx = client.get(reverse("dues:disclosure_docx"), branch)
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "刑侦一大队党支部党费收支情况公示" in text
    for name in ("dues:index", "dues:arrears", "dues:budget_report", "dues:assess", "dues:base_import",
                 "dues:generate_bills", "dues:close_statement", "dues:bulk_payments", "dues:disclosure"):
        assert client.get(reverse(name)).status_code == 200, name
    for name in ("dues:assessment_list", "dues:bill_list", "dues:payment_list", "dues:relief_list",
                 "dues:case_list", "dues:statement_list", "dues:remittance_list", "dues:budget_list",
                 "dues:spending_list", "dues:standard_list", "dues:settings_list"):
        assert client.get(reverse(name)).status_code == 200, name
    assessment = DuesAssessment.objects.filter(member=personas.members["m_b1"]).get()
    page = client.get(reverse("dues:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200 and "职务工资" in page.content.decode()
    payment = DuesPayment.objects.get()
    assert client.get(reverse("dues:payment_detail", args=[payment.pk])).status_code == 200
    assert client.get(reverse("dues:bill_detail", args=[year["b1_bill"].pk])).status_code == 200


def test_arrears_screen_scans_and_opens_one_case(personas: Personas, client_for: Any) -> None:
    officer = personas.user("officer_b1")
    assess(officer, personas.members["m_b1"], 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 7))
    client = client_for("officer_b1")
    data = {"org": personas.b1.pk, "as_of": "2026-07-05"}
    page = client.get(reverse("dues:arrears"), data)
    assert page.status_code == 200 and page.context["rows"][0].consecutive == 6
    assert client.post(reverse("dues:arrears"), data).status_code == 302
    assert client.post(reverse("dues:arrears"), data).status_code == 302
    assert ArrearsCase.objects.count() == 1
    case = ArrearsCase.objects.get()
    assert client_for("officer_b2").get(reverse("dues:case_detail", args=[case.pk])).status_code == 404
    edit = client.get(reverse("dues:case_edit", args=[case.pk]))
    assert edit.status_code == 200
    response = client.post(reverse("dues:case_edit", args=[case.pk]), {
        "version": case.version, "talk_on": "2026-07-06", "talk_by": "书记", "talk_record": "已谈话",
        "decision": "educate", "decided_on": "2026-07-08", "decision_ref": "支委会纪要"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided" and case.talk_record == "已谈话"


def test_relief_and_spending_decisions(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    officer = client_for("officer_b1")
    response = officer.post(reverse("dues:relief_add"), {
        "member": personas.members["m_b1_2"].pk, "kind": "waive", "from_month": "2026-02", "reason": "重病",
        "branch_decided_on": "2026-01-25", "branch_decision_ref": "支委会"})
    assert response.status_code == 302
    relief_pk = int(response["Location"].rstrip("/").split("/")[-1])
    decide = reverse("dues:relief_decide", args=[relief_pk])
    version = HardshipRelief.objects.get(pk=relief_pk).version  # the decision screen carries the version it showed
    refused = officer.post(decide, {"approve": "1", "reference": "自批", "decided_on": "2026-02-01", "version": version})
    assert refused.status_code == 400 and "上一级党委" in refused.content.decode()
    assert client_for("c1_staff").post(decide, {"approve": "1", "reference": "党委批复", "decided_on": "2026-02-01",
                                                "version": version}).status_code == 302
    assert DuesBill.objects.get(member=personas.members["m_b1_2"], month=dt.date(2026, 2, 1)).amount_due == 0
    category = SpendingCategory.objects.get(code="training")
    with acting_as(personas.user("officer_b1")):
        spending = DuesSpending(org=personas.b1, category=category, spent_on=dt.date(2026, 3, 1), amount=D("5.00"),
                                payee="书店", purpose="学习资料", requested_by=personas.user("officer_b1"))
        spending.save()
    url = reverse("dues:spending_decide", args=[spending.pk])
    data = {"approve": "1", "reference": "支委会", "decided_on": "2026-03-02", "version": spending.version}
    assert officer.post(url, data).status_code == 400
    assert client_for("c1_staff").post(url, data).status_code == 302


def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("dues:mine"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_services_refuse_writes_into_other_branch(personas: Personas) -> None:
    with acting_as(personas.user("officer_b1")), pytest.raises(RuleError):
        services.close_statement(actor=personas.user("officer_b1"), org=personas.b2, month=dt.date(2026, 1, 1))


def test_workbench_counts_members_not_yet_assessed(personas: Personas, client_for: Any) -> None:
    from django.utils import timezone

    response = client_for("officer_b1").get(reverse("dues:index"))
    assert response.status_code == 200 and response.context["unassessed"] == 2  # 张三 and 李四 of B1
    assess(personas.user("officer_b1"), personas.members["m_b1"], timezone.localdate().year, "4000.00")
    assert client_for("officer_b1").get(reverse("dues:index")).context["unassessed"] == 1
    assert client_for("member_b1").get(reverse("dues:index")).context["unassessed"] == 0


def test_dues_pages_show_no_english(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    """The dues screens are Chinese (the i18n suite's check, applied to this module's pages)."""
    from tests.i18n.test_catalog import _data_words, english_words

    words = _data_words(personas) | {"Word"}
    b1 = {"org": personas.b1.pk, "first": "2026-01", "last": "2026-12"}
    c1 = {"org": personas.c1.pk, "first": "2026-01", "last": "2026-03"}
    pages = [
        ("officer_b1", reverse("dues:index"), None), ("officer_b1", reverse("dues:assess"), None),
        ("officer_b1", reverse("dues:base_import"), None), ("officer_b1", reverse("dues:bill_list"), None),
        ("officer_b1", reverse("dues:payment_list"), None), ("officer_b1", reverse("dues:payment_add"), None),
        ("officer_b1", reverse("dues:bulk_payments"), {"org": personas.b1.pk, "month": "2026-02"}),
        ("officer_b1", reverse("dues:arrears"), {"org": personas.b1.pk, "as_of": "2026-05-01"}),
        ("officer_b1", reverse("dues:bill_detail", args=[year["b1_bill"].pk]), None),
        ("officer_b1", reverse("dues:assessment_detail", args=[year["b1_bill"].assessment_id]), None),
        ("c1_staff", reverse("dues:statement_report"), c1), ("c1_staff", reverse("dues:reconciliation"), c1),
        ("c1_staff", reverse("dues:budget_report"), {"org": personas.c1.pk, "year": 2026}),
        ("c1_staff", reverse("dues:disclosure"), b1), ("c1_staff", reverse("dues:standard_list"), None),
        ("member_b1", reverse("dues:mine"), None), ("member_b1", reverse("dues:disclosure"), None),
    ]
    problems = []
    for persona, url, params in pages:
        response = client_for(persona).get(url, params or {})
        assert response.status_code == 200, (persona, url, response.status_code)
        problems += [f"{persona} {url}: {w}" for w in english_words(response.content.decode(), words)]
    assert not problems, "\n".join(problems)


def test_void_payment_screen(personas: Personas, client_for: Any, year: dict[str, Any]) -> None:
    payment = DuesPayment.objects.get()
    url = reverse("dues:payment_void", args=[payment.pk])
    assert client_for("officer_b2").get(url).status_code == 404
    assert client_for("member_b1").post(url, {"reason": "x"}).status_code == 404
    client = client_for("officer_b1")
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "误录"}).status_code == 302
    assert not DuesPayment.objects.filter(pk=payment.pk).exists()


def test_month_fields_are_month_pickers(personas: Personas, client_for: Any) -> None:
    client = client_for("officer_b1")
    for name in ("dues:payment_add", "dues:relief_add", "dues:remittance_add"):
        html = client.get(reverse(name)).content.decode()
        assert re.search(r'<input type="month" name="(first_month|from_month|period_start)"', html), name


def test_shares_are_set_by_the_level_above(personas: Personas, client_for: Any) -> None:
    from dangjian.dues.models import DuesOrgSettings

    data = {"org": personas.b1.pk, "remit_percent": "0"}
    assert client_for("officer_b1").post(reverse("dues:settings_add"), data).status_code == 400
    assert not DuesOrgSettings.objects.exists()
    assert client_for("c1_staff").post(reverse("dues:settings_add"), data).status_code == 302
    assert DuesOrgSettings.objects.get().org == personas.b1
