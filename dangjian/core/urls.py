from django.urls import path

from dangjian.core import pages
from dangjian.core.auditviews import AuditViews

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health/", pages.health, name="health"),
    *AuditViews.urls("audit/"),
]
