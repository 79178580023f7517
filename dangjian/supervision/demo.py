"""Supervision's part of the demo bureau: a year of quarterly filings under the unit committee
(some returned and refiled) and one inspection round of the bureau committee's term plan, run
to feedback, with findings, a transferred clue, rectification items (closed, late, open) and an
accountability record — all through the module's services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.orgs.models import Organization
from dangjian.supervision.models import Accountability, Finding, InspectionPlan, InspectionRound
from dangjian.supervision.services import filings as filing_services
from dangjian.supervision.services import inspection as services

FINDINGS = [
    ("political", "第一议题制度落实不到位，个别月份未及时传达学习", "党委会记录2026年1月、4月"),
    ("organizational", "部分支部“三会一课”记录不规范，议题不明确", "抽查支部记录本12本"),
    ("conduct", "基层所队加班就餐管理不规范", "财务凭证及个别谈话"),
    ("institutions", "党费收缴台账未按月登记", "党费台账"),
]


def build(ctx: Any) -> None:
    rng = ctx.rng
    _filings(ctx, rng)
    _inspection(ctx, rng)


def _filings(ctx: Any, rng: Any) -> None:
    zhibu, danwei = ctx.user("zhibu"), ctx.user("danwei")
    unit = zhibu.grants.first().org.get_parent()
    branches = list(Organization.objects.filter(path__startswith=unit.path, kind="branch", is_active=True)
                    .order_by("path")[:12])
    last_quarter = (ctx.today.month - 1) // 3  # quarters that have ended this year
    for branch in branches:
        filer = zhibu if zhibu.grants.filter(org=branch).exists() else None
        for quarter in range(1, last_quarter + 1):
            if rng.random() < 0.08 and quarter == last_quarter:
                continue  # not filed yet: shows as overdue in the matrix
            filing = filing_services.open_filing(actor=filer, org=branch, year=ctx.year, quarter=quarter)
            texts = {i.pk: f"第{quarter}季度按要求落实，记录齐全" for i in filing.items.all()}  # noqa: RUF001
            filing_services.submit(actor=filer, filing=filing, texts=texts)
            if rng.random() < 0.25:
                item = rng.choice(list(filing.items.all()))
                filing_services.review(actor=danwei, filing=filing,
                                       returns={item.pk: ("记录缺少决定事项，请补充后重新报送", None)})  # noqa: RUF001
                if quarter == last_quarter and rng.random() < 0.5:
                    continue  # returned and not yet refiled
                filing_services.submit(actor=filer, filing=filing, texts={item.pk: "已补充决定事项及签名"})
            if quarter < last_quarter or rng.random() < 0.7:
                filing_services.review(actor=danwei, filing=filing, returns={})


def _inspection(ctx: Any, rng: Any) -> None:
    dangwei, ducha = ctx.user("shi"), ctx.user("ducha")
    root = ctx.root
    plan = InspectionPlan(committee=root, title=f"{root.name}{ctx.year}—{ctx.year + 4}年政治督察规划",
                          term_start=ctx.year, term_years=5, rounds_per_year=2, capacity=3)
    plan.save()
    plan.leaders.add(dangwei)
    first = InspectionRound(plan=plan, year=ctx.year, number=1, starts_on=dt.date(ctx.year, 3, 1))
    first.save()
    InspectionRound(plan=plan, year=ctx.year, number=2, starts_on=dt.date(ctx.year, 9, 1)).save()
    committees = list(Organization.objects.filter(depth=root.depth + 1, kind="committee").order_by("path"))
    target = ducha.grants.first().org
    others = [c for c in committees if c.pk != target.pk]
    from dangjian.supervision.models import Inspection

    inspections = []
    for org, leader, team in [(target, ducha, [ducha]), *((c, dangwei, []) for c in others[:2])]:
        row = Inspection(round=first, target=org, leader=leader,
                         views_collected="纪检、组织、审计、信访部门意见已收集", methods="个别谈话32人次，调阅资料86份，民主测评1次")  # noqa: RUF001
        row.save()
        row.team.set(team)
        inspections.append(row)
    actor_for = {inspections[0].pk: ducha}
    for row in inspections:
        actor = actor_for.get(row.pk, dangwei)
        services.advance(actor=actor, inspection=row, stage="stationed", on=dt.date(ctx.year, 3, 10))
        findings = []
        for area, text, evidence in rng.sample(FINDINGS, 3):
            f = Finding(inspection=row, area=area, text=text, evidence=evidence)
            f.save()
            services.confirm_finding(actor=actor, finding=f)
            findings.append(f)
        row.refresh_from_db()
        row.evaluation = {"political": "较好", "ideological": "好", "organizational": "一般", "conduct": "较好",
                          "discipline": "好", "integrity": "较好", "institutions": "一般"}
        row.feedback_leadership = "向领导班子反馈督察发现的主要问题及整改要求"
        row.feedback_head = "向主要负责人单独反馈个人履行第一责任人职责情况"
        row.save()
        services.advance(actor=actor, inspection=row, stage="report", on=dt.date(ctx.year, 4, 20))
        services.advance(actor=actor, inspection=row, stage="feedback", on=dt.date(ctx.year, 5, 15))
        owner = row.target.members.filter(is_active=True).first() or _any_member(row.target)
        if owner is None:
            continue
        for n, f in enumerate(findings):
            item = services.open_item(actor=actor, finding=f, content=f"针对“{f.text[:12]}”制定整改措施", owner=owner)
            if n == 0:
                services.report_done(actor=actor, item=item, evidence="整改报告及相关制度文件")
                services.sign_off(actor=actor, item=item, on=dt.date(ctx.year, 7, 10))
            elif n == 1 and rng.random() < 0.8:
                services.report_done(actor=actor, item=item, evidence="补充会议记录")
                services.sign_off(actor=actor, item=item, on=dt.date(ctx.year, 8, 20))  # closed late
        services.advance(actor=actor, inspection=row, stage="rectification", on=dt.date(ctx.year, 5, 20))
    lead = inspections[0]
    department = others[-1] if others else root
    services.transfer_clue(actor=ducha, inspection=lead, department=department,
                           summary="反映某所队负责人违规报销问题，移交纪检监察部门处置", finding=None)  # noqa: RUF001
    Accountability(finding=lead.findings.first(), kind="principal", person="某所队党支部书记",
                   decision="对落实主体责任不力进行约谈", decided_on=dt.date(ctx.year, 6, 18)).save()


def _any_member(org: Any) -> Any:
    from dangjian.members.models import Member

    return Member.objects.filter(org__path__startswith=org.path, is_active=True).order_by("id").first()
