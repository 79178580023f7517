"""Forms of the notices module; writes go through the model's audited save or ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm, restrict
from dangjian.core.scoping import orgs_where
from dangjian.notices.models import Announcement, ChannelConfig


class AnnouncementForm(ScopedModelForm):
    """A draft announcement or news item; it reaches its organization's subtree once published."""

    class Meta:
        model = Announcement
        fields = ("org", "kind", "title", "body", "pinned", "allow_comments")
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self, "org", orgs_where(self.user, "announcements", "add"))

    def save(self, commit: bool = True) -> Announcement:
        row = super().save(commit=False)
        if row.author_id is None:
            row.author = self.user
        if commit:
            row.save()
        return row


class ChannelConfigForm(ScopedModelForm):
    """A channel's settings. The secret is write-only: never shown, kept when left empty."""

    new_secret = forms.CharField(label=_("secret"), required=False, widget=forms.PasswordInput(render_value=False),
                                 help_text=_("Stored encrypted. Left empty, the stored secret is kept."))

    class Meta:
        model = ChannelConfig
        fields = ("channel", "enabled", "base_url", "app_key", "agent_id", "max_attempts", "retry_minutes",
                  "per_minute", "quiet_start", "quiet_end", "timeout_seconds")
        widgets = {"quiet_start": forms.TimeInput(attrs={"type": "time"}),
                   "quiet_end": forms.TimeInput(attrs={"type": "time"})}

    def save(self, commit: bool = True) -> ChannelConfig:
        row = super().save(commit=False)
        if self.cleaned_data.get("new_secret"):
            row.secret = self.cleaned_data["new_secret"]
        if commit:
            row.save()
        return row


class PreferenceForm(forms.Form):
    """The user's outside channels: receive or not, and the address on each."""

    def __init__(self, *args: Any, channels: list[tuple[str, Any, bool, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        for code, label, enabled, address in channels:
            self.fields[f"{code}_enabled"] = forms.BooleanField(label=label, required=False, initial=enabled)
            self.fields[f"{code}_address"] = forms.CharField(
                label=gettext("address on the channel"), required=False, initial=address, max_length=100,
                help_text=gettext("Mobile number for SMS; your user ID in WeCom or DingTalk."))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("comment"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
