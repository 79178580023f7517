"""Serializers of the points API: ledger entries (with their evidence), balances (with their rank),
publications, violation records and proposals. Every figure is read-only: writes go through the
points services (a manual award: ``PointEntryCreateSerializer``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangjian.core.api.serializers import IdField, ScopedModelSerializer
from dangjian.points.models import PointBalance, PointEntry, Publication, ViolationProposal, ViolationRecord


class PointEntrySerializer(ScopedModelSerializer):
    """One ledger line: its rule, points (as counted after the cap), evidence and state; only
    ``final`` entries count towards the balance."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    rule_code = serializers.CharField(source="rule.code", read_only=True)
    rule_description = serializers.CharField(source="rule.description", read_only=True)
    counts = serializers.BooleanField(read_only=True, help_text="the entry is final and counts in the balance")
    evidence_url = serializers.SerializerMethodField(help_text="the page of the source record, if any")

    class Meta:
        model = PointEntry
        fields = ("id", "display", "member", "member_name", "org", "rule", "rule_code", "rule_description", "year",
                  "month", "kind", "rule_points", "points", "capped_reason", "evidence", "evidence_label",
                  "evidence_url", "note", "status", "counts", "live", "reverses", "publication", "confirmed_at",
                  "approved_at", "final_at", "version")
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_evidence_url(self, obj: PointEntry) -> str:
        return obj.evidence_url


class PointEntryCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /points/entries/``: a scorer's manual award or deduction (the member then confirms and
    the branch approves), or a member's claim for themselves (claims need a file: use the screen)."""

    member = IdField(help_text="id of a member in your points scope (else 404)")
    rule = IdField(help_text="id of a manual rule of the day's year")
    day = serializers.DateField(help_text="the day of what is scored (not in the future)")
    note = serializers.CharField(max_length=300, help_text="what the points are for")


class PointBalanceSerializer(ScopedModelSerializer):
    """A member's year: ``score`` = max(floor, base + ledger); ``rank`` among the balances of the
    same year in the list (ties share a rank); ``stars`` by the scheme's thresholds."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    rank = serializers.IntegerField(read_only=True, help_text="1 = highest score of the year among those listed")
    stars = serializers.SerializerMethodField()

    class Meta:
        model = PointBalance
        fields = ("id", "display", "member", "member_name", "year", "org", "base", "floor", "ledger", "pending",
                  "score", "rank", "stars", "version")
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_stars(self, obj: PointBalance) -> int:
        return obj.scheme.star_level(obj.score)


class PublicationSerializer(ScopedModelSerializer):
    is_open = serializers.SerializerMethodField(help_text="objections are still accepted")

    class Meta:
        model = Publication
        fields = ("id", "display", "org", "month", "published_on", "window_ends_on", "closed_at", "is_open",
                  "version")
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_open(self, obj: Publication) -> bool:
        from django.utils import timezone

        return obj.closed_at is None and timezone.localdate() <= obj.window_ends_on


class ViolationRecordSerializer(ScopedModelSerializer):
    """A violation (visible to the officer, their branch's secretary and the discipline role above)."""

    member_name = serializers.CharField(source="member.name", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)

    class Meta:
        model = ViolationRecord
        fields = ("id", "display", "member", "member_name", "org", "kind", "kind_name", "points", "occurred_on",
                  "description", "evidence", "status", "confirmed_on", "appeal_reason", "appealed_at",
                  "appeal_decision", "version")
        read_only_fields = fields


class ViolationProposalSerializer(ScopedModelSerializer):
    """A threshold reached: a proposal for the named decision-maker, never a sanction by itself."""

    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ViolationProposal
        fields = ("id", "display", "member", "member_name", "org", "cycle", "threshold", "total", "measure",
                  "decision_maker", "status", "decision", "decided_at", "version")
        read_only_fields = fields
