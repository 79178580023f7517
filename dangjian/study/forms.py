"""Forms of study and tests."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm
from dangjian.study.models import Chapter, Course, Difficulty, Exam, Question, StudyRule


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class QuestionForm(ScopedModelForm):
    class Meta:
        model = Question
        fields = ("org", "kind", "text", "options", "answer", "tags", "difficulty", "source", "explanation")
        widgets: ClassVar[dict[str, Any]] = {"text": forms.Textarea(attrs={"rows": 3}),
                                             "options": forms.Textarea(attrs={"rows": 4}),
                                             "explanation": forms.Textarea(attrs={"rows": 2})}


class ExamForm(ScopedModelForm):
    class Meta:
        model = Exam
        fields = ("org", "title", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "pass_percent",
                  "multiple_scoring", "shuffle")
        widgets: ClassVar[dict[str, Any]] = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = ("org", "title", "summary", "hours", "required_by", "published")
        widgets: ClassVar[dict[str, Any]] = {"required_by": forms.DateInput(attrs={"type": "date"}),
                                             "summary": forms.Textarea(attrs={"rows": 3})}


class ChapterForm(ScopedModelForm):
    class Meta:
        model = Chapter
        fields = ("course", "title", "body", "video_url", "expected_minutes", "position")
        widgets: ClassVar[dict[str, Any]] = {"body": forms.Textarea(attrs={"rows": 8})}


class AssembleForm(forms.Form):
    tag = forms.CharField(label=_("tag"), max_length=40, required=False)
    difficulty = forms.TypedChoiceField(label=_("difficulty"), required=False, coerce=int, empty_value=None,
                                        choices=[("", _("any")), *Difficulty.choices])
    count = forms.IntegerField(label=_("number of questions"), min_value=1, max_value=200)
    points = forms.DecimalField(label=_("points each"), min_value=0, max_digits=5, decimal_places=1, initial=1)


class StudyRuleForm(ScopedModelForm):
    class Meta:
        model = StudyRule
        fields = ("year", "rapid_seconds", "rapid_share", "visible_percent", "heartbeat_seconds", "xuexi_cap",
                  "xuexi_per_point", "source")
