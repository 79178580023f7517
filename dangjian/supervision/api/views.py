"""Supervision API, read-only and scoped exactly like the screens: filings, inspections, findings
(a target sees its own once confirmed and fed back), clues (team, receiving department and the
plan's leadership only; every list and every read is audited, like the clue screens) and the
rectification ledger. Decisions (review, stages, sign-off) are taken on the screens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from rest_framework.request import Request
from rest_framework.response import Response

from dangjian.core import audit
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.supervision.api.serializers import (
    ClueSerializer,
    FilingSerializer,
    FindingSerializer,
    InspectionSerializer,
    RectificationSerializer,
)
from dangjian.supervision.filtersets import (
    ClueFilterSet,
    FilingFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    RectificationFilterSet,
)
from dangjian.supervision.models import Clue, Filing, FilingItem, Finding, Inspection, InspectionRectification
from dangjian.supervision.services.inspection import read_clue

READ_ONLY = ["get", "head", "options"]


class FilingViewSet(ScopedModelViewSet):
    queryset = Filing.objects.select_related("org").prefetch_related(  # scope-ok: ScopedModelViewSet
        Prefetch("items", queryset=FilingItem.objects.select_related("requirement").order_by("id")))  # scope-ok: prefetch
    serializer_class = FilingSerializer
    filterset_class = FilingFilterSet
    http_method_names = READ_ONLY


class InspectionViewSet(ScopedModelViewSet):
    queryset = Inspection.objects.select_related("target", "round")  # scope-ok: ScopedModelViewSet
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilterSet
    http_method_names = READ_ONLY


class FindingViewSet(ScopedModelViewSet):
    queryset = Finding.objects.all()  # scope-ok: ScopedModelViewSet
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    http_method_names = READ_ONLY


class ClueViewSet(ScopedModelViewSet):
    """Every list (with the ids it showed) and every detail read is audited as ``clue_read``."""

    queryset = Clue.objects.select_related("department")  # scope-ok: ScopedModelViewSet
    serializer_class = ClueSerializer
    filterset_class = ClueFilterSet
    http_method_names = READ_ONLY

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        with transaction.atomic():
            audit.record("clue_read", object_type="supervision.clue", object_repr=str(Clue._meta.verbose_name_plural),
                         changes={"listing": True, "ids": [row["id"] for row in results][:200]})
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        with transaction.atomic():
            read_clue(actor=request.user, clue=self.get_object())
        return response


class RectificationViewSet(ScopedModelViewSet):
    queryset = InspectionRectification.objects.select_related("org", "owner")  # scope-ok: ScopedModelViewSet
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilterSet
    http_method_names = READ_ONLY
