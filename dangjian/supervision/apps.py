from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "dangjian.supervision"
    label = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"
