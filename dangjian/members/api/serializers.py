from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from dangjian.core.api.serializers import ScopedModelSerializer
from dangjian.members.models import CommitteePost, Member, Transfer

MEMBER_FIELDS = (
    "id", "display", "name", "gender", "ethnicity", "birth_date", "id_number", "id_number_masked",
    "police_number", "personnel_type", "rank", "job_title", "education", "phone", "joined_party_on",
    "full_member_on", "status", "org", "group", "is_active", "left_on", "version",
)


class MemberSerializer(ScopedModelSerializer):
    """A member. The ID number is write-only and read back masked (DP-02); the branch and the
    status are set at creation only — later by transfers and the development workflow (AC-03)."""

    id_number = serializers.CharField(write_only=True, max_length=30, help_text="身份证号（只写，读取时脱敏）")
    id_number_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Member
        fields = MEMBER_FIELDS
        read_only_fields = ("is_active", "left_on", "version")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("org", "status"):
                fields[name].read_only = True
            fields["id_number"].required = False
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            refused = status_change_refused(self.instance, self.initial_data)
            if refused:
                raise serializers.ValidationError(refused)
        candidate = Member(**{**self._current(), **attrs})
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        if "id_number" in attrs:
            attrs["id_number"] = candidate.id_number
        return attrs

    def _current(self) -> dict[str, Any]:
        if self.instance is None:
            return {}
        inst = self.instance
        values = {f.attname: getattr(inst, f.attname) for f in Member._meta.concrete_fields}
        values["pk"] = inst.pk
        values.pop("id", None)
        return values


def status_change_refused(member: Member, data: Any) -> dict[str, str]:
    """A profile change may not make a member full (DRF would ignore the read-only status
    silently): the status and the full-membership date change only through the development
    pipeline's approved full-membership step."""
    from dangjian.members.rules import status_change_errors

    return status_change_errors(member, data)


class TransferSerializer(ScopedModelSerializer):
    class Meta:
        model = Transfer
        fields = ("id", "display", "member", "direction", "from_org", "to_org", "external_org", "transferred_on",
                  "letter_number", "reason", "version")
        read_only_fields = ("from_org", "version")

    def create(self, validated_data: dict[str, Any]) -> Transfer:
        from dangjian.members import services

        return services.record_transfer(actor=self.context["request"].user, **{
            "member": validated_data["member"], "direction": validated_data["direction"],
            "to_org": validated_data.get("to_org"), "external_org": validated_data.get("external_org", ""),
            "transferred_on": validated_data["transferred_on"],
            "letter_number": validated_data.get("letter_number", ""), "reason": validated_data.get("reason", ""),
        })


class PostSerializer(ScopedModelSerializer):
    class Meta:
        model = CommitteePost
        fields = ("id", "display", "org", "member", "post", "started_on", "ended_on", "version")
        read_only_fields = ("version",)
