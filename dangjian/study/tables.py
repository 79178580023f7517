"""Tables of the study lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.study.models import Attempt, Chapter, Course, Exam, Question, StudyRule


class QuestionTable(BaseTable):
    text = tables.Column(linkify=True, verbose_name=_("question"))
    org = tables.Column(verbose_name=_("organization"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Question
        fields = ("text", "kind", "tags", "difficulty", "source", "org")


class ExamTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))
    org = tables.Column(verbose_name=_("organizing organization"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Exam
        fields = ("title", "org", "opens_at", "closes_at", "time_limit_minutes", "published")


class CourseTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))
    org = tables.Column(verbose_name=_("organization"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Course
        fields = ("title", "org", "hours", "required_by", "published")


class ChapterTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))

    class Meta(BaseTable.Meta):
        model = Chapter
        fields = ("title", "course", "expected_minutes", "position")


class AttemptTable(BaseTable):
    member = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("member"))
    org = tables.Column(verbose_name=_("organization"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Attempt
        fields = ("member", "org", "exam", "number", "status", "started_at", "score", "percent", "passed", "flags")


class StudyRuleTable(BaseTable):
    year = tables.Column(linkify=True, verbose_name=_("year"))

    class Meta(BaseTable.Meta):
        model = StudyRule
        fields = ("year", "rapid_seconds", "rapid_share", "visible_percent", "heartbeat_seconds", "xuexi_cap")
