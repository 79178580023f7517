"""Dues writes: assessment and re-assessment, relief approval, bills, payments (idempotent,
partial, over, quarterly, proxy, back payment), arrears cases, statements and signals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.events import Occurrence, Timing
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import make_member
from dangjian.dues import rules, services, signals
from dangjian.dues.models import ArrearsCase, DuesAllocation, DuesAssessment, DuesBill, DuesPayment
from dangjian.dues.tests.conftest import assess, bill_months, item, key, pay

D = Decimal
pytestmark = pytest.mark.django_db


def test_assessment_keeps_standard_components_and_unrounded(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    with acting_as(officer):
        a = services.assess_member(actor=officer, member=member, year=2026, kind="employed", components=[
            services.ComponentInput(item("post_salary"), D("3200.00")),
            services.ComponentInput(item("grade_salary"), D("2100.00")),
            services.ComponentInput(item("income_tax"), D("95.33")),
            services.ComponentInput(item("housing_fund"), D("800.00")),
            services.ComponentInput(item("police_duty_allowance"), D("300.00")),
        ])
    assert a.base == D("5204.67") and a.rate_percent == D("1.50") and a.monthly_amount == D("78.07")
    assert a.band is not None and a.band.rate_percent == D("1.50")
    assert a.unrounded_amount == D("78.070050") and a.standard.code == "2008"
    assert a.effective_month == dt.date(2026, 1, 1) and not a.is_reassessment
    excluded = {c.item.code for c in a.components.all() if c.treatment == "exclude"}
    assert excluded == {"housing_fund", "police_duty_allowance"}
    assert AuditEntry.objects.filter(object_type="dues.duesassessment", object_id=str(a.pk), event="create").exists()


def test_assessment_cliff_3000(personas: Any, officer: Any) -> None:
    a = assess(officer, personas.members["m_b1"], 2026, "3000.00")
    b = assess(officer, personas.members["m_b1_2"], 2026, "3000.01")
    assert (a.monthly_amount, b.monthly_amount) == (D("15.00"), D("30.00"))


def test_retired_and_fixed_and_auxiliary(personas: Any, officer: Any) -> None:
    from dangjian.dues.models import FixedDuesAmount

    retired = assess(officer, personas.members["m_b1"], 2026, "5000.01", kind="retired")
    assert retired.monthly_amount == D("50.00")
    student = FixedDuesAmount.objects.get(category="学生党员")
    with acting_as(officer):
        fixed = services.assess_member(actor=officer, member=personas.members["m_b1_2"], year=2026, kind="fixed",
                                       fixed=student)
    assert fixed.monthly_amount == D("0.20") and fixed.fixed_amount == student
    aux_member = make_member(personas.b1, personnel_type="auxiliary")
    aux = assess(officer, aux_member, 2026, "4200.00", kind="auxiliary")
    assert aux.monthly_amount == D("42.00") and aux.auxiliary_standard is not None


def test_org_rounding_override(personas: Any, officer: Any, staff: Any) -> None:
    from dangjian.dues.models import DuesOrgSettings

    with acting_as(staff):
        DuesOrgSettings(org=personas.c1, rounding="1").save()
    a = assess(officer, personas.members["m_b1"], 2026, "3333.33")
    assert a.monthly_amount == D("33.00") and a.unrounded_amount == D("33.333300") and a.rounding == "1"


def test_probationary_member_owes_from_admission(personas: Any, officer: Any) -> None:
    member = make_member(personas.b1, status="probationary", joined_party_on=dt.date(2026, 5, 20), full_member_on=None)
    a = assess(officer, member, 2026, "4000.00")
    assert a.effective_month == dt.date(2026, 5, 1)
    bill_months(officer, personas.b1, 2026, range(1, 7))
    assert list(DuesBill.objects.filter(member=member).values_list("month", flat=True).order_by("month")) == [
        dt.date(2026, 5, 1), dt.date(2026, 6, 1)]


def test_reassessment_needs_reason_and_rebills(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 7))
    pay(officer, member, "40.00", dt.date(2026, 1, 10), months=[dt.date(2026, 1, 1)])
    with pytest.raises(RuleError, match="原因"):
        assess(officer, member, 2026, "6000.00", effective_month=dt.date(2026, 4, 1))
    again = assess(officer, member, 2026, "6000.00", effective_month=dt.date(2026, 4, 1), reason="晋升，工资调整")
    assert again.is_reassessment and again.monthly_amount == D("90.00")
    dues = dict(DuesBill.objects.filter(member=member).values_list("month", "amount_due"))
    assert dues[dt.date(2026, 3, 1)] == D("40.00") and dues[dt.date(2026, 4, 1)] == D("90.00")
    assert AuditEntry.objects.filter(event="reassess", object_id=str(again.pk), reason="晋升，工资调整").exists()


def test_hardship_needs_higher_committee(personas: Any, officer: Any, staff: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 4))
    with acting_as(officer):
        relief = services.propose_relief(
            actor=officer, member=member, kind="reduce", from_month=dt.date(2026, 2, 1), to_month=None,
            reduced_amount=D("5.00"), reason="家庭困难", branch_decided_on=dt.date(2026, 1, 20),
            branch_decision_ref="支委会纪要第3号")
        with pytest.raises(RuleError, match="上一级党委"):
            services.decide_relief(actor=officer, relief=relief, approve=True)
    # nothing changes before approval
    assert DuesBill.objects.get(member=member, month=dt.date(2026, 2, 1)).amount_due == D("40.00")
    with acting_as(staff):
        services.decide_relief(actor=staff, relief=relief, approve=True, approval_ref="刑侦支队党委批复")
    dues = dict(DuesBill.objects.filter(member=member).values_list("month", "amount_due"))
    assert dues == {dt.date(2026, 1, 1): D("40.00"), dt.date(2026, 2, 1): D("5.00"), dt.date(2026, 3, 1): D("5.00")}
    assert AuditEntry.objects.filter(event="approve", object_type="dues.hardshiprelief").exists()


def test_payment_is_idempotent_and_allocates(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 4))
    first = pay(officer, member, "100.00", dt.date(2026, 3, 5), idempotency_key="same")
    again = pay(officer, member, "100.00", dt.date(2026, 3, 5), idempotency_key="same")
    assert first.created and not again.created and again.payment.pk == first.payment.pk
    assert DuesPayment.objects.count() == 1
    # FIFO: Jan and Feb fully, March 20 of 40 (under-paid, shown as partial)
    bills = {b.month.month: (b.paid, rules.bill_state(b.amount_due, b.paid))
             for b in rules.with_paid(DuesBill.objects.filter(member=member))}
    assert bills == {1: (D("40.00"), "paid"), 2: (D("40.00"), "paid"), 3: (D("20.00"), "partial")}


def test_overpayment_stays_unallocated(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    result = pay(officer, member, "50.00", dt.date(2026, 1, 5), months=[dt.date(2026, 1, 1)])
    assert result.unallocated == D("10.00")
    with pytest.raises(RuleError, match="大额党费"):
        pay(officer, member, "1100.00", dt.date(2026, 1, 6), months=[dt.date(2026, 2, 1)])


def test_quarterly_and_proxy_payment_recorded_as_such(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    result = pay(officer, member, "120.00", dt.date(2026, 1, 5), arrangement="quarterly",
                 months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)],
                 proxy_payer="张三之妻", proxy_relation="配偶", receipt_number="R-001")
    payment = result.payment
    assert payment.arrangement == "quarterly" and payment.is_proxy and payment.proxy_relation == "配偶"
    assert DuesAllocation.objects.filter(payment=payment).count() == 3 and result.unallocated == 0
    with pytest.raises(RuleError, match="收据号"):
        pay(officer, member, "40.00", dt.date(2026, 4, 5), months=[dt.date(2026, 4, 1)], receipt_number="R-001")


def test_back_payment_beyond_window_needs_reason(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 10))
    pay(officer, member, "40.00", dt.date(2026, 7, 31), months=[dt.date(2026, 1, 1)])  # 6 months back: fine
    with pytest.raises(RuleError, match="补交原因"):
        pay(officer, member, "40.00", dt.date(2026, 9, 1), months=[dt.date(2026, 2, 1)])  # 7 months back
    result = pay(officer, member, "40.00", dt.date(2026, 9, 1), months=[dt.date(2026, 2, 1)],
                 back_payment_reason="援疆归来补交")
    assert result.payment.arrangement == "back"


def test_bill_paid_event_on_time_and_late(personas: Any, officer: Any, django_capture_on_commit_callbacks: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    received: list[tuple[int, bool]] = []

    def listener(occurrence: Occurrence) -> None:
        assert occurrence.actor == officer and occurrence["payment"].member == member
        received.append((occurrence.evidence.month.month, occurrence["on_time"]))

    with signals.bill_paid.subscribed(listener, timing=Timing.NOTIFY):
        with django_capture_on_commit_callbacks(execute=True):
            pay(officer, member, "40.00", dt.date(2026, 1, 20), months=[dt.date(2026, 1, 1)])
        with django_capture_on_commit_callbacks(execute=True):
            pay(officer, member, "20.00", dt.date(2026, 3, 3), months=[dt.date(2026, 2, 1)])  # partial: no event
        with django_capture_on_commit_callbacks(execute=True):
            pay(officer, member, "20.00", dt.date(2026, 3, 4), months=[dt.date(2026, 2, 1)])
    assert received == [(1, True), (2, False)]


def test_six_unpaid_months_make_exactly_one_decision_item(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    other = personas.members["m_b1_2"]
    assess(officer, member, 2026, "4000.00")
    assess(officer, other, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 7))
    pay(officer, other, "240.00", dt.date(2026, 6, 30))
    with acting_as(officer):
        at_5 = services.scan_arrears(actor=officer, org=personas.b1, as_of=dt.date(2026, 6, 1))
        assert [a.member for a in at_5.warnings] == [member] and at_5.opened == []  # reminder only
        first = services.scan_arrears(actor=officer, org=personas.b1, as_of=dt.date(2026, 7, 1))
        second = services.scan_arrears(actor=officer, org=personas.b1, as_of=dt.date(2026, 7, 2))
    assert len(first.opened) == 1 and second.opened == []
    case = ArrearsCase.objects.get()
    assert (case.member, case.months_unpaid, case.first_unpaid_month, case.amount_outstanding) == (
        member, 6, dt.date(2026, 1, 1), D("240.00"))
    member.refresh_from_db()
    assert member.status == "full" and member.is_active  # never an automatic status change
    # a payment clears the warning and notes it on the case
    pay(officer, member, "40.00", dt.date(2026, 7, 3), months=[dt.date(2026, 6, 1)])
    bills = DuesBill.objects.filter(org=personas.b1)
    assert rules.arrears_warnings(bills, dt.date(2026, 7, 4), months=3) == []
    case.refresh_from_db()
    assert case.cleared_on == dt.date(2026, 7, 3) and case.status == "open"
    with acting_as(officer):
        services.record_case_decision(actor=officer, case=case, talk_on=dt.date(2026, 7, 5), talk_by="支部书记",
                                      talk_record="谈心谈话，本人表示疏忽", decision="educate",
                                      decided_on=dt.date(2026, 7, 8), decision_ref="支委会纪要第7号")
    case.refresh_from_db()
    assert case.status == "decided"


def test_statement_and_remittance(personas: Any, officer: Any, staff: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 2))
    pay(officer, member, "40.00", dt.date(2026, 1, 10))
    with acting_as(officer):
        statement = services.close_statement(actor=officer, org=personas.b1, month=dt.date(2026, 1, 1))
        remit = services.record_remittance(actor=officer, from_org=personas.b1, period_start=dt.date(2026, 1, 1),
                                           period_end=dt.date(2026, 1, 1), amount=None, remitted_on=dt.date(2026, 2, 3))
    assert (statement.amount_due, statement.amount_collected, statement.members_paid) == (D("40.00"), D("40.00"), 1)
    assert (remit.to_org, remit.remit_percent, remit.expected_amount, remit.amount) == (
        personas.c1, D("100.00"), D("40.00"), D("40.00"))
    with acting_as(staff):
        up = services.record_remittance(actor=staff, from_org=personas.c1, period_start=dt.date(2026, 1, 1),
                                        period_end=dt.date(2026, 12, 1), amount=None, remitted_on=dt.date(2027, 1, 20))
    assert (up.to_org, up.income, up.remit_percent, up.amount) == (personas.root, D("40.00"), D("20.00"), D("8.00"))
    inc = rules.income(personas.c1, dt.date(2026, 1, 1), dt.date(2026, 12, 1))
    assert (inc.retained, inc.care_fund) == (D("32.00"), D("19.20"))
    with acting_as(officer), pytest.raises(RuleError, match="重复"):
        services.record_remittance(actor=officer, from_org=personas.b1, period_start=dt.date(2026, 1, 1),
                                   period_end=dt.date(2026, 1, 1), amount=None, remitted_on=dt.date(2026, 2, 3))


def test_outsider_cannot_write(personas: Any) -> None:
    officer_b2 = personas.user("officer_b2")
    with pytest.raises(RuleError):
        assess(officer_b2, personas.members["m_b1"], 2026, "4000.00")
    assert not DuesAssessment.objects.exists()
    with acting_as(officer_b2), pytest.raises(RuleError):
        services.generate_bills(actor=officer_b2, org=personas.b1, month=dt.date(2026, 1, 1))


def test_bulk_entry_is_all_or_nothing(personas: Any, officer: Any) -> None:
    a, b = personas.members["m_b1"], personas.members["m_b1_2"]
    assess(officer, a, 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 2))  # b has no assessment: its row fails
    rows = [services.BulkRow(a, D("40.00"), dt.date(2026, 1, 10), "cash"),
            services.BulkRow(b, D("40.00"), dt.date(2026, 1, 10), "cash")]
    with acting_as(officer), pytest.raises(services.BulkPaymentError) as exc:
        services.record_bulk_payments(actor=officer, org=personas.b1, month=dt.date(2026, 1, 1), rows=rows,
                                      batch_key=key())
    assert set(exc.value.errors) == {b.pk} and "尚未核定" in exc.value.errors[b.pk]
    assert not DuesPayment.objects.exists()
    batch = key()
    with acting_as(officer):
        done = services.record_bulk_payments(actor=officer, org=personas.b1, month=dt.date(2026, 1, 1),
                                             rows=rows[:1], batch_key=batch)
        again = services.record_bulk_payments(actor=officer, org=personas.b1, month=dt.date(2026, 1, 1),
                                              rows=rows[:1], batch_key=batch)
    assert done[0].created and not again[0].created and DuesPayment.objects.count() == 1


def test_spending_approval_and_care_fund(personas: Any, officer: Any, staff: Any) -> None:
    from dangjian.dues.models import DuesSpending, SpendingCategory

    hardship = SpendingCategory.objects.get(code="hardship")
    root_staff = personas.user("root_staff")
    with acting_as(staff):
        spending = DuesSpending(org=personas.c1, category=hardship, spent_on=dt.date(2026, 3, 1), amount=D("10.00"),
                                payee="困难党员", purpose="慰问", from_care_fund=True, requested_by=staff)
        spending.save()
        # the committee asks the level above (DOMAIN 1.6: requests go to the next level up)
        with pytest.raises(RuleError, match="上一级"):
            services.decide_spending(actor=staff, spending=spending, approve=True, decision_ref="党委会")
    with acting_as(root_staff):
        own = DuesSpending(org=personas.c1, category=hardship, spent_on=dt.date(2026, 3, 2), amount=D("10.00"),
                           payee="困难党员", purpose="慰问", requested_by=root_staff)
        own.save()
        with pytest.raises(RuleError, match="本人"):
            services.decide_spending(actor=root_staff, spending=own, approve=True, decision_ref="党委会")
    with acting_as(root_staff), pytest.raises(RuleError, match="余额"):
        services.decide_spending(actor=root_staff, spending=spending, approve=True, decision_ref="党委会纪要")


def test_void_payment_before_closing_only(personas: Any, officer: Any) -> None:
    member = personas.members["m_b1"]
    assess(officer, member, 2026, "4000.00")
    wrong = pay(officer, member, "40.00", dt.date(2026, 1, 10), months=[dt.date(2026, 1, 1)]).payment
    with acting_as(officer), pytest.raises(RuleError, match="原因"):
        services.void_payment(actor=officer, payment=wrong, reason=" ")
    with acting_as(officer):
        services.void_payment(actor=officer, payment=wrong, reason="误录")
    assert not DuesPayment.objects.exists() and not DuesAllocation.objects.exists()
    assert AuditEntry.objects.filter(event="void", object_id=str(wrong.pk), reason="误录").exists()
    kept = pay(officer, member, "40.00", dt.date(2026, 1, 11), months=[dt.date(2026, 1, 1)]).payment
    with acting_as(officer):
        services.close_statement(actor=officer, org=personas.b1, month=dt.date(2026, 1, 1))
        with pytest.raises(RuleError, match="已结报"):
            services.void_payment(actor=officer, payment=kept, reason="误录")
    with acting_as(personas.user("officer_b2")), pytest.raises(RuleError):
        services.void_payment(actor=personas.user("officer_b2"), payment=kept, reason="越权")


def test_scheduled_arrears_scan_command(personas: Any, officer: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    assess(officer, personas.members["m_b1"], 2026, "4000.00")
    bill_months(officer, personas.b1, 2026, range(1, 7))
    out = StringIO()
    call_command("dues_scan_arrears", "--user", "c1_staff", "--as-of", "2026-07-02", stdout=out)
    call_command("dues_scan_arrears", "--user", "c1_staff", "--as-of", "2026-07-03", stdout=out)
    assert ArrearsCase.objects.count() == 1 and "新提交支部研究 1 件" in out.getvalue()
