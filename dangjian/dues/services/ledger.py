"""Arrears, statements, remittances, budget and spending."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dangjian.core import approvals
from dangjian.core.errors import RuleError
from dangjian.core.scoping import ensure_in_scope
from dangjian.dues import rules, signals
from dangjian.dues.choices import CaseStatus
from dangjian.dues.models import (
    ArrearsCase,
    DuesBill,
    DuesBudget,
    DuesRemittance,
    DuesSpending,
    DuesStatement,
)
from dangjian.dues.services.common import _today, require
from dangjian.orgs.models import Organization


@dataclass
class ScanResult:
    warnings: list[rules.Arrears]
    opened: list[ArrearsCase]
    cleared: list[ArrearsCase]


def scan_arrears(*, actor: Any, org: Organization, as_of: dt.date) -> ScanResult:
    """Find members of ``org``'s subtree in arrears: a reminder from 3 months, and at 6
    consecutive unpaid months exactly one open decision item for the branch. Never changes a
    member's status. Open items whose run was broken by a payment are marked as cleared."""
    with transaction.atomic():
        require(actor, "change", org)
        standard = rules.standard_in_force(as_of)
        bills = DuesBill.objects.filter(org__path__startswith=org.path)
        warnings = rules.arrears_warnings(bills, as_of, months=standard.reminder_months)
        open_cases = {c.member_id: c for c in ArrearsCase.objects.select_for_update()
                      .filter(org__path__startswith=org.path, status=CaseStatus.OPEN)}
        opened: list[ArrearsCase] = []
        long_runs = {a.member.pk: a for a in warnings if a.consecutive >= standard.decision_months}
        for member_id, info in long_runs.items():
            if member_id in open_cases:
                continue
            assert info.first_of_run is not None
            case = ArrearsCase(member=info.member, org=info.org, opened_on=as_of, first_unpaid_month=info.first_of_run,
                               months_unpaid=info.consecutive, amount_outstanding=info.outstanding)
            case.save()
            ensure_in_scope(actor, case, "add")
            opened.append(case)
        cleared = []
        for member_id, case in open_cases.items():
            if member_id not in long_runs and case.cleared_on is None:
                case.cleared_on = as_of
                case.save()
                cleared.append(case)
        for info in warnings:
            signals.arrears_warning.send(actor=actor, evidence=info.member, org=info.org,
                                         months=info.consecutive, outstanding=info.outstanding)
    return ScanResult(warnings, opened, cleared)


def record_case_decision(*, actor: Any, case: ArrearsCase, talk_on: dt.date | None, talk_by: str, talk_record: str,
                         decision: str, decided_on: dt.date | None, decision_ref: str) -> ArrearsCase:
    """Record the talk with the member and the branch's decision. The decision is a record:
    removal from the roll follows the party's own procedure, entered by a person elsewhere."""
    with transaction.atomic():
        case = ArrearsCase.objects.select_for_update().get(pk=case.pk)
        require(actor, "change", case.org)
        if decision and not (decided_on and decision_ref.strip()):
            raise RuleError(gettext("Recording the branch's decision needs the decision date and the meeting (minutes)."))
        case.talk_on, case.talk_by, case.talk_record = talk_on, talk_by, talk_record
        case.decision, case.decided_on, case.decision_ref = decision, decided_on, decision_ref
        case.status = CaseStatus.DECIDED if decision else CaseStatus.OPEN
        case.save()
        ensure_in_scope(actor, case, "change")
    return case


def close_statement(*, actor: Any, org: Organization, month: dt.date, note: str = "") -> DuesStatement:
    """Close (or re-close) a branch's monthly statement with the totals as they stand."""
    month = rules.month_start(month)
    with transaction.atomic():
        require(actor, "change", org)
        figures = rules.branch_month(org, month)
        statement = DuesStatement.objects.select_for_update().filter(org=org, month=month).first() or \
            DuesStatement(org=org, month=month)
        statement.members_billed = figures.members_billed
        statement.amount_due = figures.due.amount
        statement.members_paid = figures.members_paid
        statement.amount_collected = figures.collected.amount
        statement.closed_by = actor
        statement.closed_on = _today()
        statement.note = note
        statement.save()
        ensure_in_scope(actor, statement, "change")
    return statement


def record_remittance(*, actor: Any, from_org: Organization, period_start: dt.date, period_end: dt.date,
                      amount: Decimal | None, remitted_on: dt.date, reference: str = "", note: str = "") -> DuesRemittance:
    """Record dues passed up to the parent organization (or outside, from the top), with the
    share expected from the period's income; ``amount`` defaults to that share."""
    first, last = rules.month_start(period_start), rules.month_start(period_end)
    if last < first:
        raise RuleError(gettext("The remittance period cannot end before it starts."), field="period_end")
    with transaction.atomic():
        require(actor, "add", from_org)
        standard = rules.standard_in_force(rules.month_end(last))
        income = rules.income(from_org, first, last, standard)
        overlapping = DuesRemittance.objects.filter(from_org=from_org, period_start__lte=last, period_end__gte=first)
        if overlapping.exists():
            raise RuleError(gettext("A remittance is already recorded for this period; do not record it twice."))
        parent = Organization.objects.get_parent(from_org)
        settings_row = getattr(from_org, "dues_settings", None) if hasattr(from_org, "dues_settings") else None
        remittance = DuesRemittance(
            from_org=from_org, to_org=parent, recipient_name="" if parent else
            (getattr(settings_row, "remit_to_name", "") or "上级党组织"),
            period_start=first, period_end=last, income=income.total, remit_percent=income.remit_percent,
            expected_amount=income.to_remit, amount=income.to_remit if amount is None else amount,
            remitted_on=remitted_on, reference=reference, note=note,
        )
        remittance.save()
        ensure_in_scope(actor, remittance, "add")
    return remittance


def approve_budget(*, actor: Any, budget: DuesBudget, approved_on: dt.date, approval_ref: str) -> DuesBudget:
    """The level above approves a budget (the core approvals rule)."""
    return approvals.decide(actor=actor, row=budget, approve=True, reference=approval_ref, decided_on=approved_on)


def decide_spending(*, actor: Any, spending: DuesSpending, approve: bool, decision_ref: str,
                    decided_on: dt.date | None = None) -> DuesSpending:
    """Approve or reject a spending request by collective decision of the level above (DUES08
    art. 19; the core approvals rule): not by the person who requested it; spending from the
    care fund may not overdraw it (``DuesSpending.check_decision``)."""
    return approvals.decide(actor=actor, row=spending, approve=approve, reference=decision_ref, decided_on=decided_on)
