"""The points line of the schedule (core.ScheduledTask): every day, the 公示 whose objection window
has ended are closed and their entries without an open objection become final. On by default: it
only applies what the window already decided (``manage.py scheduler --set points_close_publications
--disable`` turns it off)."""

from django.db import migrations
from django.utils import timezone

LINES = [
    ("points_close_publications", "关闭异议期已满的积分公示", "dangjian.points.jobs.close_publications", 24 * 60),
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
    dependencies = [("points", "0002_seed_catalog"), ("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
