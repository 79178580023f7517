"""Member development in the demo bureau: a year of cases (January 2026 up to the demo's today).

The branches of the unit committee of ``zhibu`` and a few others each keep several applicants at
every stage, with the history that brought them there (some applied in 2023 and become full
members in 2026, one has its probation extended, others wait for the talk, the assessment, the
branch meeting or the approval). That unit committee adopts the 2026 revision from 1 June 2026,
so its later steps are checked against it. The 2026 holidays and 调休 days are entered the way
staff would. Everything goes through the services; choices come from ``ctx.rng``.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from dangjian.accounts.models import RoleGrant
from dangjian.core import idcard
from dangjian.core.periods import add_months
from dangjian.development import rules, services
from dangjian.development.choices import Stage
from dangjian.development.choices import StepKind as K
from dangjian.development.models import CalendarDay, Case, DevelopmentRules, RuleAdoption
from dangjian.members.choices import MemberStatus
from dangjian.members.demo import chinese_name
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

# 2026 holidays and adjusted working days as a bureau's staff would enter them (demo data: the
# real calendar is the State Council's notice for the year, entered on the calendar screen).
HOLIDAYS_2026 = (
    ("2026-01-01", "2026-01-03", "元旦"), ("2026-02-15", "2026-02-23", "春节"), ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"), ("2026-06-19", "2026-06-21", "端午节"), ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
)
WORKDAYS_2026 = (("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"),
                 ("2026-05-09", "劳动节调休"), ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休"))

# Application dates (months before the demo's today) that spread the cases over the stages.
AGES_IN_MONTHS = (1, 5, 11, 16, 20, 26, 31, 36, 40)


def _calendar() -> None:
    for start, end, name in HOLIDAYS_2026:
        day, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        while day <= last:
            CalendarDay(day=day, kind="holiday", name=name).save()
            day += dt.timedelta(days=1)
    for day_text, name in WORKDAYS_2026:
        CalendarDay(day=dt.date.fromisoformat(day_text), kind="workday", name=name).save()


def _id_number(rng: Any, birth: dt.date, gender: str, used: set[str]) -> str:
    while True:
        body = f"420607{birth:%Y%m%d}{rng.randrange(1 if gender == 'M' else 2, 999, 2):03d}"
        number = body + idcard.check_digit(body)
        if number not in used:
            used.add(number)
            return number


class _Story:
    """One applicant's path: each step dated after the previous, stopping at the demo's today."""

    def __init__(self, ctx: Any, case: Case, branch_actor: Any, higher_actor: Any, full: list[Member]) -> None:
        self.ctx, self.case, self.branch, self.higher, self.full = ctx, case, branch_actor, higher_actor, full
        self.day = case.applied_on

    def step(self, kind: str, after_days: int, **extra: Any) -> bool:
        day = self.day + dt.timedelta(days=after_days + self.ctx.rng.randint(0, 6))
        return self.at(kind, day, **extra)

    def at(self, kind: str, day: dt.date, **extra: Any) -> bool:
        if day > self.ctx.today:
            return False
        actor = self.higher if kind in rules.HIGHER_STEPS else self.branch
        who = "上级党委" if kind in rules.HIGHER_STEPS else "党支部委员会"
        services.record_step(actor=actor, case=self.case, today=self.ctx.today,
                             data=rules.StepInput(kind=kind, on=day, decided_by=who, **extra))
        self.day = day
        return True

    def votes(self) -> dict[str, Any]:
        should = len(self.full)
        present = should - self.ctx.rng.randint(0, min(2, should // 3))
        return {"should_attend": should, "present": present, "yes_votes": present, "secret_ballot": True}

    def run(self, *, extend: bool = False) -> None:
        rng, pair = self.ctx.rng, rng_pair(self.ctx.rng, self.full)
        if not self.step(K.TALK, 10) or not self.step(K.ACTIVIST, 50) or not self.step(K.ACTIVIST_FILING, 4):
            return
        activist_on = self.day
        if not self.step(K.CONTACTS, 5, members=pair[:1]):
            return
        for n in (1, 2):
            if not self.at(K.ASSESSMENT, add_months(activist_on, 6 * n) - dt.timedelta(days=rng.randint(0, 10))):
                return
        self.day = add_months(activist_on, 12)
        if not self.step(K.CANDIDATE, 3) or not self.step(K.PUBLICITY, 1):
            return
        if not self.step(K.CANDIDATE_CONSENT, 20, passed=True) or not self.step(K.INTRODUCERS, 3, members=pair):
            return
        if not self.step(K.POLITICAL_REVIEW, 15, passed=True):
            return
        if not self.step(K.TRAINING, 10, training_days=Decimal(3), training_hours=Decimal(24)):
            return
        if not self.step(K.COMMITTEE_REVIEW, 7) or not self.step(K.PRE_REVIEW, 5, passed=True):
            return
        if not self.step(K.ADMISSION_MEETING, 12, **self.votes()):
            return
        if not self.step(K.HIGHER_TALK, 10) or not self.step(K.APPROVAL, 20, passed=True):
            return
        if not self.step(K.OATH, 7):
            return
        self.case.refresh_from_db()
        ends = self.case.probation_ends_on
        assert ends is not None
        if not self.at(K.CONVERSION_APPLICATION, ends - dt.timedelta(days=rng.randint(10, 25))):
            return
        outcome = {"outcome": "extend", "extension_months": 6} if extend else {"outcome": "convert"}
        if not self.at(K.CONVERSION_MEETING, ends + dt.timedelta(days=rng.randint(0, 5)), **self.votes(), **outcome):
            return
        if not self.step(K.CONVERSION_APPROVAL, 20, passed=True) or not extend:
            return
        self.case.refresh_from_db()
        ends = self.case.probation_ends_on
        assert ends is not None
        if self.at(K.CONVERSION_APPLICATION, ends - dt.timedelta(days=15)):
            self.at(K.CONVERSION_MEETING, ends, **self.votes(), outcome="convert")


def rng_pair(rng: Any, full: list[Member]) -> list[Member]:
    return rng.sample(full, 2)


def build(ctx: Any) -> None:
    started = time.perf_counter()
    _calendar()
    zhibu = ctx.user("zhibu")
    grant = RoleGrant.objects.filter(user=zhibu).select_related("org").first()
    assert grant is not None
    branch_a = grant.org
    unit = Organization.objects.get_parent(branch_a)
    RuleAdoption(org=unit, rules=DevelopmentRules.objects.get(code="2026.05"), adopted_from=dt.date(2026, 6, 1),
                 basis="单位党委会议纪要〔2026〕5号").save()
    others = list(Organization.objects.filter(kind=OrgKind.BRANCH).exclude(path__startswith=unit.path)
                  .order_by("path"))
    siblings = list(Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=unit.path)
                    .exclude(pk=branch_a.pk).order_by("path"))
    branches = [branch_a, *ctx.rng.sample(siblings, min(2, len(siblings))), *ctx.rng.sample(others, min(2, len(others)))]
    higher_root = ctx.user("shi")
    used: set[str] = set()
    cases = 0
    for branch in branches:
        full = list(Member.objects.filter(org=branch, is_active=True, status=MemberStatus.FULL).order_by("id"))
        if len(full) < 3:
            continue
        branch_actor = zhibu if branch.pk == branch_a.pk else higher_root
        higher = ctx.user("danwei") if branch.path.startswith(unit.path) else higher_root
        ages = AGES_IN_MONTHS if branch.pk == branch_a.pk else ctx.rng.sample(AGES_IN_MONTHS, 3)
        for months in ages:
            gender = ctx.rng.choice("MF")
            birth = dt.date(ctx.rng.randint(1990, 2003), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
            applied = add_months(ctx.today, -months) - dt.timedelta(days=ctx.rng.randint(0, 20))
            case = services.open_case(
                actor=branch_actor, org=branch, name=chinese_name(ctx.rng), gender=gender, ethnicity="汉族",
                birth_date=birth, id_number=_id_number(ctx.rng, birth, gender, used),
                personnel_type=(kind := ctx.rng.choice(["police", "police", "auxiliary"])), applied_on=applied,
                police_number=f"9{cases:05d}" if kind == "police" else "",
                today=ctx.today)
            _Story(ctx, case, branch_actor, higher, full).run(extend=months == 31 and branch.pk == branch_a.pk)
            cases += 1
    stages = {s: Case.objects.filter(stage=s).count() for s in Stage.values}
    ctx.log(f"development: {cases} cases {stages} in {time.perf_counter() - started:.1f}s")
