"""Tables of the organizational-life lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from dangjian.core.tables import BaseTable
from dangjian.meetings.models import (
    AgendaItem,
    Attendance,
    CriticismRecord,
    Meeting,
    MeetingKind,
    MeetingRequirement,
    MeetingRules,
    Opinion,
    RectificationItem,
    Solicitation,
    Talk,
)


class MeetingTable(BaseTable):
    topic = tables.Column(linkify=True, verbose_name=_("topic"))
    org = tables.Column(verbose_name=_("organization"), order_by=("org__path",))
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("starts at"))

    class Meta(BaseTable.Meta):
        model = Meeting
        fields = ("starts_at", "kind", "topic", "org", "place", "status")


class AttendanceTable(BaseTable):
    meeting = tables.Column(linkify=True, verbose_name=_("meeting"))
    checked_in_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("checked in at"))

    class Meta(BaseTable.Meta):
        model = Attendance
        fields = ("meeting", "member", "expected", "status", "checked_in_at", "leave_status", "leave_reason")


class MeetingKindTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("name"))

    class Meta(BaseTable.Meta):
        model = MeetingKind
        fields = ("sort_order", "name", "short_name", "attendee_source", "quorum", "is_democratic_life", "is_active")


class RequirementTable(BaseTable):
    kind = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("meeting kind"))
    org_kinds = tables.Column(accessor="org_kinds_display", verbose_name=_("organizations that owe it"),
                              orderable=False)
    remind_from = tables.Column(accessor="remind_from_display", verbose_name=_("remind from"), orderable=False)

    class Meta(BaseTable.Meta):
        model = MeetingRequirement
        fields = ("year", "kind", "org_kinds", "needs_committee", "frequency", "times", "due_days_before_end",
                  "remind_days", "remind_from")


class MeetingRulesTable(BaseTable):
    year = tables.Column(linkify=True, verbose_name=_("year"))

    class Meta(BaseTable.Meta):
        model = MeetingRules
        fields = ("year", "checkin_minutes_before", "checkin_minutes_after_end", "reminder_days",
                  "committee_min_members", "attachment_max_mb")


class SolicitationTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("title"))

    class Meta(BaseTable.Meta):
        model = Solicitation
        fields = ("title", "org", "opens_on", "closes_on", "allow_anonymous", "agenda_published_on")


class OpinionTable(BaseTable):
    content = tables.Column(linkify=True, verbose_name=_("opinion"))

    class Meta(BaseTable.Meta):
        model = Opinion
        fields = ("submitted_on", "topic", "about_member", "content", "author_name", "source", "agenda_item")

    def render_content(self, value: str) -> str:
        return value if len(value) <= 60 else value[:60] + "…"


class AgendaItemTable(BaseTable):
    title = tables.Column(linkify=True, verbose_name=_("agenda item"))

    class Meta(BaseTable.Meta):
        model = AgendaItem
        fields = ("order", "title", "solicitation")


class TalkTable(BaseTable):
    held_on = tables.Column(linkify=True, verbose_name=_("held on"))

    class Meta(BaseTable.Meta):
        model = Talk
        fields = ("held_on", "org", "talker", "interviewee", "interviewee_name")


class CriticismTable(BaseTable):
    member = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("committee member"))

    class Meta(BaseTable.Meta):
        model = CriticismRecord
        fields = ("member", "meeting")


class RectificationTable(BaseTable):
    content = tables.Column(linkify=True, verbose_name=_("problem and measure"))
    is_overdue = tables.BooleanColumn(verbose_name=_("overdue"), orderable=False)

    class Meta(BaseTable.Meta):
        model = RectificationItem
        fields = ("content", "org", "owner", "deadline", "status", "is_overdue", "closed_on")

    def render_content(self, value: str) -> str:
        return value if len(value) <= 60 else value[:60] + "…"
