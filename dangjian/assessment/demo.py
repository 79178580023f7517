"""Assessment demo: the demo bureau's year of the five lists at the demo unit committee.

The branches under the unit committee (``danwei``) self-assess their post duties and the
mandated tasks, the committee scores them; some branches run a project (项目化管理) with a
progress report and a year-end evaluation; one gets a provincial-press bonus. The unit
committee holds its 述职评议 round: the branch secretaries report, the attendees vote and the
round is closed with its tally. Every live grade of the subtree is computed, and the city
committee (``shi``) publishes the unit committee's result (frozen from then on) while the
branches' live previews keep moving.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dangjian.assessment import services
from dangjian.assessment.choices import ListKind
from dangjian.assessment.models import (
    BonusEntry,
    ItemEvaluation,
    ListItem,
    Project,
    ProjectReport,
    ReviewAttendee,
    ReviewOption,
    ReviewReport,
    ReviewRound,
)
from dangjian.core.context import acting_as
from dangjian.members.choices import Post
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.models import Organization

THEMES = [("“红色警营”支部品牌", "红色晨会"), ("“枫桥式”派出所创建", "社区警务室"), ("党建+执法规范化", "案件质量评查"),
          ("“警民同心”志愿服务", "党员先锋岗")]


def build(ctx: Any) -> dict[str, int]:
    danwei, shi = ctx.user("danwei"), ctx.user("shi")
    zhibu = ctx.user("zhibu")
    from dangjian.accounts.models import RoleGrant

    grant = RoleGrant.objects.filter(user=danwei).select_related("org").first()
    if grant is None or grant.org is None:
        return {}
    unit = grant.org
    branches = list(services.graded(Organization.objects.filter(path__startswith=unit.path, depth__gt=unit.depth))
                    .order_by("path")[:12])
    counts = {"evaluations": 0, "projects": 0, "graded": 0, "published": 0, "ballots": 0}
    if ListItem.objects.filter(year=ctx.year).count() == 0 or not branches:
        return counts
    items = list(ListItem.rows_in_force(ctx.year).filter(kind__in=(ListKind.BASIC, ListKind.MANDATED)))
    secretaries = {p.org_id: p.member for p in CommitteePost.objects.filter(
        org__in=branches, post=Post.SECRETARY, ended_on__isnull=True).select_related("member")}
    with acting_as(danwei, reason="演示数据：责任清单"):
        evaluations = []
        for org in branches:
            strength = Decimal(ctx.rng.choice(["1", "0.9", "0.8", "0.7"]))
            for item in items:
                if item.deadline and item.deadline > ctx.today:
                    continue
                own = (Decimal(item.score) * strength).quantize(Decimal("0.5"))
                evaluations.append(ItemEvaluation(
                    org=org, item=item, holder=secretaries.get(org.pk), self_score=min(own + Decimal("0.5"), item.score),
                    self_note="对照清单逐项自评。", score=own, comment="经支委会和党委检查核实。",
                    evidence="支委会会议记录、工作台账", done_on=min(ctx.today, item.deadline or ctx.today)))
        ItemEvaluation.objects.bulk_create(evaluations)
        counts["evaluations"] = len(evaluations)
        for n, org in enumerate(branches[: max(1, len(branches) // 2)]):
            theme, carrier = THEMES[n % len(THEMES)]
            project = Project(org=org, year=ctx.year, theme=theme, carrier=carrier, goals="形成可复制的支部工作法。",
                              measures="每月一次主题活动，每季度一次总结。", standard="群众满意度90%以上。",
                              milestones="3月启动，6月中期检查，11月总结。", mid_check="进度符合计划。",
                              score=Decimal(ctx.rng.choice(["15", "13", "12", "10"])), evaluation="成效明显。")
            project.save()
            ProjectReport(project=project, reported_on=dt.date(ctx.year, 6, 30), progress="完成上半年既定任务。",
                          evidence="活动记录和照片").save()
            counts["projects"] += 1
        BonusEntry(org=branches[0], item=ListItem.objects.get(year=ctx.year, code="b_press"), year=ctx.year,
                   label="工作经验在《人民公安报》刊发", evidence="", on=min(ctx.today, dt.date(ctx.year, 9, 15))).save()
        # 述职评议 of the branch secretaries at the unit committee, voted and closed
        round_ = ReviewRound(org=unit, year=ctx.year, title=f"{ctx.year}年度书记抓基层党建述职评议",
                             opens_on=min(ctx.today, dt.date(ctx.year, 11, 1)), closes_on=dt.date(ctx.year, 12, 31),
                             session_on=min(ctx.today, dt.date(ctx.year, 11, 20)))
        round_.save()
        reports = []
        for org in branches[:4]:
            secretary = secretaries.get(org.pk) or Member.objects.filter(org=org).order_by("id").first()
            if secretary is None:
                continue
            report = ReviewReport(round=round_, org=org, secretary=secretary, summary="述职报告：全年抓党建工作情况。",
                                  remarks="一述一评：成绩明显，短板在于党员教育的针对性。",
                                  rectification="一、加强党员日常教育；二、规范“三会一课”记录。")
            report.save()
            services.open_counters(report)
            reports.append(report)
        voters = [u for u in (zhibu, ctx.users.get("zhibu2"), danwei) if u is not None]
        for user in voters:
            ReviewAttendee(round=round_, user=user).save()
    options = list(ReviewOption.rows_in_force(ctx.year).order_by("order"))
    for user in voters:
        with acting_as(user, reason="演示数据：述职评议投票"):
            services.vote(actor=user, round=round_, choices={
                r.pk: ctx.rng.choices(options, weights=[6, 3, 1, 0][: len(options)])[0].pk for r in reports})
            counts["ballots"] += 1
    with acting_as(danwei, reason="演示数据：述职评议计票"):
        services.close_round(actor=danwei, round=round_)
        ids = list(services.graded(Organization.objects.filter(path__startswith=unit.path)).values_list("id", flat=True))
        counts["graded"] = services.recompute(actor=danwei, year=ctx.year, org_ids=ids, today=ctx.today)
    if branches:
        with acting_as(shi, reason="演示数据：发布等级评定结果"):
            counts["published"] = services.publish(actor=shi, org=unit, year=ctx.year,
                                                   decision_ref=f"市局党委会议纪要〔{ctx.year}〕12号", today=ctx.today)
    ctx.log(f"  责任清单：{counts['evaluations']} 项评价，{counts['projects']} 个项目，{counts['graded']} 个组织评定，"
            f"{counts['published']} 个结果发布，述职评议 {counts['ballots']} 张票")
    return counts
