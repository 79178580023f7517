"""The care fund's own rules: the statement reconciles to the cent with the dues figures and
the rows; an approval that would overdraw the fund is refused; circumstances are restricted
and every read of them is audited; the 公示 documents carry the same numbers."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.care import rules
from dangjian.care.models import CareVisit
from dangjian.care.tests.conftest import approve, donate, request
from dangjian.core.approvals import ApprovalStatus
from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.core.testing.suites import export_text
from dangjian.dues import rules as dues_rules
from dangjian.dues.models import DuesOrgSettings, DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months, pay

D = Decimal
pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def download(client: Client, url: str) -> bytes:
    response: Any = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def retaining_branch(p: Personas) -> Any:
    """B1 keeps its dues (remits 0 %), so 60 % of them feed its care fund."""
    with acting_as(None, reason="test"):
        DuesOrgSettings.objects.create(org=p.b1, remit_percent=D("0"))
    return p.b1


def test_a_generated_year_reconciles_to_the_cent(personas: Personas) -> None:
    p = personas
    org = retaining_branch(p)
    officer, staff = p.user("officer_b1"), p.user("c1_staff")
    rng = random.Random(16)
    for member, base in ((p.members["m_b1"], "4321.00"), (p.members["m_b1_2"], "7777.77")):
        assess(officer, member, 2026, base)
    bill_months(officer, org, 2026, range(1, 12))
    for member in (p.members["m_b1"], p.members["m_b1_2"]):
        for m in range(1, 12):
            pay(officer, member, member.dues_bills.get(month=dt.date(2026, m, 1)).amount_due, dt.date(2026, m, 5))
    donated = D("0")
    for _ in range(30):
        amount = D(rng.randrange(1, 50000)) / 100
        donate(officer, org, amount, dt.date(2026, rng.randrange(1, 12), rng.randrange(1, 28)))
        donated += amount
    spent = D("0")
    refused = 0
    for _ in range(40):
        amount = D(rng.randrange(1, 90000)) / 100
        visit = request(officer, org, p.members[rng.choice(["m_b1", "m_b1_2"])], amount,
                        dt.date(2026, rng.randrange(1, 12), rng.randrange(1, 28)))
        try:
            approve(staff, visit)
            spent += amount
        except RuleError:
            refused += 1
    statement = rules.fund(org, 2026)
    collected = sum((r.amount for r in DuesPayment.objects.filter(org=org, paid_on__year=2026)), D("0"))
    share = (collected * D("0.6")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    # the dues figure is the dues module's own, and agrees with the payments
    assert statement.dues_share == dues_rules.care_fund(org, 2026).inflow == share
    assert statement.donations.amount == donated
    assert statement.visits.amount == spent
    assert sum(v.amount for v in statement.visits.entries) == spent
    assert statement.opening == D("0.00")
    assert statement.closing == share + donated - spent
    assert statement.closing >= 0
    assert refused > 0  # the generated year ran into the fund's limit and was refused
    assert CareVisit.objects.filter(status=ApprovalStatus.APPROVED).count() == 40 - refused
    # the next year opens with this closing balance
    assert rules.fund(org, 2027).opening == statement.closing


def test_an_approval_that_would_overdraw_is_refused_on_the_screen(personas: Personas) -> None:
    p = personas
    donate(p.user("officer_b1"), p.b1, "100.00")
    visit = request(p.user("officer_b1"), p.b1, p.members["m_b1"], "100.01")
    response = login("c1_staff").post(f"/care/visits/{visit.pk}/decide/", {
        "approve": "1", "reference": "党委会议纪要第2号", "decided_on": "2026-05-02", "version": visit.version})
    assert response.status_code == 400
    assert "暖心工程基金余额 100.00 元，不足以支付 100.01 元" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == ApprovalStatus.PENDING
    assert rules.fund(p.b1, 2026).closing == D("100.00")


def test_a_spend_of_an_earlier_year_may_not_overdraw_a_later_year(personas: Personas) -> None:
    p = personas
    officer, staff = p.user("officer_b1"), p.user("c1_staff")
    donate(officer, p.b1, "100.00", dt.date(2025, 3, 1))
    approve(staff, request(officer, p.b1, p.members["m_b1"], "80.00", dt.date(2026, 2, 1)))
    late = request(officer, p.b1, p.members["m_b1"], "30.00", dt.date(2025, 12, 1))
    with pytest.raises(RuleError):
        approve(staff, late)  # 2025 would still close at 70, but 2026 would end at -10


def test_circumstances_are_hidden_from_the_branch_and_reads_are_audited(personas: Personas) -> None:
    p = personas
    visit = request(p.user("officer_b1"), p.b1, p.members["m_b1_2"], "0.00", circumstances="配偶重病住院")
    url = f"/care/visits/{visit.pk}/"
    # the branch's own officer (a peer of the beneficiary) sees the visit, not the circumstances
    page = login("officer_b1").get(url).content.decode()
    assert "配偶重病" not in page and "受限" in page
    assert login("officer_b1").get(f"{url}circumstances/").status_code == 404
    assert "配偶重病" not in login("officer_b1").get(f"{url}edit/").content.decode()
    assert "配偶重病" not in export_text(login("officer_b1").get("/care/visits/export.xlsx"))
    # a plain member of the same branch reaches nothing of it
    assert login("member_b1").get(url).status_code == 404
    before = AuditEntry.objects.filter(event="reveal_circumstances").count()
    staff = login("c1_staff")
    assert "配偶重病" not in staff.get(url).content.decode()  # shown only on request
    shown = staff.get(f"{url}circumstances/")
    assert shown.status_code == 200 and "配偶重病住院" in shown.content.decode()
    entry = AuditEntry.objects.filter(event="reveal_circumstances").latest("id")
    assert AuditEntry.objects.filter(event="reveal_circumstances").count() == before + 1
    assert entry.actor_id == p.user("c1_staff").pk and entry.object_id == str(visit.pk)
    # the audit log never holds the text itself
    assert not AuditEntry.objects.filter(changes__icontains="配偶重病").exists()


def test_an_edit_without_new_circumstances_keeps_them(personas: Personas) -> None:
    p = personas
    visit = request(p.user("officer_b1"), p.b1, p.members["m_b1"], "0.00", circumstances="独居")
    response = login("officer_b1").post(f"/care/visits/{visit.pk}/edit/", {
        "org": p.b1.pk, "beneficiary": p.members["m_b1"].pk, "reason": visit.reason_id, "visited_on": "2026-05-01",
        "amount": "0.00", "items": "米", "visitor": "支部书记", "circumstances": "", "version": visit.version})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.items == "米" and visit.circumstances == "独居"


def test_bad_input_is_a_sentence_beside_the_field(personas: Personas) -> None:
    p = personas
    client = login("officer_b1")
    response = client.post("/care/visits/add/", {
        "org": p.b1.pk, "beneficiary": p.members["m_b1"].pk, "reason": "", "visited_on": "2030-01-01",
        "amount": "-1", "visitor": "支部书记"})
    assert response.status_code == 400
    assert not CareVisit.objects.exists()
    response = client.post("/care/donations/add/", {"org": p.b1.pk, "donor": "张三", "amount": "10.00",
                                                    "received_on": "2030-01-01", "receipt_number": "X1"})
    assert response.status_code == 400 and "日期不能晚于今天" in response.content.decode()


def test_statement_screen_and_documents_carry_the_same_numbers(personas: Personas) -> None:
    from docx import Document
    from openpyxl import load_workbook

    p = personas
    officer = p.user("officer_b1")
    donate(officer, p.b1, "300.00")
    approve(p.user("c1_staff"), request(officer, p.b1, p.members["m_b1"], "120.50"))
    client = login("c1_staff")
    query = f"?org={p.b1.pk}&year=2026"
    page = client.get(f"/care/statement/{query}").content.decode()
    assert 'id="fund-closing">179.50<' in page
    doc = Document(io.BytesIO(download(client, f"/care/statement.docx{query}")))
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "179.50" in texts and "合计" in texts and "120.50" in texts
    today = timezone.localdate()
    assert any(f"{today.year}年{today.month}月{today.day}日" in para.text for para in doc.paragraphs)
    assert getattr(doc.sections[0].page_width, "mm", 0) == pytest.approx(210, abs=0.1)
    sheet = load_workbook(io.BytesIO(download(client, f"/care/statement.xlsx{query}"))).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert 179.5 in values and 300.0 in values and "合计" in values
    assert AuditEntry.objects.filter(event="export", object_type="care.statement").count() == 2
    assert login("officer_b2").get(f"/care/statement/{query}").status_code == 400  # B1 is not a choice for B2


def test_a_dues_spending_from_the_care_fund_may_not_overdraw_what_visits_already_took(personas: Personas) -> None:
    """The dues module sees only the dues share of the fund; the care module's receiver of
    ``dues.care_fund_spent`` locks the fund and counts donations and visits too."""
    from dangjian.dues import services as dues
    from dangjian.dues.models import DuesSpending, SpendingCategory

    p = personas
    org = retaining_branch(p)
    officer, staff = p.user("officer_b1"), p.user("c1_staff")
    assess(officer, p.members["m_b1"], 2026, "5000.00")  # 1 % of 5,000: 50.00 a month
    bill_months(officer, org, 2026, range(1, 3))
    pay(officer, p.members["m_b1"], D("100.00"), dt.date(2026, 2, 5),
        months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1)])
    assert rules.fund(org, 2026).closing == D("60.00")  # 60 % of 100.00
    approve(staff, request(officer, org, p.members["m_b1"], "50.00", dt.date(2026, 3, 1)))

    def spend(amount: str) -> DuesSpending:
        with acting_as(officer, reason="test"):
            row = DuesSpending(org=org, category=SpendingCategory.objects.get(code="hardship"),
                               spent_on=dt.date(2026, 3, 2), amount=D(amount), payee="困难党员", purpose="慰问",
                               from_care_fund=True, requested_by=officer)
            row.save()
        return row

    too_much = spend("20.00")  # the dues share alone (60.00) would allow it
    with acting_as(staff, reason="test"), pytest.raises(RuleError, match="余额 10.00 元"):
        dues.decide_spending(actor=staff, spending=too_much, approve=True, decision_ref="党委会纪要第3号")
    too_much.refresh_from_db()
    assert too_much.status == ApprovalStatus.PENDING
    assert rules.fund(org, 2026).closing == D("10.00")
    fits = spend("10.00")
    with acting_as(staff, reason="test"):
        dues.decide_spending(actor=staff, spending=fits, approve=True, decision_ref="党委会纪要第4号")
    assert rules.fund(org, 2026).closing == D("0.00")
