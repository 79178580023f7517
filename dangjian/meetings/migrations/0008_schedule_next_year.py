"""The meetings line of the schedule (core.ScheduledTask): every day the coming year's stored
compliance obligations are written in December (``meetings_store_next_year``), so the upkeep
has rows to keep from 1 January; on by default, run as the system."""

from django.db import migrations
from django.utils import timezone

LINES = [
    ("meetings_store_next_year", "存储下一年度组织生活应开会议", "dangjian.meetings.jobs.store_next_year", 24 * 60),
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
    dependencies = [("meetings", "0007_stored_obligations"), ("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
