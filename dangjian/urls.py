"""Root URL configuration: every module's URLs listed explicitly."""

from django.urls import include, path

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("api/v1/", include("dangjian.api_urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("development/", include("dangjian.development.urls")),
    path("supervision/", include("dangjian.supervision.urls")),
    path("points/", include("dangjian.points.urls")),
    path("library/", include("dangjian.library.urls")),
    path("care/", include("dangjian.care.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("study/", include("dangjian.study.urls")),
    path("honors/", include("dangjian.honors.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("dashboard/", include("dangjian.dashboard.urls")),
    path("m/", include("dangjian.portal.urls")),
]
