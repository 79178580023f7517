"""Dues demo data for the demo bureau: every member assessed for a year from plausible pay items,
bills and payments for the first months (most on time, some late, some missing, a few
quarterly), statements closed and dues remitted up the tree. Everything goes through the
services, so it is audited and reconciles to the cent.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from dangjian.accounts.models import RoleGrant
from dangjian.accounts.roles import Role
from dangjian.core.context import acting_as
from dangjian.dues import rules, services
from dangjian.dues.models import DuesAssessment, PayItem
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

D = Decimal


@dataclass
class DemoDues:
    assessments: int = 0
    payments: int = 0
    seconds: float = 0.0


def _actor() -> Any:
    grant = RoleGrant.objects.filter(role=Role.COMMITTEE_STAFF, org__depth=1, revoked_at__isnull=True)\
        .select_related("user").first()
    if grant is None:
        raise SystemExit("找不到根党组织的党务干部账号：请先加载演示数据（manage.py demo）。")
    return grant.user


def build_dues_demo(*, year: int, months: int, seed: int = 2026, limit_branches: int | None = None,
                    log: Callable[[str], None] = print) -> DemoDues:
    started = time.perf_counter()
    rng = random.Random(seed)
    actor = _actor()
    items = {i.code: i for i in PayItem.objects.all()}
    result = DemoDues()
    branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))[:limit_branches]
    with acting_as(actor, reason="党费演示数据"):
        for n, branch in enumerate(branches, start=1):
            with transaction.atomic():  # one commit per branch: far fewer fsyncs on SQLite
                _branch(actor, branch, year, months, rng, items, result)
            if n % 10 == 0:
                log(f"  {n}/{len(branches)} 个支部")
    result.seconds = time.perf_counter() - started
    return result


def build(ctx: Any) -> DemoDues:
    """The demo step (``ModuleParts.demo``): the demo secretaries' branches collect their dues
    for the year up to the demo's today, through the services — assessed in January, billed
    monthly, most members paying within the month, some late, a few quarterly, a few not at
    all (the arrears the branch must follow up); each closed month's statement closed and its
    dues remitted to the unit committee. The current month is billed and partly paid, a few
    demo members online through the test gateway (``payments/demo.py``)."""
    started = time.perf_counter()
    actor = ctx.user("shi")
    items = {i.code: i for i in PayItem.objects.all()}
    result = DemoDues()
    homes = sorted({u.member.org_id for u in ctx.users.values()
                    if getattr(u, "member_id", None) and u.username.startswith("zhibu")})
    with acting_as(actor, reason="演示数据：党费"):
        for branch in Organization.objects.filter(pk__in=homes).order_by("path"):
            _branch(actor, branch, ctx.year, ctx.today.month, ctx.rng, items, result, today=ctx.today)
        # the test gateway offered to the members, and a few of them paid this month online
        from dangjian.dues.payments.demo import build_online

        build_online(ctx)
    result.seconds = time.perf_counter() - started
    ctx.log(f"  党费：{result.assessments} 人核定，{result.payments} 笔交纳，用时 {result.seconds:.1f} 秒")
    return result


def _branch(actor: Any, branch: Organization, year: int, months: int, rng: random.Random, items: dict[str, Any],
            result: DemoDues, today: dt.date | None = None) -> None:
    members = list(Member.objects.filter(org=branch, is_active=True))
    assessed = set(DuesAssessment.objects.filter(member__in=members, year=year).values_list("member_id", flat=True))
    for member in members:
        if member.pk in assessed:
            continue
        retired = "离退休" in branch.name
        post = D(rng.randrange(180000, 650000)) / 100
        components = [services.ComponentInput(items["pension" if retired else "post_salary"], post)]
        if not retired:
            grade = D(rng.randrange(100000, 300000)) / 100
            components += [
                services.ComponentInput(items["grade_salary"], grade),
                services.ComponentInput(items["allowance"], D(rng.randrange(50000, 250000)) / 100),
                services.ComponentInput(items["income_tax"], ((post + grade) * D("0.03")).quantize(D("0.01"))),
                services.ComponentInput(items["housing_fund"], (post * D("0.12")).quantize(D("0.01"))),
                services.ComponentInput(items["police_duty_allowance"], D("300.00")),
            ]
        kind = "retired" if retired else ("auxiliary" if member.personnel_type == "auxiliary" else "employed")
        services.assess_member(actor=actor, member=member, year=year, kind=kind, components=components,
                               assessed_on=dt.date(year, 1, 10))
        result.assessments += 1
    habits = {m.pk: rng.choices(["on_time", "late", "quarterly", "missing"], [80, 10, 6, 4])[0]
              for m in members}
    for m in range(1, months + 1):
        month = dt.date(year, m, 1)
        services.generate_bills(actor=actor, org=branch, month=month)
        rows = []
        for member in members:
            habit = habits[member.pk]
            if habit == "missing" or (habit == "quarterly" and m % 3 != 1):
                continue
            assessment = rules.assessment_for_month(member, month)
            if assessment is None:
                continue
            count = 3 if habit == "quarterly" and m + 2 <= 12 else 1
            paid_on = month + dt.timedelta(days=rng.randrange(0, 20))
            if habit == "late":
                paid_on = rules.month_end(month) + dt.timedelta(days=rng.randrange(1, 10))
            if today is not None and paid_on > today:
                continue  # not paid yet: this month's dues are still being collected
            rows.append((member, assessment.monthly_amount * count, paid_on, count))
        for member, amount, paid_on, count in rows:
            services.record_payment(
                actor=actor, member=member, amount=amount, paid_on=paid_on, method=rng.choice(["cash", "wechat"]),
                idempotency_key=f"demo-{year}-{m}-{member.pk}", arrangement="quarterly" if count == 3 else "monthly",
                months=[rules.add_months(month, k) for k in range(count)],
            )
            result.payments += 1
    for m in range(1, months + 1 if today is None else months):  # the current month is still open
        month = dt.date(year, m, 1)
        services.close_statement(actor=actor, org=branch, month=month)
        services.record_remittance(actor=actor, from_org=branch, period_start=month, period_end=month,
                                   amount=None, remitted_on=rules.month_end(month))
