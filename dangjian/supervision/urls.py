from django.urls import path

from dangjian.supervision import views
from dangjian.supervision.views import work

app_name = "supervision"
urlpatterns = [
    *views.RequirementViews.urls("requirements/"),
    *views.MistakeViews.urls("mistakes/"),
    path("filings/open/", work.filing_open, name="filing_open"),
    path("filings/matrix/", work.filing_matrix, name="filing_matrix"),
    path("filings/<int:pk>/submit/", work.filing_submit, name="filing_submit"),
    path("filings/<int:pk>/review/", work.filing_review, name="filing_review"),
    path("filings/<int:pk>/attachments/", work.filing_attachment_upload, name="filing_attachment_upload"),
    path("filings/attachments/<int:pk>/", work.filing_attachment_download, name="filing_attachment_download"),
    *views.FilingViews.urls("filings/"),
    *views.CoverageRuleViews.urls("coverage-rules/"),
    *views.PlanViews.urls("plans/"),
    *views.RoundViews.urls("rounds/"),
    path("inspections/<int:pk>/advance/", work.inspection_advance, name="inspection_advance"),
    path("inspections/<int:pk>/evaluate/", work.inspection_evaluate, name="inspection_evaluate"),
    path("inspections/<int:pk>/clue/", work.clue_transfer, name="clue_transfer"),
    path("inspections/<int:pk>/<slug:kind>.<slug:fmt>", work.inspection_document, name="inspection_document"),
    *views.InspectionViews.urls("inspections/"),
    path("findings/<int:pk>/confirm/", work.finding_confirm, name="finding_confirm"),
    *views.FindingViews.urls("findings/"),
    *views.NoteViews.urls("notes/"),
    *views.ClueViews.urls("clues/"),
    path("rectification/<int:pk>/report/", work.rectification_report, name="rectification_report"),
    path("rectification/<int:pk>/sign-off/", work.rectification_sign_off, name="rectification_sign_off"),
    path("rectification/<int:pk>/revisit/", work.rectification_revisit, name="rectification_revisit"),
    path("rectification/<int:pk>/evidence/", work.evidence_upload, name="evidence_upload"),
    path("rectification/evidence/<int:pk>/", work.evidence_download, name="evidence_download"),
    *views.RectificationViews.urls("rectification/"),
    *views.AccountabilityViews.urls("accountability/"),
]
