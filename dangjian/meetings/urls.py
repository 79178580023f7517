from django.urls import path

from dangjian.meetings import views

app_name = "meetings"

urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("compliance/", views.compliance, name="compliance"),
    path("opinions/form/", views.opinion_form, name="opinion_form"),
    path("<int:pk>/attendance/", views.attendance_grid, name="attendance_grid"),
    path("<int:pk>/attendance/add/", views.attendee_add, name="attendee_add"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/qr.svg", views.qr_svg, name="qr_svg"),
    path("<int:pk>/qr.png", views.qr_png, name="qr_png"),
    path("attendance/<int:pk>/exclude/", views.attendee_exclude, name="attendee_exclude"),
    path("attendance/<int:pk>/leave/", views.leave_request, name="leave_request"),
    path("attendance/<int:pk>/leave/decide/", views.leave_decide, name="leave_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("solicitations/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("solicitations/<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    *views.AttendanceViews.urls("attendance/"),
    *views.MeetingKindViews.urls("kinds/"),
    *views.RequirementViews.urls("requirements/"),
    *views.MeetingRulesViews.urls("settings/"),
    *views.SolicitationViews.urls("solicitations/"),
    *views.OpinionViews.urls("opinions/"),
    *views.AgendaItemViews.urls("agenda-items/"),
    *views.TalkViews.urls("talks/"),
    *views.CriticismViews.urls("criticism/"),
    *views.RectificationViews.urls("rectification/"),
    *views.MeetingViews.urls(""),
]
