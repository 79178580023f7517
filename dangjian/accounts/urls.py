from django.urls import URLPattern, path

from dangjian.accounts import mfa_views, views, wecom
from dangjian.accounts.imports import RoleGrantImporter

app_name = "accounts"


def _step_up(patterns: list[URLPattern], names: set[str] | None = None) -> list[URLPattern]:
    """Changing role grants needs a recent re-authentication (SESS-02)."""
    for pattern in patterns:
        if names is None or pattern.name in names:
            pattern.callback = mfa_views.step_up_required(pattern.callback)
    return patterns


urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/wecom/", wecom.start, name="wecom_start"),
    path("login/wecom/callback/", wecom.callback, name="wecom_callback"),
    path("login/code/", mfa_views.verify, name="mfa_verify"),
    path("mfa/", mfa_views.status, name="mfa_status"),
    path("mfa/setup/", mfa_views.enrol, name="mfa_enrol"),
    path("mfa/reset/", mfa_views.reset, name="mfa_reset"),
    path("mfa/policy/", mfa_views.policy, name="mfa_policy"),
    path("confirm/", mfa_views.step_up, name="step_up"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("locks/", views.locks, name="locks"),
    path("locks/unlock/", views.unlock, name="unlock"),
    path("grants/<int:pk>/revoke/", views.revoke_grant, name="grant_revoke"),
    *_step_up(RoleGrantImporter.urls("grants/import/")),
    *_step_up(views.GrantViews.urls("grants/"), {"grant_add"}),
    *views.UserViews.urls("users/"),
    *wecom.WorkWeChatViews.urls("wecom/"),
]
