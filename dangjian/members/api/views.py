from dangjian.core.api.viewsets import ScopedModelViewSet
from dangjian.members.api.serializers import MemberSerializer, PostSerializer, TransferSerializer
from dangjian.members.filtersets import MemberFilterSet, PostFilterSet, TransferFilterSet
from dangjian.members.models import CommitteePost, Member, Transfer


class MemberViewSet(ScopedModelViewSet):
    queryset = Member.objects.select_related("org", "group")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet


class TransferViewSet(ScopedModelViewSet):
    """Transfers are recorded, never edited or deleted (history)."""

    queryset = Transfer.objects.select_related("member", "from_org", "to_org")
    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    http_method_names = ["get", "post", "head", "options"]


class PostViewSet(ScopedModelViewSet):
    queryset = CommitteePost.objects.select_related("org", "member")
    serializer_class = PostSerializer
    filterset_class = PostFilterSet
