from django.urls import path

from dangjian.assessment import documents, pages, views

app_name = "assessment"

urlpatterns = [
    path("grades/table/", pages.table, name="table"),
    path("grades/publish/", pages.publish, name="publish"),
    path("grades/recompute/", pages.recompute, name="recompute"),
    path("grades/org/<int:org>/", pages.grade, name="grade"),
    path("grades/section/", pages.org_section, name="org_section"),
    path("documents/<slug:kind>/<int:pk>.<slug:fmt>", documents.document, name="document"),
    path("rounds/<int:pk>/ballot/", pages.ballot, name="ballot"),
    path("rounds/<int:pk>/attendees/", pages.add_attendees, name="round_attendees"),
    path("rounds/<int:pk>/close/", pages.close, name="round_close"),
    path("reports/<int:pk>/files/", pages.report_upload, name="report_upload"),
    path("reports/files/<int:pk>/", pages.report_download, name="report_download"),
    path("member-reviews/<int:pk>/grade/", pages.member_grade, name="memberreview_grade"),
    path("member-reviews/<int:pk>/disposal/", pages.disposal, name="memberreview_disposal"),
    *views.SchemeViews.urls("schemes/"),
    *views.ItemViews.urls("items/"),
    *views.DeductionViews.urls("deductions/"),
    *views.EvaluationViews.urls("evaluations/"),
    *views.ProjectViews.urls("projects/"),
    *views.ProgressViews.urls("progress/"),
    *views.BonusViews.urls("bonuses/"),
    *views.VetoViews.urls("vetoes/"),
    *views.RoundViews.urls("rounds/"),
    *views.ReportViews.urls("reports/"),
    *views.MemberRoundViews.urls("member-rounds/"),
    *views.MemberReviewViews.urls("member-reviews/"),
]
