"""The member portal (网上党支部): a phone-first shell over the modules' declared portal items.

Every card on a tab is a module's ``PortalItem`` with its own scoped read
(``data(viewer, member)``); the portal itself reads nothing but the member row. The same
pages serve a branch secretary's read-only preview of a member in their scope: the cards then
read through the secretary's scope, narrowed to that member, and forms are not drawn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import audit
from dangjian.core.modules import PORTAL_TABS, PortalItem, portal_items
from dangjian.core.scoping import covers, get_scoped_or_404, scope_for
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

#: the portal's own entry (the staff's link to it) is not drawn inside the portal
SELF_URL = "portal:home"

#: static files of the shell, cached by the service worker on install
SHELL_STATIC = ("portal/portal.css", "portal/portal.js", "core/queue.js", "portal/icon.svg")


@dataclass(frozen=True)
class Card:
    item: PortalItem
    data: Any
    url: str


def tab_labels() -> list[tuple[str, str]]:
    """The bottom bar: 首页, 组织生活, 学习, 我的."""
    return [("home", pgettext("portal tab", "Home")), ("life", pgettext("portal tab", "Organizational life")),
            ("study", pgettext("portal tab", "Study")), ("me", pgettext("portal tab", "Me"))]


def _items(viewer: Any, tab: str) -> list[PortalItem]:
    return [item for item in portal_items()
            if item.tab == tab and item.url_name != SELF_URL
            and (item.area is None or not scope_for(viewer, item.area, "view").is_empty)]


def _cards(viewer: Any, member: Member, tab: str, *, preview: bool) -> tuple[list[Card], list[Card]]:
    """(cards drawn with data, plain links) of one tab."""
    cards: list[Card] = []
    links: list[Card] = []
    for item in _items(viewer, tab):
        url = ""
        if item.url_name and not (preview and item.kwargs):  # a preview has no URL of the member's own
            url = reverse(item.url_name, kwargs=item.kwargs(viewer) if item.kwargs else None)
        if item.card and item.data:
            data = item.data(viewer, member)
            if data is not None:
                cards.append(Card(item, data, url))
        elif not preview and url:
            links.append(Card(item, None, url))
    return cards, links


def _page(request: HttpRequest, member: Member, tab: str, *, preview: bool) -> HttpResponse:
    if tab not in PORTAL_TABS:
        raise Http404
    cards, links = _cards(request.user, member, tab, preview=preview)
    if preview:
        tabs = [(code, label, reverse("portal:preview_tab", args=[member.pk, code])) for code, label in tab_labels()]
    else:
        tabs = [(code, label, reverse(f"portal:{code}")) for code, label in tab_labels()]
    return render(request, "portal/tab.html", {
        "tab": tab, "tabs": tabs, "cards": cards, "links": links, "member": member, "preview": preview,
        "title": dict(tab_labels())[tab],
        "workbench": not preview and not settings_member_home_is_self(request),
    })


def settings_member_home_is_self(request: HttpRequest) -> bool:
    """True for a member whose home is the portal (no staff roles): no link to the workbench."""
    from dangjian.core.pages import member_home

    return member_home(request.user) is not None


def tab(request: HttpRequest, tab: str) -> HttpResponse:
    """One tab of the signed-in member's own portal."""
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    member = get_scoped_or_404(request.user, Member.objects.select_related("org"), "view", pk=member_id)  # scope-ok: get_scoped_or_404
    return _page(request, member, tab, preview=False)


def preview(request: HttpRequest, member_id: int, tab: str) -> HttpResponse:
    """A branch secretary's read-only view of what a member of their branch sees (audited).
    Only an officer's grant covering the member's organization opens it: 404 otherwise."""
    member = get_scoped_or_404(request.user, Member.objects.select_related("org"), "view", pk=member_id)  # scope-ok: get_scoped_or_404
    if not scope_for(request.user, "members", "view").is_officer or \
            not covers(request.user, "members", "view", member.org):
        raise Http404
    audit.record("portal_preview", obj=member, reason=tab)
    return _page(request, member, tab, preview=True)


@require_GET
def org_members(request: HttpRequest) -> HttpResponse:
    """The section of an organization's page (``org_page``): its members with a link to the
    preview of each one's portal, for an officer whose grant covers the organization."""
    raw = str(request.GET.get("org", ""))
    org = get_scoped_or_404(request.user, Organization, "view", pk=int(raw)) if raw.isdigit() and len(raw) < 10 \
        else None
    members: list[Member] = []
    if org is not None and scope_for(request.user, "members", "view").is_officer \
            and covers(request.user, "members", "view", org):
        members = list(Member.objects.visible_to(request.user, "view").filter(org=org).order_by("name")[:200])
    return render(request, "portal/org_members.html", {"org": org, "members": members})


@login_not_required
@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable to the home screen, opening the portal full-screen."""
    return JsonResponse({
        "name": gettext("Online party branch"),
        "short_name": gettext("Party branch"),
        "start_url": reverse("portal:home"),
        "scope": reverse("portal:home"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "lang": "zh-CN",
        "icons": [{"src": static("portal/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /m/ so its scope is the portal. Its cache name carries
    the shell's hashed static URLs: a deploy with new assets installs a new cache."""
    shell = [static(name) for name in SHELL_STATIC]
    offline = reverse("portal:offline")
    version = hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]
    body = render(request, "portal/sw.js", {"shell": shell, "offline": offline, "version": version},
                  content_type="text/javascript").content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows when a portal page is not cached and the network is down."""
    return render(request, "portal/offline.html", {"tabs": [(c, label, reverse(f"portal:{c}"))
                                                            for c, label in tab_labels()], "tab": ""})



def _live_tokens(user: Any) -> list[Any]:
    from dangjian.accounts.api.authentication import token_expired
    from dangjian.accounts.models import ApiToken, SecurityPolicy

    policy, now = SecurityPolicy.current(), timezone.now()
    rows = ApiToken.objects.filter(user_id=int(user.pk or 0), revoked_at__isnull=True)  # scope-ok: the user's own keys
    return [t for t in rows.order_by("-created_at") if not token_expired(t, policy, now)]


@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    """The devices (app and WeChat clients) signed in to my account: one API token each."""
    tabs = [(code, label, reverse(f"portal:{code}")) for code, label in tab_labels()]
    return render(request, "portal/devices.html", {"tokens": _live_tokens(request.user), "tabs": tabs, "tab": "me",
                                                   "title": gettext("My devices")})


@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign one of my devices out (its token revoked, audited); another user's token is 404."""
    from dangjian.accounts import services

    token = next((t for t in _live_tokens(request.user) if t.pk == pk), None)
    if token is None:
        raise Http404
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, gettext("The device is signed out; it must sign in again."))
    return HttpResponseRedirect(reverse("portal:devices"))
