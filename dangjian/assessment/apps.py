from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "dangjian.assessment"
    label = "assessment"
    verbose_name = _("Responsibility lists and grading")

    def ready(self) -> None:
        from dangjian.assessment import receivers  # noqa: F401  (subscribes to the evidence events)
