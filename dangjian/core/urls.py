from django.urls import path

from dangjian.core import inbox, pages
from dangjian.core.auditviews import AuditViews

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("health/", pages.health, name="health"),
    path("inbox/", inbox.inbox, name="inbox"),
    *AuditViews.urls("audit/"),
]
