from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangjian.core.api.serializers import ScopedModelSerializer
from dangjian.development import rules, services
from dangjian.development.models import Case, Step

PROFILE = ("name", "gender", "ethnicity", "birth_date", "personnel_type", "police_number", "education", "phone")


class CaseSerializer(ScopedModelSerializer):
    """A development case. An application (POST) is checked by the rules in force on its date; the
    stage, the member and the probation change only through steps."""

    id_number = serializers.CharField(write_only=True, max_length=30, help_text=_("ID number (write only; read back masked)"))
    id_number_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = ("id", "display", "org", *PROFILE, "id_number", "id_number_masked", "applied_on", "stage",
                  "stage_since", "member", "probation_ends_on", "extensions", "version")
        read_only_fields = ("stage", "stage_since", "member", "probation_ends_on", "extensions", "version")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("org", "applied_on", "id_number", "birth_date"):
                fields[name].read_only = True
        return fields

    def create(self, validated_data: dict[str, Any]) -> Case:
        data = validated_data
        return services.open_case(actor=self.context["request"].user, org=data["org"], name=data["name"],
                                  gender=data["gender"], ethnicity=data["ethnicity"], birth_date=data["birth_date"],
                                  id_number=data["id_number"], personnel_type=data["personnel_type"],
                                  police_number=data.get("police_number", ""), education=data.get("education", ""),
                                  phone=data.get("phone", ""), applied_on=data["applied_on"])


class StepSerializer(ScopedModelSerializer):
    """A step of a case, recorded (never edited) through the same service and checks as the screen."""

    class Meta:
        model = Step
        fields = ("id", "display", "case", "kind", "on", "decided_by", "meeting", "members", "passed",
                  "training_days", "training_hours", "should_attend", "present", "yes_votes", "written_yes",
                  "secret_ballot", "outcome", "extension_months", "note", "ends_on", "rules", "version")
        read_only_fields = ("ends_on", "rules", "version")

    def create(self, validated_data: dict[str, Any]) -> Step:
        data = validated_data
        entry = rules.StepInput(
            kind=data["kind"], on=data["on"], decided_by=data.get("decided_by") or "", note=data.get("note") or "",
            members=list(data.get("members") or ()), passed=data.get("passed"),
            training_days=data.get("training_days"), training_hours=data.get("training_hours"),
            should_attend=data.get("should_attend"), present=data.get("present"), yes_votes=data.get("yes_votes"),
            written_yes=data.get("written_yes"), secret_ballot=bool(data.get("secret_ballot")),
            outcome=data.get("outcome") or "", extension_months=data.get("extension_months"),
            meeting=data.get("meeting"))
        return services.record_step(actor=self.context["request"].user, case=data["case"], data=entry)
