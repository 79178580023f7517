from django.urls import path

from dangjian.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.tab, {"tab": "home"}, name="home"),
    path("life/", views.tab, {"tab": "life"}, name="life"),
    path("study/", views.tab, {"tab": "study"}, name="study"),
    path("me/", views.tab, {"tab": "me"}, name="me"),
    path("preview/<int:member_id>/", views.preview, {"tab": "home"}, name="preview"),
    path("preview/<int:member_id>/<slug:tab>/", views.preview, name="preview_tab"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:pk>/revoke/", views.device_revoke, name="device_revoke"),
    path("org-members/", views.org_members, name="org_members"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="sw"),
    path("offline/", views.offline, name="offline"),
]
