"""Generated screen suites of study (dangjian/core/testing/suites.py): scoping, audit, versions."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.testing.facilities import InboxSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite
from dangjian.study import views
from dangjian.study.models import Attempt, Chapter, Course, CourseCompletion, Exam, Question, StudyRule

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "study.answer": "Pre-created at the attempt's start and written by services.save_answer (one UPDATE); no screen "
                    "of its own; tested in test_exams.py (saving, resume, auto-submit, the key never shown).",
    "study.chapterprogress": "Written only by services.heartbeat; tested in test_courses.py (threshold, forged "
                             "and background reports).",
    "study.examquestion": "Written by services.add_questions and services.assemble (the test page's draw form); "
                          "shown on the test's page; tested in test_exams.py (grading, statistics, publishing).",
    "study.coursecompletion": "Written only by services.complete_course after the visible-time check; shown on the "
                              "member's course page; tested in test_courses.py (threshold, hours, points once).",
}


def _question(org: Any) -> Question:
    row = Question(org=org, kind="single", text=f"套件测试题{next(_n)}", options="甲\n乙", answer="A", tags="党章")
    row.save()
    return row


def _exam(org: Any) -> Exam:
    now = timezone.now()
    row = Exam(org=org, title=f"套件测试{next(_n)}", opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1))
    row.save()
    return row


def _course(org: Any) -> Course:
    row = Course(org=org, title=f"套件微党课{next(_n)}")
    row.save()
    return row


class TestQuestionSuite(ModelSuite):
    views = views.QuestionViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"text": "改过的题目"}
    marker = "text"

    @classmethod
    def make_row(cls, p: Personas) -> Question:
        return _question(p.b1)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": "judge", "text": f"新题{next(_n)}", "options": "", "answer": "T",
                "difficulty": "1", "tags": "党史", "source": "", "explanation": ""}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestExamSuite(ModelSuite):
    views = views.ExamViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"title": "改名测试"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Exam:
        return _exam(p.b1)

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[Exam, str]:
        exam, now = _exam(p.b1), timezone.now()
        Attempt(exam=exam, member=p.members["m_b1"], org=p.b1, number=1, seed=1, started_at=now,
                deadline=now + dt.timedelta(minutes=30), status="submitted").save()
        return exam, "1 条答题记录"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "title": f"新测试{next(_n)}", "opens_at": "2026-11-01T09:00",
                "closes_at": "2026-11-08T18:00", "time_limit_minutes": "30", "attempts_allowed": "1",
                "pass_percent": "60", "multiple_scoring": "all", "shuffle": "on"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestAttemptSuite(ModelSuite):
    views = views.AttemptViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    marker = "number"

    @classmethod
    def make_row(cls, p: Personas) -> Attempt:
        exam = _exam(p.c1)
        now = timezone.now()
        row = Attempt(exam=exam, member=p.members["m_b1"], org=p.b1, number=next(_n), seed=1, started_at=now,
                      deadline=now + dt.timedelta(minutes=30), status="submitted")
        row.save()
        return row


class TestCourseSuite(ModelSuite):
    views = views.CourseViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"title": "改名微党课"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Course:
        return _course(p.b1)

    @classmethod
    def make_referenced_row(cls, p: Personas) -> tuple[Course, str]:
        course = _course(p.b1)
        CourseCompletion(course=course, member=p.members["m_b1"], org=p.b1, completed_on=dt.date(2026, 3, 1),
                         hours=Decimal("1.0")).save()
        return course, "1 条课程完成记录"

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "title": f"新微党课{next(_n)}", "summary": "", "hours": "1.0", "required_by": ""}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestChapterSuite(ModelSuite):
    views = views.ChapterViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"title": "改名章节"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Chapter:
        row = Chapter(course=_course(p.b1), title=f"章节{next(_n)}", expected_minutes=5)
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"course": _course(p.b1).pk, "title": f"新章节{next(_n)}", "body": "", "video_url": "",
                "expected_minutes": "5", "position": "1"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "course": _course(p.b3).pk}


class TestStudyRuleSuite(ModelSuite):
    views = views.StudyRuleViews
    allowed = "c1_staff"
    outsider = "inspector_c1"
    edit = {"visible_percent": "90"}
    marker = "year"

    @classmethod
    def make_row(cls, p: Personas) -> StudyRule:
        row = StudyRule(year=2100 + next(_n))
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"year": str(2300 + next(_n)), "rapid_seconds": "3", "rapid_share": "50", "visible_percent": "80",
                "heartbeat_seconds": "30", "xuexi_cap": "5", "xuexi_per_point": "2000", "source": ""}


class TestStudyInboxSuite(InboxSuite):
    section = "study_due"
    allowed = "member_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        exam = _exam(p.c1)
        exam.published = True
        exam.save()
        return exam.title
