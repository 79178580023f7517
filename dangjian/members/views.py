"""Member screens: declarations for the generic views, plus revealing an ID number."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dangjian.core import idcard, stepup
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404
from dangjian.core.views import ModelViews, Related
from dangjian.members import services
from dangjian.members.filtersets import MemberFilterSet, PostFilterSet, TransferFilterSet
from dangjian.members.forms import MemberCreateForm, MemberForm, PostForm, TransferForm
from dangjian.members.imports import MemberImporter
from dangjian.members.models import CommitteePost, Member, Transfer
from dangjian.members.tables import MemberTable, PostTable, TransferTable


class MemberViews(ModelViews):
    model = Member
    name = "member"
    namespace = "members"
    queryset = Member.objects.select_related("org", "group")
    list_defer = ("id_number",)
    table = MemberTable
    filterset = MemberFilterSet
    form = MemberForm
    add_form = MemberCreateForm
    importer = MemberImporter
    detail_template = "members/member_detail.html"
    detail_fields = (
        "name", "gender", "ethnicity", "birth_date", "police_number", "personnel_type", "rank", "job_title",
        "education", "phone", "joined_party_on", "full_member_on", "status", "org", "group", "is_active", "left_on",
    )
    export_columns = (
        Column("姓名", "name", 10), Column("性别", "get_gender_display", 6), Column("民族", "ethnicity", 8),
        Column("出生日期", "birth_date", 12), Column("身份证号", "id_number", 22, transform=idcard.mask),
        Column("警号", "police_number", 10), Column("人员类别", "get_personnel_type_display", 8),
        Column("警衔", "rank"), Column("职务", "job_title"), Column("学历", "get_education_display"),
        Column("手机号码", "phone"), Column("入党日期", "joined_party_on", 12),
        Column("转正日期", "full_member_on", 12), Column("党员状态", "get_status_display"),
        Column("所在支部", "org__name", 28), Column("党小组", "group__name", 16),
    )
    related = (
        Related(_("Committee posts"), "members:post_list", "member"),
        Related(_("Relationship transfers"), "members:transfer_list", "member"),
        Related(_("How they came to join (development steps)"), "development:step_list", "member"),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_reveal": Member.objects.filter(pk=obj.pk).visible_to(request.user, "reveal").exists()}


class TransferViews(ModelViews):
    model = Transfer
    name = "transfer"
    namespace = "members"
    queryset = Transfer.objects.select_related("member", "from_org", "to_org")
    table = TransferTable
    filterset = TransferFilterSet
    form = TransferForm
    actions = ("list", "detail", "add", "export")
    detail_fields = ("member", "direction", "from_org", "to_org", "external_org", "transferred_on",
                     "letter_number", "reason")
    export_columns = (
        Column("党员", "member__name", 10), Column("类别", "get_direction_display", 10),
        Column("转出组织", "from_org__name", 28), Column("转入组织", "to_org__name", 28),
        Column("系统外组织", "external_org", 28), Column("转接日期", "transferred_on", 12),
        Column("介绍信编号", "letter_number", 16), Column("原因", "reason", 30),
    )


class PostViews(ModelViews):
    model = CommitteePost
    name = "post"
    namespace = "members"
    queryset = CommitteePost.objects.select_related("org", "member")
    table = PostTable
    filterset = PostFilterSet
    form = PostForm
    detail_fields = ("org", "post", "member", "started_on", "ended_on")
    export_columns = (
        Column("组织", "org__name", 28), Column("职务", "get_post_display", 10), Column("姓名", "member__name", 10),
        Column("任职日期", "started_on", 12), Column("离任日期", "ended_on", 12),
    )


@require_POST
def reveal_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one member's full ID number to a role allowed to see it; POST only, audited."""
    member = get_scoped_or_404(request.user, Member, "reveal", pk=pk)
    if (refused := stepup.gate(request)) is not None:
        return refused  # a recent re-authentication first (SESS-02)
    number = services.reveal_id_number(actor=request.user, member=member)
    return render(request, "members/_id_number.html", {"number": number, "member": member})
