from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.orgs.api.serializers import OrganizationSerializer, TermSerializer
from dangjian.orgs.filtersets import OrganizationFilterSet, TermFilterSet
from dangjian.orgs.models import Organization, OrganizationTerm


class OrganizationViewSet(ScopedModelViewSet):
    queryset = Organization.objects.select_related("unit")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


class TermViewSet(ScopedModelViewSet):
    queryset = OrganizationTerm.objects.select_related("org")
    serializer_class = TermSerializer
    filterset_class = TermFilterSet
