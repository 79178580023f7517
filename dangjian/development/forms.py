"""Development forms: an application opens a case, a step is checked by the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.development import rules, services
from dangjian.development.models import CalendarDay, Case, DevelopmentRules, RuleAdoption, Step
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

PROFILE = ("name", "gender", "ethnicity", "birth_date", "personnel_type", "police_number", "education", "phone")


class CaseForm(ScopedModelForm):
    """Correct an applicant's profile (the stage and the dates change only through steps)."""

    class Meta:
        model = Case
        fields = PROFILE


class CaseCreateForm(ScopedModelForm):
    """An application for membership (入党申请): checked by the rules in force on its date."""

    id_number = forms.CharField(label=_("ID number"), max_length=30)

    class Meta:
        model = Case
        fields = ("org", *PROFILE, "applied_on")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", Organization.objects.visible_to(self.user, "view").filter(kind=OrgKind.BRANCH))

    def save(self, commit: bool = True) -> Case:
        data = self.cleaned_data
        return services.open_case(actor=self.user, org=data["org"], name=data["name"], gender=data["gender"],
                                  ethnicity=data["ethnicity"], birth_date=data["birth_date"],
                                  id_number=data["id_number"], personnel_type=data["personnel_type"],
                                  police_number=data.get("police_number", ""), education=data.get("education", ""),
                                  phone=data.get("phone", ""), applied_on=data["applied_on"])


STEP_FIELDS = ("case", "kind", "on", "decided_by", "meeting", "members", "passed", "training_days", "training_hours",
               "should_attend", "present", "yes_votes", "written_yes", "secret_ballot", "outcome",
               "extension_months", "note")


class StepForm(ScopedModelForm):
    """Record one step of a case; the service checks it against the clocks and the order."""

    passed = forms.NullBooleanField(label=_("passed / agreed"), required=False,
                                    widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")),
                                                                 ("false", _("No"))]))

    class Meta:
        model = Step
        fields = STEP_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "case", Case.objects.visible_to(self.user, "view").select_related("org"))
        restrict(self, "members", Member.objects.visible_to(self.user, "view")
                 .filter(status=MemberStatus.FULL, is_active=True).select_related("org"))
        kind = self.fields["kind"]
        kind.choices = [c for c in kind.choices if c[0] != "application"]  # type: ignore[attr-defined]

    def save(self, commit: bool = True) -> Step:
        data = self.cleaned_data
        entry = rules.StepInput(
            kind=data["kind"], on=data["on"], decided_by=data.get("decided_by") or "", note=data.get("note") or "",
            members=list(data.get("members") or ()), passed=data.get("passed"),
            training_days=data.get("training_days"), training_hours=data.get("training_hours"),
            should_attend=data.get("should_attend"), present=data.get("present"), yes_votes=data.get("yes_votes"),
            written_yes=data.get("written_yes"), secret_ballot=bool(data.get("secret_ballot")),
            outcome=data.get("outcome") or "", extension_months=data.get("extension_months"),
            meeting=data.get("meeting"))
        return services.record_step(actor=self.user, case=data["case"], data=entry)


class RulesForm(ScopedModelForm):
    class Meta:
        model = DevelopmentRules
        fields = ("code", "name", "effective_from", "source", "confirmed", "min_age", "talk_within_months",
                  "assessment_every_months", "activist_min_months", "introducers", "max_contacts",
                  "training_min_days", "training_min_hours", "approval_warn_months", "approval_max_months",
                  "probation_months", "conversion_approval_months", "extension_min_months", "extension_max_months",
                  "max_extensions", "written_opinions_count", "candidate_needs_consent", "publicity_working_days",
                  "publicity_before", "meeting_within_months_of_pre_review", "secret_ballot", "oath_within_months")


class CalendarDayForm(ScopedModelForm):
    class Meta:
        model = CalendarDay
        fields = ("day", "kind", "name")


class AdoptionForm(ScopedModelForm):
    class Meta:
        model = RuleAdoption
        fields = ("org", "rules", "adopted_from", "basis")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", Organization.objects.visible_to(self.user, "view")
                 .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH]))
