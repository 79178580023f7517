"""Forms of organizational life. Explicit fields (AC-03); every choice narrowed to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, OpinionTopic
from dangjian.meetings.models import (
    AgendaItem,
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
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def active_orgs_where(user: Any, model: type[Any], action: str) -> Any:
    """Active organizations where ``user`` may do ``action`` on ``model``'s rows (its permission
    area, not the organization area: a branch officer adds meetings without managing the tree)."""
    return orgs_where(user, model.scope_area, action,
                      Organization.objects.filter(is_active=True))  # scope-ok: narrowed by orgs_where


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_fields(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        field.widget = DateTimeInput(attrs={"class": "form-control"})
        assert isinstance(field, forms.DateTimeField)
        field.input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class MeetingForm(ScopedModelForm):
    """Plan or record a meeting. A confirmed meeting is not edited here: it is amended."""

    class Meta:
        model = Meeting
        fields = ("org", "kind", "topic", "starts_at", "ends_at", "place", "host", "recorder", "minutes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", active_orgs_where(self.user, Meeting, "add"))
        restrict(self, "kind", MeetingKind.objects.visible_to(self.user, "view").filter(is_active=True))
        members = Member.objects.visible_to(self.user, "view").filter(is_active=True)
        restrict(self, "host", members)
        restrict(self, "recorder", members)
        _datetime_fields(self, "starts_at", "ends_at")
        self.fields["minutes"].widget.attrs["rows"] = 8
        self.fields["minutes"].help_text = gettext("Filling in the minutes marks the meeting as recorded.")

    def clean(self) -> dict[str, Any]:
        if self.instance.pk is not None and self.instance.is_locked:
            raise ValidationError(gettext("This meeting is confirmed or cancelled; correct it by an amendment with a reason."))
        return super().clean() or {}

    def save(self, commit: bool = True) -> Meeting:
        meeting: Meeting = super().save(commit=commit)
        services.mark_recorded(actor=self.user, meeting=meeting)
        services.sync_expected(actor=self.user, meeting=meeting)
        return meeting


class AmendmentForm(forms.Form):
    """Correct a confirmed meeting: what changes, and why."""

    reason = forms.CharField(label=_("Reason for the amendment"), max_length=255)
    topic = forms.CharField(label=_("topic"), max_length=200)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput(),
                                    input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput(),
                                  input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    cancel = forms.BooleanField(label=_("The meeting did not take place: cancel it"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "topic": meeting.topic, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
            "place": meeting.place, "minutes": meeting.minutes,
        })
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data[name] for name in ("topic", "starts_at", "ends_at", "place", "minutes")}
        if data.get("cancel"):
            changes["status"] = "cancelled"
        return changes


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class AddAttendeeForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=Member.objects.none(),
                                    widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.visible_to(user, "view").filter(is_active=True)  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    reason = forms.CharField(label=_("leave reason"), max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


def attendance_choices() -> list[tuple[str, Any]]:
    return [(v, label) for v, label in AttendanceStatus.choices if v != AttendanceStatus.PENDING]


# --- Rules -----------------------------------------------------------------------------------------


class MeetingKindForm(ScopedModelForm):
    class Meta:
        model = MeetingKind
        fields = ("code", "name", "short_name", "attendee_source", "quorum", "quorum_voting_only", "is_democratic_life",
                  "sort_order", "is_active")


class RequirementForm(ScopedModelForm):
    org_kind_choices = forms.MultipleChoiceField(
        label=_("organizations that owe it"), choices=OrgKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = MeetingRequirement
        fields = ("year", "kind", "org_kind_choices", "needs_committee", "frequency", "times",
                  "due_days_before_end", "remind_days", "remind_from_month", "remind_from_day", "source")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_kind_choices"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk is not None:
            self.initial["org_kind_choices"] = self.instance.org_kind_list

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.org_kinds = ",".join(data.get("org_kind_choices") or [])
        return data


class MeetingRulesForm(ScopedModelForm):
    class Meta:
        model = MeetingRules
        fields = ("year", "checkin_minutes_before", "checkin_minutes_after_end", "reminder_days",
                  "owe_from_first_full_month", "committee_min_members", "attachment_max_mb", "attachment_types")


# --- Democratic life meeting -----------------------------------------------------------------------


class SolicitationForm(ScopedModelForm):
    class Meta:
        model = Solicitation
        fields = ("org", "meeting", "title", "description", "opens_on", "closes_on", "allow_anonymous")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", active_orgs_where(self.user, Solicitation, "add"))
        restrict(self, "meeting", Meeting.objects.visible_to(self.user, "change").filter(
            kind__is_democratic_life=True).select_related("kind"))


class OpinionForm(forms.Form):
    """The public form of a solicitation (members and non-member police of the unit)."""

    topic = forms.ChoiceField(label=_("about"), choices=OpinionTopic.choices,
                              widget=forms.Select(attrs={"class": "form-select"}))
    content = forms.CharField(label=_("opinion"), max_length=4000,
                              widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}))
    anonymous = forms.BooleanField(label=_("Send anonymously"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def __init__(self, *args: Any, solicitation: Solicitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not solicitation.allow_anonymous:
            del self.fields["anonymous"]


class RecordedOpinionForm(ScopedModelForm):
    """An opinion heard on paper, at a meeting or in a talk, entered by the officer."""

    class Meta:
        model = Opinion
        fields = ("solicitation", "submitted_on", "topic", "about_member", "content", "author_name", "source",
                  "agenda_item")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "solicitation", Solicitation.objects.visible_to(self.user, "change"))
        restrict(self, "agenda_item", AgendaItem.objects.visible_to(self.user, "change"))
        restrict(self, "about_member", Member.objects.visible_to(self.user, "view"))
        self.fields["author_name"].help_text = gettext("Leave empty for an anonymous paper form.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.is_anonymous = not data.get("author_name")
        return data


class CollateForm(ScopedModelForm):
    """Assign an opinion to an agenda item (the collation step)."""

    class Meta:
        model = Opinion
        fields = ("agenda_item",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "agenda_item", AgendaItem.objects.visible_to(self.user, "change").filter(
            solicitation_id=self.instance.solicitation_id))


class AgendaItemForm(ScopedModelForm):
    class Meta:
        model = AgendaItem
        fields = ("solicitation", "order", "title", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "solicitation", Solicitation.objects.visible_to(self.user, "change"))


class TalkForm(ScopedModelForm):
    class Meta:
        model = Talk
        fields = ("org", "solicitation", "held_on", "talker", "interviewee", "interviewee_name", "summary")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", active_orgs_where(self.user, Talk, "add"))
        restrict(self, "solicitation", Solicitation.objects.visible_to(self.user, "change"))


class CriticismForm(ScopedModelForm):
    class Meta:
        model = CriticismRecord
        fields = ("meeting", "member", "self_criticism", "criticism_received", "commitments")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "meeting", Meeting.objects.visible_to(self.user, "change").filter(
            kind__is_democratic_life=True).select_related("kind"))


class RectificationForm(ScopedModelForm):
    class Meta:
        model = RectificationItem
        fields = ("org", "meeting", "content", "owner", "deadline", "status", "evidence", "closed_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", active_orgs_where(self.user, RectificationItem, "add"))
        restrict(self, "meeting", Meeting.objects.visible_to(self.user, "view").select_related("kind"))
