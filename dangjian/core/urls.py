from django.urls import path

from dangjian.core import inbox, pages, probes
from dangjian.core.auditviews import AuditViews
from dangjian.core.jobs import views as jobs

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    # Answered by ProbeMiddleware before routing; listed so they have names and reverse().
    path("health/", probes.health, name="health"),
    path("ready/", probes.ready, name="ready"),
    path("inbox/", inbox.inbox, name="inbox"),
    *AuditViews.urls("audit/"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file/", jobs.job_file, name="job_file"),
]
