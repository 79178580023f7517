"""Study in the demo bureau: the bureau's question bank, a theory test of the demo member's unit
committee that most of its members took in November (graded, with its statistics and a few flagged attempts), and a 微党课 that part of the
bureau completed, each through the study services as the member's own session would.

The demo ``dangyuan`` account has taken the test and earned its points; the course is open to
everyone and the demo member still has its last chapter to read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.members.models import Member
from dangjian.study import rules, services
from dangjian.study.models import Chapter, Course, Exam, ExamQuestion, Question

REASON = "演示数据：学习教育"
SOURCE_DZ = "《中国共产党章程》"
SOURCE_TL = "《中国共产党支部工作条例（试行）》"
SOURCE_JL = "《公安机关人民警察纪律条令》"

BANK = (
    # kind, text, options, key, tag, difficulty, source
    ("single", "党的根本宗旨是", "全心全意为人民服务\n发展社会生产力\n维护社会稳定\n实现共同富裕", "A", "党章", 1, SOURCE_DZ),
    ("single", "党的最高理想和最终目标是", "实现共产主义\n全面建成小康社会\n实现现代化\n民族复兴", "A", "党章", 1, SOURCE_DZ),
    ("single", "预备党员的预备期为", "半年\n一年\n两年\n三年", "B", "党章", 1, SOURCE_DZ),
    ("single", "党支部党员大会一般每季度召开", "一次\n两次\n三次\n四次", "A", "支部工作", 2, SOURCE_TL),
    ("single", "党支部委员会会议一般每月召开", "一次\n两次\n三次\n不定期", "A", "支部工作", 2, SOURCE_TL),
    ("single", "党员连续几个月不交纳党费、不参加党的组织生活，被认为是自行脱党", "三个月\n六个月\n九个月\n十二个月", "B",
     "党章", 2, SOURCE_DZ),
    ("multiple", "“三会一课”包括", "支部党员大会\n支部委员会\n党小组会\n党课\n民主生活会", "ABCD", "支部工作", 2, SOURCE_TL),
    ("multiple", "党的纪律处分包括", "警告\n严重警告\n撤销党内职务\n留党察看\n开除党籍", "ABCDE", "纪律", 3,
     "《中国共产党纪律处分条例》"),
    ("multiple", "“四个意识”是指", "政治意识\n大局意识\n核心意识\n看齐意识\n责任意识", "ABCD", "理论", 2, "党的十九大报告"),
    ("multiple", "公安机关人民警察纪律处分的种类包括", "警告\n记过\n记大过\n降级\n罚款", "ABCD", "纪律", 3, SOURCE_JL),
    ("judge", "党员有权在党的会议上对党的任何组织和任何党员提出有根据的批评。", "", "T", "党章", 1, SOURCE_DZ),
    ("judge", "预备党员享有表决权、选举权和被选举权。", "", "F", "党章", 2, SOURCE_DZ),
    ("judge", "党支部每年至少召开一次组织生活会。", "", "T", "支部工作", 1, SOURCE_TL),
    ("judge", "民警值班备勤期间可以饮酒。", "", "F", "纪律", 1, "公安部“五条禁令”"),
    ("fill", "中国共产党以____主义、毛泽东思想……作为自己的行动指南。", "", "马克思列宁|马列", "理论", 3, SOURCE_DZ),
    ("fill", "对党忠诚、服务人民、执法公正、纪律严明是新时代人民警察的____字总要求。", "", "十六|16", "理论", 2,
     "习近平总书记训词"),
)

CHAPTERS = (
    ("对党忠诚：公安机关的政治本色", "讲述公安机关坚持党的绝对领导的历史与要求。", 4),
    ("服务人民：以人民为中心的发展思想", "结合接处警和窗口服务，讲如何把群众满意作为标准。", 3),
    ("执法公正、纪律严明", "以近年典型案例，讲执法规范化与纪律作风建设。", 3),
)


@dataclass(frozen=True)
class MemberSession:
    """The member themself on a phone: the services read the acting member from ``member_id``."""

    member_id: int
    is_authenticated: bool = True


def build(ctx: DemoContext) -> None:
    from dangjian.orgs.models import Organization

    staff = ctx.user("shi")
    root = ctx.root
    demo_member = getattr(ctx.user("dangyuan"), "member_id", None)
    home = Member.objects.select_related("org").get(pk=demo_member).org if demo_member else root
    committee = Organization.objects.get_parent(home) or root  # the demo member's unit committee
    with acting_as(staff, reason=REASON):
        bank = []
        for kind, text, options, key, tag, difficulty, source in BANK:
            q = Question(org=root, kind=kind, text=text, options=options, answer=key, tags=tag, difficulty=difficulty,
                         source=source)
            q.save()
            bank.append(q)
        opens = timezone.make_aware(dt.datetime(ctx.year, 11, 10, 8))  # noqa: DTZ001
        exam = Exam(org=committee, title=f"{ctx.year}年度党的理论知识测试", opens_at=opens,
                    closes_at=min(opens + dt.timedelta(days=14), timezone.make_aware(
                        dt.datetime.combine(ctx.today, dt.time(23, 0)))),
                    time_limit_minutes=30, attempts_allowed=1, pass_percent=60)
        exam.save()
        for i, q in enumerate(bank):
            ExamQuestion(exam=exam, question=q, points=Decimal("5") if q.kind != "multiple" else Decimal("10"),
                         position=i).save()
        services.publish(actor=staff, exam=exam)
        course = Course(org=committee, title="新时代公安民警的忠诚与担当", hours=Decimal("2"), published=True,
                        summary="市局党委微党课：结合公安工作讲党的创新理论。",
                        required_by=dt.date(ctx.year, 12, 31))
        course.save()
        chapters = []
        for i, (title, body, minutes) in enumerate(CHAPTERS):
            ch = Chapter(course=course, title=title, body=body, expected_minutes=minutes, position=i)
            ch.save()
            chapters.append(ch)

    members = list(Member.objects.filter(org__path__startswith=committee.path, status__in=("full", "probationary"))
                   .order_by("id").values_list("id", flat=True))
    takers = [m for m in members if m == demo_member or ctx.rng.random() < 0.85]
    for n, member_id in enumerate(takers):
        session = MemberSession(member_id)
        skill = 0.95 if member_id == demo_member else ctx.rng.uniform(0.35, 0.98)
        start = opens + dt.timedelta(days=ctx.rng.randrange(0, 12), hours=ctx.rng.randrange(0, 12),
                                     minutes=ctx.rng.randrange(0, 60))
        with acting_as(None, reason=REASON):
            attempt = services.start_attempt(actor=session, exam=exam, session_key=f"demo{member_id}", now=start)
            at = start
            rapid = n % 40 == 7  # a few clicked through in seconds: flagged for the organizer
            keys = {q.pk: q for q in bank}
            for qid, order in attempt.layout:
                at += dt.timedelta(seconds=1 if rapid else ctx.rng.randrange(15, 90))
                q = keys[qid]
                services.save_answer(actor=session, attempt_id=attempt.pk, question_id=qid,
                                     shown=_answer(ctx, q, order, skill), now=at)
            services.submit(actor=session, attempt_id=attempt.pk, now=at + dt.timedelta(seconds=20))
    # the course: about half the committee completed it in the last weeks
    rule_start = timezone.make_aware(dt.datetime.combine(ctx.today - dt.timedelta(days=20), dt.time(20)))
    for member_id in members:
        finished = member_id != demo_member and ctx.rng.random() < 0.5
        if not finished and member_id != demo_member:
            continue
        session = MemberSession(member_id)
        with acting_as(None, reason=REASON):
            for i, ch in enumerate(chapters):
                if member_id == demo_member and i == len(chapters) - 1:
                    break
                _read(session, ch, rule_start + dt.timedelta(hours=i))
            if finished:
                services.complete_course(actor=session, course=course, now=rule_start + dt.timedelta(hours=5))
    ctx.log(f"study: {len(takers)} attempts of {len(members)} members")


def _read(session: Any, chapter: Chapter, start: dt.datetime) -> None:
    """Heartbeats every 30 seconds while the page is visible, until the rule's share of the
    chapter's expected duration is reached (each beat credits at most the rule's 30-second gap)."""
    beats = -(-chapter.expected_minutes * 60 * 80 // 100 // 30)
    for i in range(beats + 1):
        services.heartbeat(actor=session, chapter=chapter, visible_seconds=30 if i else 0,
                           now=start + dt.timedelta(seconds=30 * i))


def _answer(ctx: DemoContext, q: Question, order: list[int], skill: float) -> str:
    right = ctx.rng.random() < skill
    if q.kind in ("single", "multiple"):
        key = rules.normalize_choice(q.answer)
        shown = rules.original_to_shown(key, order)
        if right:
            return shown
        letters = rules.LETTERS[:len(order)]
        return shown[:-1] if q.kind == "multiple" and len(shown) > 2 else ctx.rng.choice(
            [ch for ch in letters if ch not in shown] or list(letters))
    if q.kind == "judge":
        return q.answer if right else ("F" if q.answer == "T" else "T")
    return q.answer.split("|")[0] if right else "不清楚"
