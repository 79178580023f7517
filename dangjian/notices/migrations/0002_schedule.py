"""The notices lines of the schedule (core.ScheduledTask): the inbox is brought up to date every
night and at start (``notices_materialize``, daily), and the outbox is delivered every minute
(``notices_deliver``). Both on by default; the materialization runs as the account set on its
line (``manage.py scheduler --set notices_materialize --run-as shi``) or as the system."""

from django.db import migrations
from django.utils import timezone

LINES = [
    ("notices_materialize", "更新通知与待办", "dangjian.notices.jobs.materialize", 24 * 60),
    ("notices_deliver", "发送待发消息", "dangjian.notices.jobs.deliver", 1),
]


def seed(apps, schema_editor):
    ScheduledTask = apps.get_model("core", "ScheduledTask")
    for name, title, handler, every in LINES:
        ScheduledTask.objects.get_or_create(name=name, defaults={
            "title": title, "handler": handler, "every_minutes": every, "next_run_at": timezone.now(),
            "enabled": True})


def unseed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.filter(name__in=[line[0] for line in LINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial"), ("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
