"""Notices screens: the one inbox (通知与待办), announcements and news (通知公告) with their
read receipts, the channel settings and the user's channel preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core import attachments
from dangjian.core.errors import RuleError, as_message
from dangjian.core.excel import Column
from dangjian.core.scoping import covers, get_scoped_or_404, scope_for
from dangjian.core.views import ModelViews
from dangjian.notices import forms, inbox, services
from dangjian.notices.filtersets import AnnouncementFilterSet, ChannelConfigFilterSet, ReceiptFilterSet
from dangjian.notices.models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementKind,
    AnnouncementReceipt,
    Channel,
    ChannelConfig,
    ChannelPreference,
)
from dangjian.notices.tables import AnnouncementTable, ChannelConfigTable, ReceiptTable

ALLOWED = "pdf, docx, doc, xlsx, xls, pptx, png, jpg, jpeg, txt"
MAX_MB = 20


class AnnouncementViews(ModelViews):
    """The authors' screens: drafts and published items of the organizations in their scope."""

    model = Announcement
    name = "announcement"
    namespace = "notices"
    queryset = Announcement.objects.select_related("org", "author")
    table = AnnouncementTable
    filterset = AnnouncementFilterSet
    form = forms.AnnouncementForm
    actions = ("list", "detail", "add", "edit", "delete", "export")
    list_defer = ("body",)
    detail_template = "notices/announcement_detail.html"
    detail_fields = ("org", "kind", "title", "pinned", "allow_comments", "published_at", "author")
    export_columns = (Column(_("title"), "title", 40), Column(_("organization"), "org__name", 26),
                      Column(_("kind"), "get_kind_display", 10), Column(_("published at"), "published_at", 18))

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        receipts = obj.receipts.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
        return {"receipts": receipts, "can_publish": not obj.is_published and covers(request.user, "announcements",
                                                                                    "change", obj.org),
                "attachments": list(obj.attachments.all()), "upload_form": attachments.AttachmentForm(),
                "receipts_url": reverse("notices:receipt_list") + f"?announcement={obj.pk}",
                "read_url": reverse("notices:read", args=[obj.pk])}


class ReceiptViews(ModelViews):
    """Who has read an announcement and who has not: the list a secretary chases, with Excel."""

    model = AnnouncementReceipt
    name = "receipt"
    namespace = "notices"
    queryset = AnnouncementReceipt.objects.select_related("announcement", "member", "member__org")
    table = ReceiptTable
    filterset = ReceiptFilterSet
    actions = ("list", "export")
    export_columns = (Column(_("announcement"), "announcement__title", 30), Column(_("member"), "member__name", 12),
                      Column(_("organization"), "member__org__name", 26), Column(_("read at"), "read_at", 18))


class ChannelConfigViews(ModelViews):
    """The outside channels' settings (rules as data; the secret is never shown)."""

    model = ChannelConfig
    name = "channel"
    namespace = "notices"
    table = ChannelConfigTable
    filterset = ChannelConfigFilterSet
    form = forms.ChannelConfigForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("channel", "enabled", "base_url", "app_key", "agent_id", "max_attempts", "retry_minutes",
                     "per_minute", "quiet_start", "quiet_end", "timeout_seconds")
    related = ()


# --- the inbox ----------------------------------------------------------------------------------

FILTERS = {"open": pgettext_lazy("inbox filter", "Open"), "done": pgettext_lazy("inbox filter", "Done"),
           "all": pgettext_lazy("inbox filter", "All")}


@require_GET
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The user's items from every module, soonest first, with the page where each is acted on."""
    show = request.GET.get("show", "open")
    show = show if show in FILTERS else "open"
    rows = inbox.for_user(request.user).select_related("org")
    if show == "open":
        rows = rows.filter(cleared_on__isnull=True, is_done=False).order_by("due_on", "id")  # type: ignore[misc]
    elif show == "done":
        rows = rows.filter(Q(is_done=True) | Q(cleared_on__isnull=False)).order_by("-due_on", "-id")
    else:
        rows = rows.order_by("-due_on", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "notices/inbox.html", {"page": page, "show": show, "filters": FILTERS.items(),
                                                  "today": today})


def inbox_section(user: Any) -> dict[str, Any] | None:
    """The first open items, as one section of the core's reminders page."""
    if not user.is_authenticated:
        return None
    rows = list(inbox.open_for(user).select_related("org")[:10])
    return {"items": rows, "count": inbox.open_count(user), "today": timezone.localdate()}


@require_GET
def reminder_go(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an item: mark it read and go to the page where it is acted on."""
    reminder = inbox.get_visible_or_404(request.user, pk)
    inbox.mark(actor=request.user, reminder=reminder, done=False)
    target = reminder.url if url_has_allowed_host_and_scheme(reminder.url, allowed_hosts=None) else ""
    return HttpResponseRedirect(target or reverse("notices:inbox"))


@require_POST
def reminder_done(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = inbox.get_visible_or_404(request.user, pk)
    if request.POST.get("undo"):
        inbox.undo_done(actor=request.user, reminder=reminder)
    else:
        inbox.mark(actor=request.user, reminder=reminder, done=True)
    return HttpResponseRedirect(reverse("notices:inbox") + f"?show={request.POST.get('show', 'open')}")


# --- announcements for readers ------------------------------------------------------------------


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """通知公告 and 党建信息网: what reaches the user, pinned first; unread marked."""
    kind = request.GET.get("kind", "")
    rows = services.readable(request.user).filter(published_at__isnull=False).select_related("org")
    if kind in AnnouncementKind.values:
        rows = rows.filter(kind=kind)
    rows = rows.order_by("-pinned", "-published_at", "-id")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    member_id = getattr(request.user, "member_id", None)
    unread: set[int] = set()
    if member_id:
        unread = set(AnnouncementReceipt.objects.visible_to(request.user, "view")
                     .filter(member_id=member_id, read_at__isnull=True,
                             announcement_id__in=[a.pk for a in page.object_list])
                     .values_list("announcement_id", flat=True))
    images: dict[int, AnnouncementAttachment] = {}
    for att in AnnouncementAttachment.objects.filter(announcement_id__in=[a.pk for a in page.object_list]).order_by("pk"):  # scope-ok: of readable announcements
        if att.is_image:
            images.setdefault(att.announcement_id, att)
    return render(request, "notices/feed.html", {"page": page, "kind": kind, "kinds": AnnouncementKind.choices,
                                                 "unread": unread, "images": images,
                                                 "can_write": not scope_for(request.user, "announcements", "add").is_empty})


def _readable_or_404(user: Any, pk: int) -> Announcement:
    try:
        return services.readable(user).select_related("org", "author").get(pk=pk)  # type: ignore[no-any-return]
    except (Announcement.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """One announcement as its readers see it; opening it marks the reader's receipt read."""
    announcement = _readable_or_404(request.user, pk)
    if announcement.published_at is None and not covers(request.user, "announcements", "change", announcement.org):
        raise Http404
    form = forms.CommentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with as_message(request) as failed:
                services.comment(actor=request.user, announcement=announcement, text=form.cleaned_data["text"])
            if not failed:
                messages.success(request, gettext("Your comment is posted."))
        return HttpResponseRedirect(reverse("notices:read", args=[pk]))
    services.record_read(actor=request.user, announcement=announcement)
    files = list(announcement.attachments.all())
    return render(request, "notices/read.html", {
        "object": announcement, "images": [f for f in files if f.is_image], "files": [f for f in files if not f.is_image],
        "comments": announcement.comments.select_related("author") if announcement.allow_comments else [],
        "form": form, "can_manage": covers(request.user, "announcements", "change", announcement.org)})


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_scoped_or_404(request.user, Announcement, "change", pk=pk)
    with as_message(request) as failed:
        count = services.publish(actor=request.user, announcement=announcement)
    if not failed:
        messages.success(request, gettext("Published to %(count)s members.") % {"count": count})
    return HttpResponseRedirect(AnnouncementViews.url("detail", announcement))


@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_scoped_or_404(request.user, Announcement, "change", pk=pk)
    upload = request.FILES.get("file")
    with as_message(request):
        if upload is None:
            raise RuleError(gettext("Choose a file."), field="file")
        attachments.store(AnnouncementAttachment(announcement=announcement), upload, actor=request.user,
                          allowed=attachments.extensions(ALLOWED), max_mb=MAX_MB)
    return HttpResponseRedirect(AnnouncementViews.url("detail", announcement))


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of an announcement the user may read (its authors' scope, or its audience)."""
    try:
        row = AnnouncementAttachment.objects.select_related("announcement").get(pk=pk)  # scope-ok: checked below
    except (AnnouncementAttachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    announcement = _readable_or_404(request.user, row.announcement_id)
    if announcement.published_at is None and not covers(request.user, "announcements", "change", announcement.org):
        raise Http404
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not row.is_image, filename=row.original_name,
                            content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- channel preferences -------------------------------------------------------------------------

OUTSIDE = (Channel.SMS, Channel.WECOM, Channel.DINGTALK)


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """The user's outside channels (messages in the platform always arrive)."""
    user: Any = request.user
    stored = {p.channel: p for p in ChannelPreference.objects.filter(user=user)}  # scope-ok: the user's own
    enabled = set(ChannelConfig.objects.filter(enabled=True).values_list("channel", flat=True))  # scope-ok: which channels exist
    channels = [(c.value, c.label, bool(stored.get(c.value) and stored[c.value].enabled),
                 str(stored[c.value].address) if c.value in stored else "") for c in OUTSIDE]
    form = forms.PreferenceForm(request.POST or None, channels=channels)
    if request.method == "POST" and form.is_valid():
        for code, _label, _on, _address in channels:
            on = form.cleaned_data[f"{code}_enabled"]
            address = form.cleaned_data[f"{code}_address"].strip()
            row = stored.get(code) or ChannelPreference(user=user, channel=code)
            row.enabled, row.address = on, address
            if row.pk or on or address:
                row.save()
        messages.success(request, gettext("Your channels are saved."))
        return HttpResponseRedirect(reverse("notices:preferences"))
    return render(request, "notices/preferences.html", {"form": form, "channels": channels, "enabled": enabled})


