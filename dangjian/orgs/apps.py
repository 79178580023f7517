from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = _("organizations")

    def ready(self) -> None:
        from dangjian.orgs import checks  # noqa: F401  (registers the tree checks)
