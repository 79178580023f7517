from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dangjian.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dangjian.dashboard import cache

        post_save.connect(cache.changed, dispatch_uid="dashboard-changed-save")
        post_delete.connect(cache.changed, dispatch_uid="dashboard-changed-delete")
