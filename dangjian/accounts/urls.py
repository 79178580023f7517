from django.urls import path

from dangjian.accounts import views
from dangjian.accounts.imports import RoleGrantImporter

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("locks/", views.locks, name="locks"),
    path("locks/unlock/", views.unlock, name="unlock"),
    path("grants/<int:pk>/revoke/", views.revoke_grant, name="grant_revoke"),
    *RoleGrantImporter.urls("grants/import/"),
    *views.GrantViews.urls("grants/"),
    *views.UserViews.urls("users/"),
]
