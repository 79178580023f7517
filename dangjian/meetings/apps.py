from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dangjian.meetings"
    label = "meetings"
    verbose_name = _("organizational life")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dangjian.meetings import stored

        stored.connect()  # the stored obligations follow every change (subscribes once)
        post_migrate.connect(_store_obligations, sender=self, dispatch_uid="meetings.store_obligations")


def _store_obligations(sender: AppConfig, **kwargs: object) -> None:
    """After migrating: store last year, this year and the next when no
    year is stored yet, so an existing database gets its obligation rows."""
    from dangjian.meetings import stored
    from dangjian.meetings.models import ObligationYear

    if kwargs.get("plan") is None:
        return  # a flush (tests), not a migration: the rows come back with the data, or are derived
    using = kwargs.get("using", "default")
    if not ObligationYear.objects.using(str(using)).exists():
        stored.rebuild(stored.default_years())
