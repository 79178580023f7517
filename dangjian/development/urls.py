from django.urls import path

from dangjian.development import views

app_name = "development"

urlpatterns = [
    path("board/", views.board_view, name="board"),
    path("<int:pk>/documents/<slug:kind>.docx", views.case_document, name="case_document"),
    path("steps/<int:pk>/attachments/", views.step_attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.step_attachment_download, name="attachment_download"),
    *views.StepViews.urls("steps/"),
    *views.RulesViews.urls("rules/"),
    *views.CalendarDayViews.urls("calendar/"),
    *views.AdoptionViews.urls("adoptions/"),
    *views.CaseViews.urls(""),
]
