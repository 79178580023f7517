"""The app's URLs plus the floors the benchmark compares against (never deployed)."""

from django.urls import include, path

from bench import floors

urlpatterns = [
    path("bench/floor/members/", floors.member_page),
    path("bench/floor/api/members/", floors.member_api_page),
    path("bench/floor/compliance/", floors.compliance_page),
    path("bench/floor/points/ranking/", floors.points_ranking_page),
    path("", include("dangjian.urls")),
]
