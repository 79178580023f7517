"""Organizational life in the demo bureau: a year of 三会一课 up to the demo's today.

Most branches hold every meeting they owe (主题党日 and 支部委员会 monthly, 支部党员大会 and 党课
quarterly, 党小组会 monthly in the groups, 组织生活会 and 民主评议党员 in January, 谈心谈话),
with attendance, leave asked and approved before the start, a few absences and minutes, and
have them confirmed. A few branches lag in ways a staffer recognizes: a branch that skipped
the 主题党日 of the last two months, one whose committee stopped meeting in the autumn, one
that has not held its third-quarter 党课, and a weak one that does little and hands in
copies of its previous records (what the record-quality check finds). The unit committees held their 民主生活会 in January
with criticism records and rectification items (most closed, one overdue); the demo
secretary's unit committee has its next one's opinion solicitation open now.

Everything goes through the meeting services (expected attendees, leave, attendance,
confirmation), acting as the branch secretary where the demo has one, else the bureau staff.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.core.rectification import RectificationStatus
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, OpinionTopic
from dangjian.meetings.models import (
    AgendaItem,
    CriticismRecord,
    Meeting,
    MeetingKind,
    RectificationItem,
    Solicitation,
    Talk,
)
from dangjian.members.choices import MemberStatus, Post
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

DEMO_REASON = "演示数据：组织生活"

THEMED_DAY = {
    1: "重温入党誓词，坚定理想信念", 2: "学习《中国共产党纪律处分条例》", 3: "学雷锋志愿服务进社区",
    4: "清明祭英烈，传承红色基因", 5: "深入学习贯彻中央八项规定精神", 6: "“七一”前夕党性教育",
    7: "庆祝中国共产党成立105周年", 8: "对标“四个铁一般”，锻造公安铁军", 9: "警示教育：以案为鉴、以案促改",
    10: "学习新时代公安工作理念", 11: "冬季治安防控动员与廉政提醒", 12: "年终总结，查摆问题",
}
LECTURE = {1: "以党的创新理论武装头脑", 2: "坚持人民至上，做人民满意的公安民警",
           3: "严守纪律规矩，永葆忠诚本色", 4: "新时代公安队伍的政治建设"}
GENERAL = {1: "通报上年支部工作，部署本年度任务", 2: "讨论发展对象，学习党章",
           3: "半年工作总结，评选优秀党员", 4: "讨论预备党员转正，通报党费收缴"}
COMMITTEE_TOPICS = ("研究本月支部工作安排", "研究党员教育管理工作", "研究党费收缴与使用", "研究发展党员工作",
                    "研究主题党日活动方案", "研究谈心谈话安排")
PLACES = ("支部活动室", "三楼会议室", "党员活动室", "大队会议室")
LEAVE_REASONS = ("执行抓捕任务", "值班备勤", "外出培训", "病假", "押解任务", "案件侦办出差", "家中有事")
OPINIONS = (
    (OpinionTopic.TEAM, "班子成员下基层调研次数偏少，希望多到派出所一线听取意见。"),
    (OpinionTopic.WORK, "夜间巡逻警力紧张，建议优化勤务排班，保障民警休息。"),
    (OpinionTopic.BRANCH, "主题党日形式较单一，可结合执法办案开展案例研讨。"),
    (OpinionTopic.WORK, "执法办案系统操作培训不够，新警上手慢。"),
    (OpinionTopic.TEAM, "对民警的关心关爱还需加强，家属困难要及时帮扶。"),
    (OpinionTopic.OTHER, "建议定期公开党费使用情况。"),
)
CRITICISM = ("理论学习不够系统，存在以干代学的情况。", "深入基层调研不够，对一线民警困难了解不全面。",
             "抓队伍管理有时失之于宽、失之于软。", "开拓创新意识不强，满足于完成上级部署的任务。")
#: what the members said and what the meeting decided: each record draws its own few, so the
#: year's minutes differ as real ones do (the record-quality check flags the copies, not these)
DISCUSSION = (
    "与会党员结合近期执法办案工作谈了学习体会，认为要把规范执法落实到每一起案件。",
    "大家围绕队伍纪律作风建设展开讨论，查找了值班备勤中的薄弱环节。",
    "老党员结合多年办案经历，讲述了坚守初心、秉公执法的体会。",
    "年轻民警谈到基层工作压力大，支部将加强谈心谈话和心理疏导。",
    "会议通报了本季度警情和案件办理情况，分析了辖区治安形势。",
    "党员们对照党章党规，逐条查找了自身在学习和工作中的差距。",
    "讨论中提出，要把党建工作与打击电信网络诈骗专项行动结合起来。",
    "与会同志认为，群众来访接待中还存在态度生硬、解释不细的问题。",
    "会上交流了“枫桥经验”在社区警务中的做法，提出推广建议。",
    "有党员提出，夜间巡逻警力不足，建议优化勤务排班。",
    "支部委员通报了上次会议决定事项的落实情况，逐项说明了进度。",
    "大家结合典型案例，讨论了执法过程中如何防范廉政风险。",
    "会议学习了有关文件精神，党员们结合分管工作谈了贯彻打算。",
    "与会党员对照“四个铁一般”要求，开展了批评和自我批评。",
    "讨论了辖区重点人员管控和矛盾纠纷排查化解工作。",
    "党员们结合交通秩序整治工作，查找了服务群众方面的不足。",
    "有同志谈到执法记录仪使用不规范的问题，建议加强日常检查。",
    "会议回顾了本月主题党日活动开展情况，总结了经验和不足。",
    "大家就如何做好新入警民警传帮带工作提出了具体意见。",
    "支部书记结合支部实际，对下一阶段党员教育管理提出要求。",
    "与会同志围绕提升案件侦破率，讨论了合成作战的组织方式。",
    "会上党员们分享了参加志愿服务、走访困难群众的感受。",
    "大家认为理论学习存在“以干代学”的现象，要落实学习计划。",
    "讨论了安全生产大检查中发现的消防隐患整改问题。",
    "有党员建议，把警示教育案例汇编成册，组织集中学习。",
    "与会同志交流了基层派出所“一村一警”工作的经验。",
    "会议听取了党小组工作汇报，对党小组活动提出改进意见。",
    "大家结合节假日安保任务，讨论了勤务保障和民警休息安排。",
)
RESOLUTIONS = (
    "会议决定：本月内完成党员思想动态分析，报上级党委。",
    "会议决定：由组织委员牵头，制定下季度党员教育计划。",
    "会议决定：对查摆出的问题建立台账，明确责任人和完成时限。",
    "会议决定：组织党员开展一次执法规范化专题学习。",
    "会议决定：下月组织一次走访慰问困难民警家庭活动。",
    "会议决定：落实谈心谈话制度，支委与每名党员至少谈话一次。",
    "会议决定：开展一次警示教育，组织旁听职务犯罪庭审。",
    "会议决定：整改情况在下次支委会上专题通报。",
    "会议决定：由宣传委员负责，做好本次活动的宣传报道。",
    "会议决定：完善支部工作台账，按季度向上级党委报送。",
)
RECTIFY = ("建立班子成员联系基层所队制度，每季度至少调研一次。", "完善勤务排班办法，落实民警轮休。",
           "制定年度理论学习计划，落实第一议题制度。", "开展执法规范化专项培训。")


@dataclass
class DemoMeetings:
    meetings: int = 0
    attendances: int = 0
    lagging: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


def _weekday_in(rng: Any, year: int, month: int, lo: int, hi: int) -> dt.date:
    """A working day between the ``lo``-th and ``hi``-th of the month."""
    for _ in range(20):
        day = dt.date(year, month, rng.randint(lo, hi))
        if day.weekday() < 5:
            return day
    return dt.date(year, month, lo)


class _Year:
    """The meetings of one demo year, held through the services."""

    def __init__(self, ctx: DemoContext, result: DemoMeetings) -> None:
        self.ctx, self.rng, self.result = ctx, ctx.rng, result
        self.kinds = {k.code: k for k in MeetingKind.objects.all()}
        self.now = timezone.now()
        self.staff = ctx.user("shi")
        self.secretaries = {u.member.org_id: u for u in ctx.users.values() if getattr(u, "member_id", None)
                            and u.username.startswith("zhibu")}
        #: the demo secretaries' branches live their last months screen by screen (the
        #: services one call at a time); everything else is entered from the minutes book
        self.lived = tuple(u.member.org.path for u in self.secretaries.values())
        self.lived_from = ctx.today.month - 1
        self.pools: dict[tuple[int, str], list[int]] = {}
        #: the words of the minutes have their own random stream, so they leave the story's
        #: other draws (attendance, leave) as the seed makes them
        self.words = random.Random(ctx.seed + 7)
        #: branches that copy their previous record of a kind instead of writing a new one
        self.copying: set[int] = set()
        self.last_minutes: dict[tuple[int, str], str] = {}
        self.batch: list[services.PastMeeting] = []

    def actor_for(self, org: Organization) -> Any:
        if org.pk not in self.secretaries and org.kind == OrgKind.GROUP:
            parent = org.get_parent()
            return self.secretaries.get(getattr(parent, "pk", 0)) or self.staff
        return self.secretaries.get(org.pk) or self.staff

    def hold(self, org: Organization, kind: str, topic: str, day: dt.date, *, host: Member | None,
             recorder: Member | None, confirm: bool = True, present_rate: float = 0.9,
             leave_rate: float = 0.06, minutes_extra: str = "") -> Meeting | None:
        """One meeting of the year. In the demo accounts' own unit committee it is planned,
        attended (leave asked and approved the day before), recorded and confirmed screen by
        screen through the services; elsewhere it is entered from its paper record with
        the other meetings of its branch (``services.enter_past_meetings``)."""
        starts = _at(day, self.rng.choice((9, 14, 15)), self.rng.choice((0, 30)))
        ends = starts + dt.timedelta(minutes=self.rng.choice((60, 90, 120)))
        place = self.rng.choice(PLACES)
        lived = org.path.startswith(self.lived) and starts.month >= self.lived_from
        if lived or starts > self.now or not confirm:
            return self._live(org, kind, topic, starts, ends, place, host, recorder, confirm, present_rate,
                              leave_rate, minutes_extra)
        key = (org.pk, self.kinds[kind].attendee_source)
        if key not in self.pools:
            probe = Meeting(org=org, kind=self.kinds[kind], starts_at=starts)
            self.pools[key] = list(services.expected_members(probe).values_list("pk", flat=True))
        pool = self.pools[key]
        keep = {getattr(host, "pk", None), getattr(recorder, "pk", None)}
        exceptions: dict[int, tuple[str, str]] = {}
        for member_id in pool:
            roll = self.rng.random()
            if member_id in keep or roll >= 1 - present_rate:
                continue
            if roll < leave_rate:
                exceptions[member_id] = (AttendanceStatus.EXCUSED, self.rng.choice(LEAVE_REASONS))
            else:
                exceptions[member_id] = (AttendanceStatus.ABSENT, "")
        excused = sum(1 for s, _r in exceptions.values() if s == AttendanceStatus.EXCUSED)
        absent = len(exceptions) - excused
        self.batch.append(services.PastMeeting(
            org=org, kind=self.kinds[kind], topic=topic, starts_at=starts, ends_at=ends, place=place, host=host,
            recorder=recorder, exceptions=exceptions,
            minutes=self.minutes(org, kind, topic, host, recorder, len(pool), len(pool) - len(exceptions), excused,
                                 absent, minutes_extra)))
        self.result.meetings += 1
        self.result.attendances += len(pool)
        return None

    def flush(self) -> None:
        if self.batch:
            services.enter_past_meetings(actor=self.staff, meetings=self.batch, now=self.now)
            self.batch = []

    def minutes(self, org: Organization, kind: str, topic: str, host: Member | None, recorder: Member | None,
                expected: int, present: int, excused: int, absent: int, extra: str) -> str:
        """The record of one meeting: who, the counts, what was said and decided. A copying
        branch hands in its previous record of the kind again (the figures too)."""
        key = (org.pk, kind)
        if org.pk in self.copying and key in self.last_minutes:
            return self.last_minutes[key]
        who = f"主持人：{host.name}；记录人：{recorder.name}。" if host and recorder else ""
        said = "".join(self.words.sample(DISCUSSION, 3))
        text = (f"会议主题：{topic}。{who}应到{expected}人，实到{present}人，请假{excused}人，缺席{absent}人。"
                f"{extra}{said}{self.words.choice(RESOLUTIONS)}")
        self.last_minutes[key] = text
        return text

    def _live(self, org: Organization, kind: str, topic: str, starts: dt.datetime, ends: dt.datetime, place: str,
              host: Member | None, recorder: Member | None, confirm: bool, present_rate: float, leave_rate: float,
              minutes_extra: str) -> Meeting:
        actor = self.actor_for(org)
        meeting = Meeting(org=org, kind=self.kinds[kind], topic=topic, starts_at=starts, ends_at=ends, place=place,
                          host=host, recorder=recorder)
        meeting.save()
        self.result.meetings += 1
        services.sync_expected(actor=actor, meeting=meeting)
        if starts > self.now:
            return meeting  # planned, not held yet
        rows = list(meeting.attendances.select_related("member"))
        keep = {getattr(host, "pk", None), getattr(recorder, "pk", None)}
        statuses: dict[int, str] = {}
        excused = absent = 0
        for row in rows:
            roll = self.rng.random()
            if row.member_id in keep or roll >= 1 - present_rate:
                statuses[row.pk] = AttendanceStatus.PRESENT
            elif roll < leave_rate:
                services.request_leave(actor=actor, attendance=row, reason=self.rng.choice(LEAVE_REASONS),
                                       now=starts - dt.timedelta(days=1))
                services.decide_leave(actor=actor, attendance=row, approve=True, now=starts - dt.timedelta(hours=20))
                excused += 1
            else:
                statuses[row.pk] = AttendanceStatus.ABSENT
                absent += 1
        services.record_attendance(actor=actor, meeting=meeting, statuses=statuses)
        self.result.attendances += len(rows)
        meeting.minutes = self.minutes(org, kind, topic, host, recorder, len(rows), len(rows) - excused - absent,
                                       excused, absent, minutes_extra)
        meeting.save()
        services.mark_recorded(actor=actor, meeting=meeting)
        if confirm:
            services.confirm_meeting(actor=actor, meeting=meeting, now=meeting.ends_at + dt.timedelta(days=1))
        return meeting


def _officers(org: Organization) -> tuple[Member | None, Member | None, list[Member]]:
    """(secretary, recorder, committee members) of an organization on today's posts."""
    posts = list(CommitteePost.objects.filter(org=org, ended_on__isnull=True).select_related("member")
                 .order_by("id"))
    secretary = next((p.member for p in posts if p.post == Post.SECRETARY), None)
    others = [p.member for p in posts if p.post != Post.SECRETARY]
    if secretary is None:
        secretary = Member.objects.filter(org=org, is_active=True, status=MemberStatus.FULL).order_by("id").first()
    recorder = others[0] if others else (
        Member.objects.filter(org=org, is_active=True).exclude(pk=getattr(secretary, "pk", None)).order_by("id").first())
    return secretary, recorder, others


def build(ctx: DemoContext) -> DemoMeetings:
    """The demo year of meetings; the stored obligations are rebuilt in bulk at the end."""
    from dangjian.meetings import stored

    with stored.paused():
        result = _build(ctx)
    stored.rebuild(stored.stored_years() or stored.default_years())
    return result


def _build(ctx: DemoContext) -> DemoMeetings:
    started = time.perf_counter()
    result = DemoMeetings()
    year = _Year(ctx, result)
    with acting_as(year.staff, reason=DEMO_REASON, source="command"):
        branches = list(Organization.objects.filter(kind=OrgKind.BRANCH).order_by("path"))
        # a few branches lag, each in one recognizable way (deterministic by the seed)
        profiles = {b.pk: "steady" for b in branches}
        own = {u.member.org_id for u in ctx.users.values() if getattr(u, "member_id", None)}
        candidates = [b for b in branches if b.pk not in own]
        for kind, branch in zip(("no_themed_day", "committee_stopped", "no_lecture", "no_themed_day",
                                 "no_lecture", "weak"), ctx.rng.sample(candidates, 6), strict=True):
            profiles[branch.pk] = kind
            result.lagging.append(f"{branch.name}：{kind}")
            if kind == "weak":
                year.copying.add(branch.pk)  # its records are copied from the previous month's
        for branch in branches:
            _branch_year(year, branch, profiles[branch.pk])
            year.flush()
        _committees_year(year, ctx)
        year.flush()
    result.seconds = time.perf_counter() - started
    ctx.log(f"  组织生活：{result.meetings} 次会议，{result.attendances} 条出勤记录，用时 {result.seconds:.1f} 秒")
    return result


def _months_to(ctx: DemoContext) -> list[int]:
    """Months of the demo year whose meetings are due by now (the current month's are planned)."""
    return list(range(1, ctx.today.month + 1))


def _branch_year(year: _Year, branch: Organization, profile: str) -> None:
    ctx, rng = year.ctx, year.rng
    host, recorder, committee = _officers(branch)
    if host is None:
        return  # an empty branch holds nothing
    current = ctx.today.month
    has_committee = len(committee) >= 2
    weak = profile == "weak"
    for month in _months_to(ctx):
        this_month = month == current
        # 主题党日: the middle of the month; the current month's is planned ahead when not yet held
        themed_day = _weekday_in(rng, ctx.year, month, 8, 20)
        skip_themed = (profile == "no_themed_day" and month >= current - 2) or (weak and month % 2 == 0)
        if not skip_themed and (not this_month or themed_day > ctx.today):
            year.hold(branch, "themed_party_day", f"{month}月主题党日：{THEMED_DAY[month]}", themed_day,
                      host=host, recorder=recorder, present_rate=0.86 if weak else 0.92)
        if has_committee and not this_month:
            stopped = (profile == "committee_stopped" and month >= 8) or (weak and month >= 5)
            if not stopped:
                year.hold(branch, "branch_committee", f"支部委员会：{COMMITTEE_TOPICS[month % len(COMMITTEE_TOPICS)]}",
                          _weekday_in(rng, ctx.year, month, 1, 7), host=host, recorder=committee[0],
                          present_rate=1.0, leave_rate=0.0)
        quarter = (month - 1) // 3 + 1
        if month % 3 == 2 and not this_month:  # the quarter's meetings in its middle month
            year.hold(branch, "branch_general_meeting", f"第{quarter}季度支部党员大会：{GENERAL[quarter]}",
                      _weekday_in(rng, ctx.year, month, 20, 27), host=host, recorder=recorder)
            skip_lecture = (profile == "no_lecture" and quarter == 3) or (weak and quarter >= 2)
            if not skip_lecture:
                year.hold(branch, "party_lecture", f"党课：{LECTURE[quarter]}", _weekday_in(rng, ctx.year, month, 21, 28),
                          host=host, recorder=recorder)
        if month == 1:
            year.hold(branch, "org_life_meeting", f"{ctx.year - 1}年度组织生活会", _weekday_in(rng, ctx.year, 1, 12, 23),
                      host=host, recorder=recorder, present_rate=0.95, leave_rate=0.04,
                      minutes_extra="支部班子和党员逐一对照检查，开展批评和自我批评。")
            if not weak:
                year.hold(branch, "member_evaluation", f"{ctx.year - 1}年度民主评议党员", _weekday_in(rng, ctx.year, 1, 12, 23),
                          host=host, recorder=recorder, present_rate=0.95, leave_rate=0.04)
        if month == 6 and not weak:
            year.hold(branch, "heart_to_heart_talk", "年中谈心谈话", _weekday_in(rng, ctx.year, 6, 10, 20),
                      host=host, recorder=recorder,
                      minutes_extra="支部书记与支部委员、党员逐一谈心谈话，了解思想动态和工作生活困难。")
    for group in branch.get_children().filter(kind=OrgKind.GROUP):
        members = list(Member.objects.filter(group=group, is_active=True).order_by("id")[:2])
        if not members:
            continue
        for month in _months_to(ctx):
            if month == current:
                continue
            if weak and month > 6:
                continue
            year.hold(group, "group_meeting", f"党小组学习：{THEMED_DAY[month]}", _weekday_in(rng, ctx.year, month, 3, 26),
                      host=members[0], recorder=members[-1], present_rate=0.93)


def _committees_year(year: _Year, ctx: DemoContext) -> None:
    """民主生活会 in January (criticism records, rectification items) and the secretary's 党课;
    the demo secretary's unit committee has its next solicitation open."""
    rng = year.rng
    committees = list(Organization.objects.filter(kind=OrgKind.COMMITTEE).order_by("path"))
    secretary_orgs = {u.member.org_id for u in ctx.users.values() if getattr(u, "member_id", None)}
    open_for = {Organization.objects.get(pk=pk).get_parent().pk for pk in secretary_orgs}
    for n, committee in enumerate(committees):
        members = _committee_people(committee)
        if len(members) < 3:
            continue
        host, recorder = members[0], members[1]
        _bind_committee_posts(committee, members)
        day = _weekday_in(rng, ctx.year, 1, 18, 28)
        if n % 6 != 5:  # most held their meeting; two are still due this year
            dlm = year.hold(committee, "democratic_life_meeting", f"{ctx.year - 1}年度专题民主生活会", day,
                            host=host, recorder=recorder, present_rate=1.0, leave_rate=0.0,
                            minutes_extra="班子成员逐一对照检查，开展批评和自我批评。", confirm=False)
            assert dlm is not None  # confirm=False: held through the services, confirmed below
            for i, member in enumerate(members[:4]):
                CriticismRecord(meeting=dlm, member=member, self_criticism=CRITICISM[i % len(CRITICISM)],
                                criticism_received="希望进一步加强调查研究，改进工作作风。",
                                commitments="对照问题清单逐项整改，按期报告整改情况。").save()
            services.confirm_meeting(actor=year.actor_for(committee), meeting=dlm, now=dlm.ends_at + dt.timedelta(days=1))
            for i, text in enumerate(RECTIFY):
                overdue = n % 4 == 1 and i == 3
                deadline = dt.date(ctx.year, 6, 30) if not overdue else dt.date(ctx.year, 9, 30)
                item = RectificationItem(org=committee, meeting=dlm, owner=members[i % len(members)], content=text,
                                         deadline=deadline)
                if overdue:
                    item.status = RectificationStatus.IN_PROGRESS
                else:
                    item.status = RectificationStatus.CLOSED
                    item.evidence = "整改措施已落实，相关制度已印发。"
                    item.closed_on = deadline - dt.timedelta(days=rng.randint(3, 40))
                item.save()
        lecture_day = _weekday_in(rng, ctx.year, rng.choice((3, 4, 6, 9)), 10, 25)
        year.hold(committee, "party_lecture", "党委书记讲党课：坚定不移推进全面从严管党治警", lecture_day,
                  host=host, recorder=recorder)
        if committee.pk in open_for:
            _open_solicitation(year, ctx, committee, members)


def _committee_people(committee: Organization) -> list[Member]:
    """Who sits on a committee in the demo: the secretaries of its first branches stand in
    for the committee members (the demo bureau records no unit committee posts)."""
    posts = list(CommitteePost.objects.filter(org=committee, ended_on__isnull=True).select_related("member"))
    if posts:
        return [p.member for p in posts]
    below = Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH).order_by("path")
    return [p.member for p in CommitteePost.objects.filter(org__in=below[:5], post=Post.SECRETARY)
            .select_related("member").order_by("org__path")]


def _bind_committee_posts(committee: Organization, members: list[Member]) -> None:
    if CommitteePost.objects.filter(org=committee).exists():
        return
    for member, post in zip(members, (Post.SECRETARY, Post.DEPUTY, Post.ORGANIZATION,
                                      Post.PROPAGANDA, Post.DISCIPLINE), strict=False):
        CommitteePost(org=committee, member=member, post=post, started_on=dt.date(2023, 1, 1)).save()


def _open_solicitation(year: _Year, ctx: DemoContext, committee: Organization, members: list[Member]) -> None:
    opens = ctx.today - dt.timedelta(days=10)
    solicitation = Solicitation(org=committee, title=f"{ctx.year}年度民主生活会征求意见",
                                description="请围绕班子建设、公安工作和支部工作提出意见建议，可匿名提交。",
                                opens_on=opens, closes_on=ctx.today + dt.timedelta(days=14), allow_anonymous=True)
    solicitation.save()
    for i, (topic, text) in enumerate(OPINIONS):
        services.submit_opinion(user=year.staff, solicitation=solicitation, content=text, topic=topic,
                                anonymous=i % 2 == 0, today=opens + dt.timedelta(days=i))
    Talk(org=committee, solicitation=solicitation, held_on=opens + dt.timedelta(days=3), talker=members[0],
         interviewee=members[1], summary="建议班子成员多到一线调研，帮助解决警力不足问题。").save()
    AgendaItem(solicitation=solicitation, order=1, title="班子成员深入基层调研不够").save()
