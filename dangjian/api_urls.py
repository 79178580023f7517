"""REST API v1: every module's resources listed explicitly, the schema and offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from dangjian.accounts.api.views import (
    RoleGrantViewSet,
    StepUpView,
    TokenDetailView,
    TokenListView,
    TokenRefreshView,
    TokenRevokeView,
    TokenView,
)
from dangjian.accounts.imports import RoleGrantImporter
from dangjian.core.api.imports import ImportAPIView
from dangjian.development.api.views import CaseViewSet, StepViewSet
from dangjian.dues.api.views import ArrearsCaseViewSet, AssessmentViewSet, BillViewSet, PaymentViewSet
from dangjian.library.api.views import AskView, FlagListView
from dangjian.meetings.api.views import AttendanceViewSet, ComplianceView, MeetingViewSet
from dangjian.members.api.views import MemberViewSet, PostViewSet, TransferViewSet
from dangjian.members.imports import MemberImporter
from dangjian.orgs.api.views import OrganizationViewSet, TermViewSet
from dangjian.orgs.imports import OrganizationImporter
from dangjian.points.api.views import (
    PointBalanceViewSet,
    PointEntryViewSet,
    PublicationViewSet,
    ViolationProposalViewSet,
    ViolationRecordViewSet,
)
from dangjian.portal.api import views as me
from dangjian.study.imports import QuestionImporter
from dangjian.supervision.api.views import (
    ClueViewSet,
    FilingViewSet,
    FindingViewSet,
    InspectionViewSet,
    RectificationViewSet,
)

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("terms", TermViewSet, basename="term")
router.register("members", MemberViewSet, basename="member")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("posts", PostViewSet, basename="post")
router.register("role-grants", RoleGrantViewSet, basename="rolegrant")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("development/cases", CaseViewSet, basename="development-case")
router.register("development/steps", StepViewSet, basename="development-step")
router.register("dues/assessments", AssessmentViewSet, basename="dues-assessment")
router.register("dues/bills", BillViewSet, basename="dues-bill")
router.register("dues/arrears-cases", ArrearsCaseViewSet, basename="dues-arrearscase")
router.register("dues/payments", PaymentViewSet, basename="dues-payment")
router.register("points/entries", PointEntryViewSet, basename="points-entry")
router.register("points/balances", PointBalanceViewSet, basename="points-balance")
router.register("points/publications", PublicationViewSet, basename="points-publication")
router.register("points/violations", ViolationRecordViewSet, basename="points-violation")
router.register("points/proposals", ViolationProposalViewSet, basename="points-proposal")
router.register("supervision/filings", FilingViewSet, basename="supervision-filing")
router.register("supervision/inspections", InspectionViewSet, basename="supervision-inspection")
router.register("supervision/findings", FindingViewSet, basename="supervision-finding")
router.register("supervision/clues", ClueViewSet, basename="supervision-clue")
router.register("supervision/rectifications", RectificationViewSet, basename="supervision-rectification")

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="token_revoke"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("auth/tokens/", TokenListView.as_view(), name="token_list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="token_detail"),
    path("auth/step-up/", StepUpView.as_view(), name="step_up"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Excel imports: one path per kind (explicit; the importer declares the kind's columns and checks)
    *[path(f"imports/{importer.kind}/", ImportAPIView.as_view(importer=importer), name=f"import_{importer.name}")
      for importer in (MemberImporter, OrganizationImporter, RoleGrantImporter, QuestionImporter)],
    path("compliance/", ComplianceView.as_view(), name="compliance"),
    path("library/ask/", AskView.as_view(), name="library_ask"),
    path("library/flags/", FlagListView.as_view(), name="library_flags"),
    # the member portal's endpoints for app and WeChat clients (the caller's own rows)
    path("me/tasks/", me.MyTasksView.as_view(), name="me_tasks"),
    path("me/notices/", me.MyNoticesView.as_view(), name="me_notices"),
    path("me/meetings/", me.MyMeetingsView.as_view(), name="me_meetings"),
    path("me/attendance/<int:pk>/leave/", me.MyLeaveView.as_view(), name="me_leave"),
    path("me/points/", me.MyPointsView.as_view(), name="me_points"),
    path("me/dues/", me.MyDuesView.as_view(), name="me_dues"),
    path("me/study/", me.MyStudyView.as_view(), name="me_study"),
    path("me/solicitations/", me.MySolicitationsView.as_view(), name="me_solicitations"),
    path("", include(router.urls)),
]
