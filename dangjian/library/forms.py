"""Forms of the library."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import ScopedModelForm
from dangjian.library.models import Document, FlagStatus, QualityRule


class AskForm(forms.Form):
    q = forms.CharField(label=_("Question or words"), max_length=300, required=False,
                        widget=forms.TextInput(attrs={"autofocus": True, "type": "search"}))


class UploadForm(forms.Form):
    document = forms.ModelChoiceField(Document.objects.all(), label=_("regulation"), required=False,  # scope-ok: global
                                      help_text=_("Empty: a new regulation (give its code and title)."))
    code = forms.SlugField(label=_("code"), max_length=40, required=False)
    title = forms.CharField(label=_("title"), max_length=120, required=False)
    label = forms.CharField(label=_("version"), max_length=40)
    effective_from = forms.DateField(label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("source of the text"), max_length=300, required=False)
    file = forms.FileField(label=_("file (Word .docx, PDF or text)"))


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("decision"), choices=[(FlagStatus.CONFIRMED, FlagStatus.CONFIRMED.label),
                                                             (FlagStatus.DISMISSED, FlagStatus.DISMISSED.label)])
    note = forms.CharField(label=_("reviewer's note"), max_length=300, required=False)


class CheckForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))


class QualityRuleForm(ScopedModelForm):
    class Meta:
        model = QualityRule
        fields = ("year", "kind", "enabled", "duplicate_threshold", "min_minutes_chars", "require_resolution",
                  "resolution_words", "boilerplate_words", "require_attendance", "topic_repeat", "late_days", "source")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
