"""Tables of the development screens."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.tables import BaseTable
from dangjian.development.models import CalendarDay, Case, DevelopmentRules, RuleAdoption, Step


class CaseTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=pgettext_lazy("person", "name"))
    org = tables.Column(verbose_name=_("branch"), order_by=("org__path",))

    class Meta(BaseTable.Meta):
        model = Case
        fields = ("name", "org", "stage", "stage_since", "applied_on", "probation_ends_on")


class StepTable(BaseTable):
    kind = tables.Column(linkify=True, verbose_name=_("step"))
    case = tables.Column(linkify=True, verbose_name=_("case"))

    class Meta(BaseTable.Meta):
        model = Step
        fields = ("case", "kind", "on", "decided_by", "passed", "rules")


class RulesTableView(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("name"))

    class Meta(BaseTable.Meta):
        model = DevelopmentRules
        fields = ("code", "name", "effective_from", "confirmed", "publicity_working_days", "secret_ballot")


class CalendarDayTable(BaseTable):
    day = tables.Column(linkify=True, verbose_name=_("date"))

    class Meta(BaseTable.Meta):
        model = CalendarDay
        fields = ("day", "kind", "name")


class AdoptionTable(BaseTable):
    org = tables.Column(linkify=True, verbose_name=_("committee"))

    class Meta(BaseTable.Meta):
        model = RuleAdoption
        fields = ("org", "rules", "adopted_from", "basis")
