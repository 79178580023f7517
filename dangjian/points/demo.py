"""The demo bureau's year of points (January up to today), through the points services.

Branch A's secretary (``zhibu``) scores members each month; members confirm (``dangyuan`` on the
platform, the others on the paper 登记表 the secretary records); the unit committee (``danwei``)
approves; the branch publishes each finished month, the window runs and the month becomes
final; one objection is raised and answered. Attendance and dues entries come by themselves
from the meetings and dues steps when those run. The inspector (``ducha``) records a few
violations, the branch secretary confirms them, the bureau decides the appeal; one officer crosses the first threshold (a proposal for
the committee), one appeal is upheld. Every choice comes from ``ctx.rng``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.accounts.models import RoleGrant
from dangjian.core.context import acting_as
from dangjian.core.periods import add_months, month_end
from dangjian.members.models import Member
from dangjian.points import services, violations
from dangjian.points.choices import Trigger
from dangjian.points.models import PointEntry, ViolationKind

AWARDS = ("training", "article", "micro_lecture", "invited_lecture", "commendation", "article_award",
          "commitment_unkept")
NOTES = {
    "training": "参加全局政治轮训", "article": "撰写学习心得体会", "micro_lecture": "在支部讲授微党课",
    "invited_lecture": "受邀为新警授课", "commendation": "获分局通报表扬", "article_award": "征文获市级奖励",
    "commitment_unkept": "年初承诺事项未按期兑现",
}


def _branch_of(user: Any) -> Any:
    grant = RoleGrant.objects.filter(user=user, revoked_at__isnull=True).select_related("org").first()
    return grant.org if grant else None


def build(ctx: Any) -> None:
    zhibu, danwei, ducha, dangwei = ctx.user("zhibu"), ctx.user("danwei"), ctx.user("ducha"), ctx.user("shi")
    dangyuan = ctx.users.get("dangyuan")
    branch = _branch_of(zhibu)
    if branch is None:
        return
    members = list(Member.objects.filter(org=branch, is_active=True).exclude(pk=zhibu.member_id)  # scope-ok: demo
                   .order_by("id"))
    if not members:
        return
    rules = {r.code: r for r in services.rules_for(ctx.year, Trigger.MANUAL, Trigger.CLAIM)}
    start = dt.date(ctx.year, 1, 1)
    month = start
    objected = False
    while month <= ctx.today:
        last = min(month_end(month), ctx.today)
        for _ in range(ctx.rng.randint(2, 4)):
            member = ctx.rng.choice(members)
            code = ctx.rng.choice(AWARDS)
            day = month + dt.timedelta(days=ctx.rng.randint(0, (last - month).days))
            with acting_as(zhibu, reason="demo"):
                entry = services.record(actor=zhibu, member=member, rule=rules[code], day=day, note=NOTES[code])
            own = dangyuan is not None and member.pk == dangyuan.member_id
            actor = dangyuan if own else zhibu
            with acting_as(actor, reason="demo"):
                entry = services.confirm(actor=actor, entry=entry, accept=True,
                                         note="" if own else "本人已在纸质积分登记表签字确认")
            if entry.status == "confirmed":
                with acting_as(danwei, reason="demo"):
                    services.approve(actor=danwei, entry=entry, accept=True)
        published_on = month_end(month) + dt.timedelta(days=1)
        while published_on.weekday() >= 5:
            published_on += dt.timedelta(days=1)
        if published_on <= ctx.today:
            with acting_as(zhibu, reason="demo"):
                publication = services.publish(actor=zhibu, org=branch, month=month, today=published_on)
            if not objected and dangyuan is not None:
                mine = PointEntry.objects.filter(publication=publication, member_id=dangyuan.member_id,
                                                 status="published").first()
                if mine is not None:
                    with acting_as(dangyuan, reason="demo"):
                        objection = services.object_to(actor=dangyuan, entry=mine, today=published_on,
                                                       reason="该项已在上月登记，重复计分")
                    with acting_as(zhibu, reason="demo"):
                        services.answer(actor=zhibu, objection=objection, upheld=True, today=published_on,
                                        text="经核实属重复登记，异议成立，本条不计分")
                    objected = True
            closing = services.add_working_days(publication.window_ends_on, 1)
            if closing <= ctx.today:
                with acting_as(zhibu, reason="demo"):
                    services.close(actor=zhibu, publication=publication, today=closing)
        month = add_months(month, 1)
    _violations(ctx, members, ducha, danwei, zhibu, dangwei)


def _violations(ctx: Any, members: list[Any], ducha: Any, danwei: Any, zhibu: Any, dangwei: Any) -> None:
    from dangjian.core.scoping import covers

    recorder = ducha if covers(ducha, "discipline", "add", members[0].org) else danwei
    kinds = list(ViolationKind.rows_in_force(ctx.year).filter(is_active=True))
    if not kinds or len(members) < 3:
        return
    by_code = {k.code: k for k in kinds}
    dangyuan = ctx.users.get("dangyuan")
    targets = [m for m in members if dangyuan is None or m.pk != dangyuan.member_id]
    repeat = ctx.rng.choice(targets)
    plan = [(repeat, "off_post"), (repeat, "bodycam"), (ctx.rng.choice(targets), "uniform")]
    if dangyuan is not None and dangyuan.member_id:
        plan.append((Member.objects.get(pk=dangyuan.member_id), "late_early"))  # scope-ok: demo builder
    for i, (member, code) in enumerate(plan):
        day = min(ctx.today, dt.date(ctx.year, 2 + 3 * i, 10)) if 2 + 3 * i <= 12 else ctx.today
        with acting_as(recorder, reason="demo"):
            row = violations.record(actor=recorder, member=member, kind=by_code[code], occurred_on=day,
                                    description=f"督察检查发现：{by_code[code].name}", evidence=f"督察通报〔{ctx.year}〕{i + 1}号")
        with acting_as(zhibu, reason="demo"):
            row = violations.confirm(actor=zhibu, record=row, accept=True, today=day)
        if dangyuan is not None and member.pk == dangyuan.member_id:
            with acting_as(dangyuan, reason="demo"):
                row = violations.appeal(actor=dangyuan, record=row, reason="当日经领导批准调休，有请假记录", today=day)
            with acting_as(dangwei, reason="demo"):
                violations.decide_appeal(actor=dangwei, record=row, upheld=True, decision="经核查请假手续齐全，申诉成立",
                                         today=day)
