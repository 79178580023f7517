from django.urls import path

from dangjian.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("items/<int:pk>/go/", views.reminder_go, name="reminder_go"),
    path("items/<int:pk>/done/", views.reminder_done, name="reminder_done"),
    path("board/", views.feed, name="feed"),
    path("board/<int:pk>/", views.read, name="read"),
    path("announcements/<int:pk>/publish/", views.publish, name="announcement_publish"),
    path("announcements/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("preferences/", views.preferences, name="preferences"),
    *views.AnnouncementViews.urls("announcements/"),
    *views.ReceiptViews.urls("receipts/"),
    *views.ChannelConfigViews.urls("channels/"),
]
