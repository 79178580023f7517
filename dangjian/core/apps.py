from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = _("platform")

    def ready(self) -> None:
        from pathlib import Path

        from django.conf import settings

        from dangjian.core import checks  # noqa: F401  (registers system checks)

        # The data directory (SQLite database, uploads) is ours to create on first start.
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
