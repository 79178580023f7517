"""Builders of the study tests: a bank, a published test of an organization, a course."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.context import acting_as

_n = itertools.count(1)

#: (kind, text, options, key) — one of each type
QUESTIONS = (
    ("single", "党的根本宗旨是", "全心全意为人民服务\n发展经济\n维护稳定\n改革开放", "A"),
    ("multiple", "四个意识包括", "政治意识\n大局意识\n核心意识\n看齐意识\n市场意识", "ABCD"),
    ("judge", "党员有权对党的工作提出建议", "", "T"),
    ("fill", "党的最高理想是实现____主义", "", "共产|共产主义"),
)


def question(org: Any, kind: str = "single", text: str = "", options: str = "甲\n乙\n丙", answer: str = "A",
             tags: str = "党章", difficulty: int = 2) -> Any:
    from dangjian.study.models import Question

    with acting_as(None, reason="test"):
        row = Question(org=org, kind=kind, text=text or f"测试题{next(_n)}", options=options, answer=answer, tags=tags,
                       difficulty=difficulty)
        row.full_clean()
        row.save()
    return row


def exam(org: Any, questions: list[Any] | None = None, *, minutes: int = 30, attempts: int = 1, shuffle: bool = True,
         scoring: str = "all", published: bool = True, points: Decimal = Decimal("2")) -> Any:
    from dangjian.study.models import Exam, ExamQuestion

    now = timezone.now()
    with acting_as(None, reason="test"):
        row = Exam(org=org, title=f"理论测试{next(_n)}", opens_at=now - dt.timedelta(days=1),
                   closes_at=now + dt.timedelta(days=6), time_limit_minutes=minutes, attempts_allowed=attempts,
                   shuffle=shuffle, multiple_scoring=scoring, published=published)
        row.save()
        if questions is None:
            questions = [question(org, k, t, o, a) for k, t, o, a in QUESTIONS]
        for i, q in enumerate(questions):
            ExamQuestion(exam=row, question=q, points=points, position=i).save()
    return row


def course(org: Any, *, minutes: tuple[int, ...] = (10,), published: bool = True) -> Any:
    from dangjian.study.models import Chapter, Course

    with acting_as(None, reason="test"):
        row = Course(org=org, title=f"微党课{next(_n)}", hours=Decimal("1.5"), published=published)
        row.save()
        for i, m in enumerate(minutes):
            Chapter(course=row, title=f"第{i + 1}章", body="正文", expected_minutes=m, position=i).save()
    return row


def key_answers(attempt: Any) -> dict[int, str]:
    """What a member who knows every answer picks, as shown on the attempt's page."""
    from dangjian.study import rules
    from dangjian.study.models import Question

    keys = dict(Question.objects.filter(pk__in=[q for q, _o in attempt.layout]).values_list("pk", "answer"))
    out = {}
    for qid, order in attempt.layout:
        key = keys[qid]
        out[qid] = rules.original_to_shown(rules.normalize_choice(key), order) if order else key.split("|")[0]
    return out
