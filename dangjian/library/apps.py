from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "dangjian.library"
    label = "library"
    verbose_name = _("rules library")

    def ready(self) -> None:
        from dangjian.library import receivers  # noqa: F401  (subscribes to meeting events)
