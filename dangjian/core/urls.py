from django.urls import path

from dangjian.core import inbox, pages, probes
from dangjian.core.auditviews import AuditViews

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    # Answered by ProbeMiddleware before routing; listed so they have names and reverse().
    path("health/", probes.health, name="health"),
    path("ready/", probes.ready, name="ready"),
    path("inbox/", inbox.inbox, name="inbox"),
    *AuditViews.urls("audit/"),
]
