"""Notices (通知与待办, 通知公告, the outbox).

- :class:`Reminder` — one materialized inbox item of a declared reminder source
  (``dangjian.core.reminders``), unique by (source, object, recipient, due date), and
  :class:`ReminderMark`, a user's read and done marks on it (done never comes back).
- :class:`Announcement` — a committee's announcement to its subtree, or a unit's news item
  with images (attachments); :class:`AnnouncementReceipt` — who must read it and when they
  did; :class:`AnnouncementComment` — only where the author turned comments on.
- :class:`ChannelConfig`, :class:`ChannelPreference`, :class:`OutboxMessage` — the message
  adapters' settings (rules as data, the secret encrypted), each user's channels and the
  outbox with its delivery status, attempts and next try.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.attachments import AttachmentBase
from dangjian.core.fields import EncryptedTextField
from dangjian.core.models import ScopedModel


class Reminder(models.Model):
    """One item of the one inbox: what falls due, for whom, by when, and where it is acted on.

    Written only by the materializing job (``notices.reminders.materialize``) in bulk; read
    through ``notices.inbox.for_user``, which applies the scope of the item's own area and
    action. ``cleared_on`` is set when the source stops yielding it (the obligation was met).
    """

    source = models.CharField(_("reminder source"), max_length=40)
    object_key = models.CharField(_("object"), max_length=80)
    recipient = models.CharField(_("recipient"), max_length=60)
    due_on = models.DateField(_("due on"))
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("page"), max_length=200, blank=True)
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                            verbose_name=_("organization"))
    org_path = models.CharField(_("organization path"), max_length=255, blank=True)
    area = models.CharField(_("permission area"), max_length=30, blank=True)
    action = models.CharField(_("action"), max_length=10, blank=True)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                               verbose_name=_("member"))
    first_on = models.DateField(_("first shown on"))
    cleared_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("source", "object_key", "recipient", "due_on"), name="notices_reminder_once",
                                    violation_error_message=_("This reminder is already in the inbox.")),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=("area", "action", "org_path"), name="notices_reminder_scope"),
            models.Index(fields=("member", "due_on"), name="notices_reminder_member"),
        ]

    def __str__(self) -> str:
        return self.title


class ReminderMark(models.Model):
    """A user's marks on one reminder: read (opened) and done (never shown again)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder mark")
        verbose_name_plural = _("reminder marks")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("reminder", "user"), name="notices_mark_once",
                                    violation_error_message=_("This reminder is already marked.")),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id}/{self.user_id}"


class AnnouncementKind(models.TextChoices):
    ANNOUNCEMENT = "notice", _("Announcement")
    NEWS = "news", _("Unit news")


class Announcement(ScopedModel):
    """An announcement (通知公告) of an organization to its whole subtree, or a news item of a
    unit (党建信息网). Published once: publishing writes the receipts of exactly the members of
    the subtree at that moment; members who join later get theirs when they first read it."""

    scope_area = "announcements"
    scope_path = "org"

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("issued by (reaches its subtree)"))
    kind = models.CharField(_("kind"), max_length=10, choices=AnnouncementKind.choices,
                            default=AnnouncementKind.ANNOUNCEMENT)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    pinned = models.BooleanField(_("pinned"), default=False)
    allow_comments = models.BooleanField(_("comments allowed"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))

    class Meta:
        ordering = ("-pinned", "-published_at", "-id")
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AnnouncementAttachment(AttachmentBase):
    """A file of an announcement; the images (png, jpg) of a news item are shown in its page."""

    scope_area = "announcements"
    scope_path = "announcement__org"
    upload_prefix = "notices"

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="attachments",
                                     verbose_name=_("announcement"))

    class Meta:
        verbose_name = _("announcement attachment")
        verbose_name_plural = _("announcement attachments")

    @property
    def is_image(self) -> bool:
        return self.original_name.lower().rsplit(".", 1)[-1] in {"png", "jpg", "jpeg"}


class AnnouncementReceipt(ScopedModel):
    """That a member must read an announcement, and when they did (已读 / 未读, the list a
    secretary chases). Written in bulk at publishing (one audit entry for all)."""

    scope_area = "receipts"
    scope_path = "member__org"
    owner_path = "member"

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="receipts",
                                     verbose_name=_("announcement"))
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+", verbose_name=_("member"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("announcement", "member"), name="notices_receipt_once",
                                    violation_error_message=_("This member already has a receipt for it.")),
        ]

    def __str__(self) -> str:
        return f"{self.announcement} · {self.member}"


class AnnouncementComment(ScopedModel):
    """A comment on an announcement whose author allowed comments (off by default)."""

    scope_area = "announcements"
    scope_path = "announcement__org"

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="comments",
                                     verbose_name=_("announcement"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("comment"), max_length=1000)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:40]


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the platform")
    SMS = "sms", pgettext_lazy("channel", "SMS")
    WECOM = "wecom", _("WeCom")
    DINGTALK = "dingtalk", _("DingTalk")


class ChannelConfig(ScopedModel):
    """One outside channel's settings, as data: where its HTTP API is, the credentials (the
    secret encrypted at rest), how often to retry and when to give up, its rate limit and its
    quiet hours (no message is sent between ``quiet_start`` and ``quiet_end``)."""

    scope_area = "channels"
    scope_path = None

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    base_url = models.CharField(_("API address"), max_length=200,
                                help_text=_("WeCom: https://qyapi.weixin.qq.com, DingTalk: https://oapi.dingtalk.com, "
                                            "SMS: the gateway's full URL."))
    app_key = models.CharField(_("corp ID / app key / gateway account"), max_length=100, blank=True)
    secret = EncryptedTextField(_("secret"), blank=True, context="notices.channel")
    agent_id = models.CharField(_("agent ID / SMS signature"), max_length=60, blank=True)
    max_attempts = models.PositiveSmallIntegerField(_("attempts before giving up"), default=5)
    retry_minutes = models.PositiveSmallIntegerField(_("first retry after (minutes, doubling)"), default=5)
    per_minute = models.PositiveSmallIntegerField(_("at most messages per minute"), default=60)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    timeout_seconds = models.PositiveSmallIntegerField(_("timeout (seconds)"), default=10)

    class Meta:
        ordering = ("channel",)
        verbose_name = _("message channel")
        verbose_name_plural = _("message channels")

    def __str__(self) -> str:
        return str(self.get_channel_display())

    def in_quiet_hours(self, moment: dt.time) -> bool:
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None or start == end:
            return False
        return start <= moment < end if start < end else (moment >= start or moment < end)


class ChannelPreference(models.Model):
    """A user's choice of an outside channel and their address on it (mobile number, WeCom or
    DingTalk user ID, kept encrypted). In the platform every message arrives anyway."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("receive on this channel"), default=True)
    address = EncryptedTextField(_("address on the channel"), blank=True, context="notices.address")

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("user", "channel"), name="notices_preference_once",
                                    violation_error_message=_("This channel is already chosen.")),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.channel}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    GAVE_UP = "gave_up", _("Given up")


class OutboxMessage(models.Model):
    """A message to one user on one channel, with its delivery state: sent by the outbox job
    (``notices.outbox.deliver_due``), retried with a doubling delay, given up after the
    channel's ``max_attempts``. Unique per (channel, user, key): a reminder or an announcement
    is sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    key = models.CharField(_("about"), max_length=120)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("page"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), db_index=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("channel", "user", "key"), name="notices_message_once",
                                    violation_error_message=_("This message is already queued.")),
        ]

    def __str__(self) -> str:
        return self.text[:40]



def _items_changed(**kwargs: Any) -> None:
    from dangjian.notices.inbox import new_generation

    new_generation()


models.signals.post_save.connect(_items_changed, sender=Reminder, dispatch_uid="notices_reminder_saved")
models.signals.post_delete.connect(_items_changed, sender=Reminder, dispatch_uid="notices_reminder_deleted")
