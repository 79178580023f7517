"""Care fund demo: a year of 暖心工程 at the demo unit committee, through the services.

The unit committee (account ``danwei``) receives its share of retained dues from the dues
demo (read from the dues module), records members' donations with receipts, requests visits
and condolences (old members at the Spring Festival, a member in hardship, a family on a
援藏 assignment, an illness, a bereavement) that the bureau (``shi``) approves by collective
decision; a request that would overdraw the fund is refused and stays rejected. The
statement at the end reconciles to the cent (tested in tests/test_demo.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from dangjian.care import services
from dangjian.care.models import CareReason, CareVisit
from dangjian.core import approvals
from dangjian.core.context import acting_as
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

VISITS = [  # (month, reason code, amount, items, circumstances)
    (1, "old_member", "500.00", "米、油、慰问信", "党龄五十年，独居，行动不便。"),
    (1, "hardship", "2000.00", "慰问金", "配偶重病，家庭收入下降。"),
    (2, "aid_tibet_xinjiang", "1000.00", "慰问金、家属慰问信", "援藏期间家属独自照顾老人。"),
    (4, "illness", "800.00", "鲜花、慰问金", "因公受伤住院治疗。"),
    (6, "model_worker", "500.00", "慰问品", "全国公安系统二级英模。"),
    (7, "bereavement", "1000.00", "慰问金", "父亲病故。"),
    (9, "old_member", "300.00", "月饼、慰问信", "中秋节走访。"),
    (10, "hardship", "6000.00", "慰问金", "子女重病（申请金额超出基金余额时被拒）。"),
]


def build(ctx: Any) -> dict[str, int]:
    danwei, shi = ctx.user("danwei"), ctx.user("shi")
    committee = Organization.objects.get(pk=danwei.grants.get(role="committee_staff").org_id)
    members = list(Member.objects.filter(org__path__startswith=committee.path, is_active=True).order_by("id")[:60])
    reasons = {r.code: r for r in CareReason.objects.all()}
    counts = {"donations": 0, "approved": 0, "rejected": 0}
    with acting_as(danwei, reason="演示数据：暖心工程"):
        for n, member in enumerate(ctx.rng.sample(members, min(24, len(members))), start=1):
            day = dt.date(ctx.year, ctx.rng.randrange(1, ctx.today.month + 1), ctx.rng.randrange(1, 28))
            day = min(day, ctx.today)
            services.record_donation(actor=danwei, org=committee, donor=member.name, member=member,
                                     amount=Decimal(ctx.rng.choice(["50.00", "100.00", "200.00", "66.60"])),
                                     received_on=day, receipt_number=f"NX{ctx.year}{n:03d}", note="党员捐一点")
            counts["donations"] += 1
        for month, code, amount, items, circumstances in VISITS:
            day = dt.date(ctx.year, month, 10 + ctx.rng.randrange(0, 15))
            if day > ctx.today:
                continue
            visit = CareVisit(org=committee, beneficiary=ctx.rng.choice(members), reason=reasons[code], visited_on=day,
                              amount=Decimal(amount), items=items, visitor="单位党委书记、支部书记",
                              circumstances=circumstances, notes="走访时了解实际困难，已登记后续关怀。")
            services.request_visit(actor=danwei, visit=visit)
            with acting_as(shi, reason="演示数据：暖心工程审批"):
                try:
                    approvals.decide(actor=shi, row=visit, approve=True, reference=f"市局党委会议纪要〔{ctx.year}〕{month}号",
                                     decided_on=day)
                    counts["approved"] += 1
                except ValidationError:  # the fund would be overdrawn: the bureau rejects it
                    approvals.decide(actor=shi, row=CareVisit.objects.get(pk=visit.pk), approve=False,
                                     reference=f"市局党委会议纪要〔{ctx.year}〕{month}号：基金余额不足", decided_on=day)
                    counts["rejected"] += 1
    ctx.log(f"  暖心工程：{counts['donations']} 笔捐款，{counts['approved']} 次慰问获批，{counts['rejected']} 次被拒")
    return counts
