from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

from dangjian.core.api.serializers import ScopedModelSerializer
from dangjian.orgs.models import Organization, OrganizationTerm
from dangjian.orgs.structure import placement_problem


class OrganizationSerializer(ScopedModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Organization.objects.all(), write_only=True, required=False, allow_null=True,
        help_text="parent organization (required when creating; ignored on update: moving is its own action)",
    )
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ("id", "display", "name", "short_name", "code", "kind", "unit", "unit_name", "founded_on",
                  "is_active", "path", "depth", "numchild", "parent", "version")
        read_only_fields = ("path", "depth", "numchild", "version")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None:
            problem = placement_problem(attrs.get("kind", ""), attrs.get("parent"))
            if problem:
                raise serializers.ValidationError({"parent": [problem]})
        elif "kind" in attrs and attrs["kind"] != self.instance.kind:
            raise serializers.ValidationError({"kind": [gettext("The kind of an existing organization is changed on its "
                                                          "screen, where its place in the tree is checked.")]})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Organization:
        parent = validated_data.pop("parent")
        org = Organization(**validated_data)
        return Organization.objects.add_child(parent, instance=org)  # type: ignore[no-any-return]  # scope-ok: re-checked by the viewset

    def update(self, instance: Organization, validated_data: dict[str, Any]) -> Organization:
        validated_data.pop("parent", None)  # moving is its own audited action
        return super().update(instance, validated_data)  # type: ignore[no-any-return]


class TermSerializer(ScopedModelSerializer):
    class Meta:
        model = OrganizationTerm
        fields = ("id", "display", "org", "number", "started_on", "ends_on", "extended_to", "extension_reason",
                  "closed_on", "version")
        read_only_fields = ("version",)
