from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from dangjian.accounts import checks  # noqa: F401  (registers the role matrix check)
        from dangjian.accounts.api import schema  # noqa: F401  (registers the OpenAPI auth extension)
