from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = _("platform")

    def ready(self) -> None:
        from pathlib import Path

        from django import forms
        from django.conf import settings

        from dangjian.core import checks  # noqa: F401  (registers system checks)
        from dangjian.core.forms import LabelledChoiceIterator

        # Every model choice labels its options through the model's ``choice_labels`` where it
        # has one (organizations after their parent path), on any form, filter or admin page.
        forms.ModelChoiceField.iterator = LabelledChoiceIterator

        # Every serializer field of the API names itself in its validation messages, with the
        # forms' sentences (the API answers 请填写姓名。 where DRF says 该字段是必填项。).
        from dangjian.core.api import messages

        messages.install()

        # The data directory (SQLite database, uploads) is ours to create on first start.
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
