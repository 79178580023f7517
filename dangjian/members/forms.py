"""Member forms. Explicit fields (AC-03): the branch and the status are set when a member is
added; afterwards the branch changes only by a transfer and the status by the development
workflow, never by editing the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.members.choices import TransferDirection
from dangjian.members.models import CommitteePost, Member, Transfer
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

PROFILE_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "police_number", "personnel_type", "rank",
    "job_title", "education", "phone", "joined_party_on", "full_member_on", "group",
)


class MemberForm(ScopedModelForm):
    """Edit a member's profile. The ID number is never sent back to the browser: leave the
    field empty to keep the stored number, or type a new one to replace it."""

    id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)

    class Meta:
        model = Member
        fields = PROFILE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "group", Organization.objects.visible_to(self.user, "view").filter(kind=OrgKind.GROUP))
        if self.instance.pk is not None:
            self.initial["id_number"] = ""
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.id_number_masked
            self.fields["id_number"].help_text = gettext("Leave empty to keep the stored number.")
        else:
            self.fields["id_number"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None:
            from dangjian.members.rules import status_change_errors

            for field, message in status_change_errors(self.instance, self.data).items():
                self.add_error(field if field in self.fields else None, message)
        return data

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data.get("id_number", "")
        if not value and self.instance.pk is not None:
            return self.instance.id_number  # keep the stored number
        return value


class MemberCreateForm(MemberForm):
    class Meta(MemberForm.Meta):
        fields = (*PROFILE_FIELDS[:-1], "status", "org", "group")  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", Organization.objects.visible_to(self.user, "view").filter(
            kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE]))


class PostForm(ScopedModelForm):
    class Meta:
        model = CommitteePost
        fields = ("org", "member", "post", "started_on", "ended_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ended_on") and data.get("started_on") and data["ended_on"] < data["started_on"]:
            raise ValidationError({"ended_on": gettext("The end date cannot be before the start date.")})
        return data


class TransferForm(ScopedModelForm):
    class Meta:
        model = Transfer
        fields = ("member", "direction", "to_org", "external_org", "transferred_on", "letter_number", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "member", Member.objects.visible_to(self.user, "change"))
        restrict(self, "to_org", Organization.objects.visible_to(self.user, "view").filter(kind=OrgKind.BRANCH))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        direction = data.get("direction")
        if direction == TransferDirection.INTERNAL and not data.get("to_org"):
            self.add_error("to_org", gettext("Choose the branch the member moves to."))
        if direction == TransferDirection.OUT and not data.get("external_org"):
            self.add_error("external_org", gettext("Enter the organization the member transfers to."))
        if direction == TransferDirection.IN and not data.get("external_org"):
            self.add_error("external_org", gettext("Enter the organization the member comes from."))
        return data

    def save(self, commit: bool = True) -> Transfer:
        from dangjian.members import services

        data = self.cleaned_data
        return services.record_transfer(
            actor=self.user, member=data["member"], direction=data["direction"], to_org=data.get("to_org"),
            external_org=data.get("external_org", ""), transferred_on=data["transferred_on"],
            letter_number=data.get("letter_number", ""), reason=data.get("reason", ""),
        )
