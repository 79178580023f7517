"""Honors demo: a year of commendations, ceremonies and pennants at the demo unit committee.

Branches nominate (优秀共产党员, 五好党支部, a 三等功), the nominations are shown for review for
seven days and the unit committee decides them after the window; one is revoked later (the
points ledger writes the entry and its reversal). Ceremonies for an induction and a
retirement; pennants from the public with their stories.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.core import approvals
from dangjian.core.context import acting_as
from dangjian.honors import services
from dangjian.honors.models import Commendation, CommendationKind, HonorCeremony, Pennant
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

PENNANTS = [
    ("张女士", "电信诈骗案件追回被骗资金", "心系群众 追赃挽损", "接警后连夜研判，三天内冻结并追回全部被骗资金。"),
    ("李大爷一家", "走失老人寻回", "人民警察为人民", "暴雨夜沿河搜寻四小时，找回走失的阿尔茨海默症老人。"),
    ("某小区业主委员会", "入室盗窃系列案告破", "破案神速 保一方平安", "串并案件十二起，抓获嫌疑人两名。"),
]


def build(ctx: Any) -> dict[str, int]:
    zhibu, danwei = ctx.user("zhibu"), ctx.user("danwei")
    branch = Organization.objects.get(pk=zhibu.member.org_id)
    members = list(Member.objects.filter(org=branch, is_active=True).order_by("id")[:20])
    kinds = {k.code: k for k in CommendationKind.objects.filter(year=ctx.year)}
    counts = {"commendations": 0, "ceremonies": 0, "pennants": 0}
    if not kinds or not members:
        return counts
    plan = [("excellent_member", members[0], None, 6), ("excellent_member", members[1], None, 6),
            ("merit_third", members[2], None, 3), ("five_good_branch", None, branch, 11)]
    with acting_as(zhibu, reason="演示数据：荣誉表彰"):
        rows = []
        for code, member, org, month in plan:
            start = dt.date(ctx.year, month, 1)
            if start + dt.timedelta(days=10) > ctx.today:
                continue
            row = Commendation(org=branch, kind=kinds[code], member=member, nominee_org=org,
                               merits="全年工作表现突出，群众满意度高。", review_from=start,
                               review_until=start + dt.timedelta(days=7))
            rows.append(services.nominate(actor=zhibu, row=row))
        for n, (who, case, words, story) in enumerate(PENNANTS, start=1):
            pennant = Pennant(org=branch, received_on=min(dt.date(ctx.year, 2 + 3 * n, 15), ctx.today),
                              from_whom=who, case=case, inscription=words, story=story)
            pennant.save()
            pennant.officers.set(ctx.rng.sample(members, min(2, len(members))))
            counts["pennants"] += 1
        for kind, title, month, people in (("induction", "新警入警宣誓仪式", 3, members[-2:]),
                                           ("retirement", "老民警光荣退休仪式", 9, members[3:4])):
            ceremony = HonorCeremony(org=branch, kind=kind, held_on=dt.date(ctx.year, month, 20), title=title,
                                     notes="在红色晨会上举行。")
            ceremony.save()
            ceremony.people.set(people)
            counts["ceremonies"] += 1
    with acting_as(danwei, reason="演示数据：表彰审批"):
        for row in rows:
            approvals.decide(actor=danwei, row=row, approve=True, reference="单位党委会议纪要",
                             decided_on=row.review_until + dt.timedelta(days=1))
            counts["commendations"] += 1
        if len(rows) > 1:
            services.revoke(actor=danwei, row=rows[1], reason="经复核，事迹材料不实。")
    ctx.log(f"  荣誉：{counts['commendations']} 项表彰，{counts['ceremonies']} 场仪式，{counts['pennants']} 面锦旗")
    return counts
