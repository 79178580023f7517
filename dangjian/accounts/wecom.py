"""Log in with 企业微信 (WeChat Work) OAuth 2.0, from its public documentation.

1. The browser goes to ``authorize_url?appid=CORPID&redirect_uri=…&response_type=code&
   scope=snsapi_base&state=…&agentid=AGENTID#wechat_redirect``; WeChat Work sends it back to
   the callback with ``code`` and the same ``state`` (kept in the session: no forged callback).
2. The server asks ``/cgi-bin/gettoken?corpid=…&corpsecret=…`` for the application's access
   token (cached for its ``expires_in``), then ``/cgi-bin/auth/getuserinfo?access_token=…&code=…``
   for the work identity: ``userid`` (``errcode`` 0; anything else refuses the login).
3. The ``userid`` is matched against the configured field of an active account (the user
   name, or the police number of the account's member). No match, or more than one: refused
   with a sentence, audited; a match logs in through the same second-factor step as a password.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dangjian.accounts import mfa_views
from dangjian.accounts.models import User, WorkIdentityField, WorkWeChatLogin
from dangjian.core import audit

STATE = "wecom_state"
TIMEOUT = 10


class LoginRefused(Exception):
    """The login cannot go on; the message is shown to the person."""


def active_config() -> WorkWeChatLogin | None:
    return WorkWeChatLogin.objects.filter(is_active=True).order_by("name").first()  # scope-ok: the operator's login row, read by the login page


def app_secret(config: WorkWeChatLogin) -> str:
    every: Any = settings.DANGJIAN.get("LOGIN_SECRETS") or {}
    configured: Any = every.get(config.secret_ref) or {}
    if configured.get("secret"):
        return str(configured["secret"])
    return os.environ.get(f"DANGJIAN_LOGIN_{config.secret_ref.upper().replace('-', '_')}_SECRET", "")


class WorkWeChat:
    """The adapter, bound to its configuration row."""

    def __init__(self, config: WorkWeChatLogin) -> None:
        self.config = config

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = urllib.parse.urlencode({"appid": self.config.corp_id, "redirect_uri": redirect_uri,
                                        "response_type": "code", "scope": "snsapi_base", "state": state,
                                        "agentid": self.config.agent_id})
        return f"{self.config.authorize_url}?{query}#wechat_redirect"

    def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        url = self.config.api_base.rstrip("/") + path + "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (operator's URL)
                data = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise LoginRefused(gettext("WeChat Work cannot be reached now; log in with your password or try "
                                       "again later.")) from exc
        if not isinstance(data, dict):
            raise LoginRefused(gettext("WeChat Work gave an answer this platform does not understand."))
        return data

    def access_token(self) -> str:
        key = f"wecom:token:{self.config.corp_id}:{self.config.agent_id}"
        token = cache.get(key)
        if token:
            return str(token)
        data = self._get("/cgi-bin/gettoken", {"corpid": self.config.corp_id, "corpsecret": app_secret(self.config)})
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise LoginRefused(gettext("The WeChat Work login is not configured correctly; tell the security "
                                       "administrator."))
        cache.set(key, data["access_token"], max(60, int(data.get("expires_in", 7200)) - 300))
        return str(data["access_token"])

    def userid(self, code: str) -> str:
        data = self._get("/cgi-bin/auth/getuserinfo", {"access_token": self.access_token(), "code": code})
        if data.get("errcode", 0) != 0:
            raise LoginRefused(gettext("WeChat Work did not confirm who you are (the sign-in code is invalid or "
                                       "used); try again."))
        userid = str(data.get("userid") or data.get("UserId") or "")
        if not userid:  # an outside person (openid only) has no work identity
            raise LoginRefused(gettext("Only members of the organization's WeChat Work can log in this way."))
        return userid


def account_for(config: WorkWeChatLogin, userid: str) -> User | None:
    """The one active account whose configured field is ``userid`` (None: unknown or ambiguous)."""
    users = User.objects.filter(is_active=True)  # scope-ok: the login's own lookup by the configured field
    if config.match_field == WorkIdentityField.USERNAME:
        users = users.filter(username=userid)
    else:
        users = users.filter(member__police_number=userid)
    found = list(users[:2])
    return found[0] if len(found) == 1 else None


def _refuse(request: HttpRequest, message: str, *, reason: str, status: int = 403) -> HttpResponse:
    audit.record("wecom_refused", object_type="accounts.user", object_repr=reason[:100], actor=None, org_path="",
                 success=False, reason=reason[:255])
    return render(request, "accounts/wecom_refused.html", {"message": message}, status=status)


@login_not_required
@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """To WeChat Work's authorization page, with a one-time state kept in the session."""
    config = active_config()
    if config is None:
        raise Http404
    state = secrets.token_urlsafe(16)
    request.session[STATE] = {"state": state, "next": request.GET.get("next", "")[:200]}
    callback = request.build_absolute_uri(reverse("accounts:wecom_callback"))
    return HttpResponseRedirect(WorkWeChat(config).authorize_url(callback, state))


@login_not_required
@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Back from WeChat Work: the code becomes a work identity, the identity an account."""
    config = active_config()
    if config is None:
        raise Http404
    kept = request.session.pop(STATE, None) or {}
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if not kept.get("state") or not secrets.compare_digest(str(kept["state"]), state) or not code:
        return _refuse(request, gettext("This sign-in link has expired or was not started here; start the WeChat "
                                        "Work login again."), reason="state mismatch", status=400)
    try:
        userid = WorkWeChat(config).userid(code)
    except LoginRefused as exc:
        return _refuse(request, str(exc), reason="wecom refused")
    user = account_for(config, userid)
    if user is None:
        return _refuse(request, gettext("Your WeChat Work identity (%(userid)s) is not linked to an account of "
                                        "this platform. Ask your organization's party affairs staff to link it, or "
                                        "log in with your user name and password.") % {"userid": userid},
                       reason=f"unknown identity {userid}")
    target = str(kept.get("next") or "")
    pending = mfa_views.start_pending(request, user, target)
    return pending or mfa_views.complete_login(request, user, target, how="wecom")


# --- the security admin's configuration screens -------------------------------------------------


def _config_views() -> Any:
    import django_tables2 as tables

    from dangjian.core.forms import ScopedModelForm
    from dangjian.core.tables import BaseTable
    from dangjian.core.views import ModelViews

    class ConfigForm(ScopedModelForm):
        class Meta:
            model = WorkWeChatLogin
            fields = ("name", "is_active", "corp_id", "agent_id", "secret_ref", "match_field", "authorize_url",
                      "api_base")

    class ConfigTable(BaseTable):
        name = tables.Column(linkify=True)

        class Meta(BaseTable.Meta):
            model = WorkWeChatLogin
            fields = ("name", "is_active", "corp_id", "agent_id", "match_field")

    class WorkWeChatViews(ModelViews):
        namespace = "accounts"
        model = WorkWeChatLogin
        name = "wecom"
        queryset = WorkWeChatLogin.objects.all()
        table = ConfigTable
        form = ConfigForm
        actions = ("list", "detail", "add", "edit")
        detail_fields = ("name", "is_active", "corp_id", "agent_id", "secret_ref", "match_field", "authorize_url",
                         "api_base")

    return WorkWeChatViews


WorkWeChatViews = _config_views()
