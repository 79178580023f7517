from django.urls import path

from dangjian.members import views
from dangjian.members.imports import MemberImporter

app_name = "members"

urlpatterns = [
    path("<int:pk>/reveal-id/", views.reveal_id_number, name="member_reveal_id"),
    *MemberImporter.urls("import/"),
    *views.TransferViews.urls("transfers/"),
    *views.PostViews.urls("posts/"),
    *views.MemberViews.urls(""),
]
