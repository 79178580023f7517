from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "dangjian.points"
    label = "points"
    verbose_name = _("Member points")

    def ready(self) -> None:
        from dangjian.points import receivers  # noqa: F401  (subscribes once)
