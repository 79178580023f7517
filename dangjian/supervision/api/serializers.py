"""Serializers of the supervision API: filings (with their items and review rounds), inspections,
findings, clues and rectification items; read-only (writes go through the screens' services)."""

from __future__ import annotations

from rest_framework import serializers

from dangjian.core.api.serializers import ScopedModelSerializer
from dangjian.supervision.models import Clue, Filing, FilingItem, Finding, Inspection, InspectionRectification


class FilingItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="requirement.code", read_only=True)
    name = serializers.CharField(source="requirement.name", read_only=True)

    class Meta:
        model = FilingItem
        fields = ("id", "code", "name", "text", "records", "returned", "comment", "mistake")
        read_only_fields = fields


class FilingSerializer(ScopedModelSerializer):
    """An organization's quarterly filing (备案) and where its review stands; ``round`` counts the
    submissions (a returned filing is refiled in the next round)."""

    org_name = serializers.CharField(source="org.name", read_only=True)
    items = FilingItemSerializer(many=True, read_only=True)

    class Meta:
        model = Filing
        fields = ("id", "display", "org", "org_name", "year", "quarter", "status", "round", "due_on", "submitted_at",
                  "decided_at", "note", "items", "version")
        read_only_fields = fields


class InspectionSerializer(ScopedModelSerializer):
    """An inspection of one target in a round; the team's working notes and the clues are not part
    of it (they have their own, narrower visibility)."""

    target_name = serializers.CharField(source="target.name", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    round_number = serializers.IntegerField(source="round.number", read_only=True)

    class Meta:
        model = Inspection
        fields = ("id", "display", "round", "year", "round_number", "target", "target_name", "leader", "stage",
                  "stationed_on", "feedback_on", "version")
        read_only_fields = fields


class FindingSerializer(ScopedModelSerializer):
    class Meta:
        model = Finding
        fields = ("id", "display", "inspection", "area", "text", "evidence", "confirmed", "version")
        read_only_fields = fields


class ClueSerializer(ScopedModelSerializer):
    """A clue transferred (移交) to a department: visible to the team, the receiving department and the
    plan's leadership only; every read is audited."""

    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Clue
        fields = ("id", "display", "inspection", "finding", "department", "department_name", "summary",
                  "transferred_on", "outcome", "version")
        read_only_fields = fields


class RectificationSerializer(ScopedModelSerializer):
    """One line of the rectification ledger (整改台账): closed (销号) only with evidence and the
    inspector's sign-off."""

    org_name = serializers.CharField(source="org.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True,
                                       help_text="still open past its deadline")

    class Meta:
        model = InspectionRectification
        fields = ("id", "display", "org", "org_name", "finding", "content", "owner", "owner_name", "deadline",
                  "status", "evidence", "closed_on", "signed_off_by", "signed_off_on", "reopened", "overdue",
                  "version")
        read_only_fields = fields
