from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.development.api.serializers import CaseSerializer, StepSerializer
from dangjian.development.filtersets import CaseFilterSet, StepFilterSet
from dangjian.development.models import Case, Step


class CaseViewSet(ScopedModelViewSet):
    queryset = Case.objects.select_related("org", "member")
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]  # a file is closed by a step, never deleted


class StepViewSet(ScopedModelViewSet):
    """Steps are recorded, never edited or deleted (a member's file)."""

    queryset = Step.objects.select_related("case", "rules").prefetch_related("members")
    serializer_class = StepSerializer
    filterset_class = StepFilterSet
    http_method_names = ["get", "post", "head", "options"]
