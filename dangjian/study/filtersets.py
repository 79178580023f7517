"""Filters of the study lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from dangjian.core.filtersets import ScopedFilterSet
from dangjian.orgs.filtersets import SubtreeFilter
from dangjian.study.models import Attempt, AttemptStatus, Chapter, Difficulty, Exam, Question, QuestionKind


class QuestionFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    kind = django_filters.ChoiceFilter(choices=QuestionKind.choices, label=_("question type"))
    difficulty = django_filters.ChoiceFilter(choices=Difficulty.choices, label=_("difficulty"))
    tags = django_filters.CharFilter(lookup_expr="icontains", label=_("tag"))
    text = django_filters.CharFilter(lookup_expr="icontains", label=_("question"))

    class Meta:
        model = Question
        fields = ("within", "kind", "difficulty", "tags", "text")


class ExamFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))

    class Meta:
        model = Exam
        fields = ("within",)


class ChapterFilterSet(ScopedFilterSet):
    class Meta:
        model = Chapter
        fields = ("course",)


class AttemptFilterSet(ScopedFilterSet):
    within = SubtreeFilter(field_name="org__path", label=_("within organization"))
    status = django_filters.ChoiceFilter(choices=AttemptStatus.choices, label=_("status"))
    flagged = django_filters.BooleanFilter(method="filter_flagged", label=_("flagged"))

    class Meta:
        model = Attempt
        fields = ("exam", "within", "status", "flagged")

    def filter_flagged(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        return queryset.exclude(flags="") if value else queryset.filter(flags="")
