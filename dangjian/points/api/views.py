"""Points API: the ledger, balances with ranks, publications (公示), violation records and their
proposals, all read in the caller's scope (a member's token sees only their own rows; violation
records follow the discipline scope). A manual award is recorded through the same service as the
award screen, exactly once per ``Idempotency-Key``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Window
from django.db.models.functions import Rank
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from dangjian.core.api.idempotency import HEADER, idempotent
from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.core.scoping import within_scope
from dangjian.members.models import Member
from dangjian.points import services
from dangjian.points.api.serializers import (
    PointBalanceSerializer,
    PointEntryCreateSerializer,
    PointEntrySerializer,
    PublicationSerializer,
    ViolationProposalSerializer,
    ViolationRecordSerializer,
)
from dangjian.points.choices import Trigger
from dangjian.points.filtersets import (
    BalanceFilterSet,
    EntryFilterSet,
    ProposalFilterSet,
    PublicationFilterSet,
    ViolationFilterSet,
)
from dangjian.points.models import (
    PointBalance,
    PointEntry,
    PointRule,
    Publication,
    ViolationProposal,
    ViolationRecord,
)

READ_ONLY = ["get", "head", "options"]

ErrorSerializer = inline_serializer("PointsError", fields={
    "code": serializers.CharField(),
    "detail": serializers.CharField(),
    "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False),
})


def _entries() -> Any:
    return PointEntry.objects.select_related("member", "rule")  # scope-ok: ScopedModelViewSet


@extend_schema_view(
    create=extend_schema(
        request=PointEntryCreateSerializer,
        parameters=[OpenApiParameter(HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                                     description="a new unique key per award; the same key when retrying records it once")],
        responses={
            201: OpenApiResponse(PointEntrySerializer, description="recorded, waiting for the member's confirmation"),
            400: OpenApiResponse(ErrorSerializer, description="invalid data or a points rule (cap, catalog, date)"),
            404: OpenApiResponse(ErrorSerializer, description="member outside your points scope"),
            422: OpenApiResponse(ErrorSerializer, description="the key was used with another payload"),
        },
    ),
)
class PointEntryViewSet(ScopedModelViewSet):
    """The ledger is append-only: entries are listed and shown; ``POST`` records a manual award
    through the points service (member confirmation, branch approval and publication follow on
    the screens); there is no edit or delete: a correction is a reversing entry."""

    queryset = _entries()
    serializer_class = PointEntrySerializer
    filterset_class = EntryFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._record(request))

    def _record(self, request: Request) -> Response:
        form = PointEntryCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = request.user
        members = within_scope(Member.objects.visible_to(user, "view").filter(is_active=True), user, "points", "add")
        member = members.select_related("org").filter(pk=data["member"]).first()
        if member is None:
            raise exceptions.NotFound(gettext("Not found."))
        rule = PointRule.objects.select_related("category").filter(  # scope-ok: the catalog is global
            pk=data["rule"], trigger__in=[Trigger.MANUAL, Trigger.CLAIM]).first()
        if rule is None:
            raise exceptions.ValidationError({"rule": [gettext("Not found.")]})
        entry = services.record(actor=user, member=member, rule=rule, day=data["day"], note=data["note"])
        return Response(PointEntrySerializer(_entries().get(pk=entry.pk), context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


class PointBalanceViewSet(ScopedModelViewSet):
    """Balances per member and year, highest first, with the rank among those listed in each year
    (filter ``year`` and ``within`` for a subtree's ranking; ties share a rank)."""

    queryset = PointBalance.objects.select_related("member", "scheme").annotate(  # scope-ok: ScopedModelViewSet
        rank=Window(Rank(), partition_by=[F("year")], order_by=F("score").desc()),
    ).order_by("-year", "-score", "member_id")
    serializer_class = PointBalanceSerializer
    filterset_class = BalanceFilterSet
    http_method_names = READ_ONLY


class PublicationViewSet(ScopedModelViewSet):
    queryset = Publication.objects.select_related("org")  # scope-ok: ScopedModelViewSet
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilterSet
    http_method_names = READ_ONLY


class ViolationRecordViewSet(ScopedModelViewSet):
    queryset = ViolationRecord.objects.select_related("member", "kind")  # scope-ok: ScopedModelViewSet
    serializer_class = ViolationRecordSerializer
    filterset_class = ViolationFilterSet
    http_method_names = READ_ONLY


class ViolationProposalViewSet(ScopedModelViewSet):
    queryset = ViolationProposal.objects.select_related("member")  # scope-ok: ScopedModelViewSet
    serializer_class = ViolationProposalSerializer
    filterset_class = ProposalFilterSet
    http_method_names = READ_ONLY
