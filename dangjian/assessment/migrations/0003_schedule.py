"""The grading lines of the schedule (core.ScheduledTask): every 10 minutes the organizations
whose evidence changed are recomputed; every night the whole year (deadlines pass without a
record changing). Published results are never touched by either."""

from django.db import migrations
from django.utils import timezone

LINES = [
    ("assessment_recompute", "重算证据有变化的党组织等级", "dangjian.assessment.jobs.recompute_pending", 10),
    ("assessment_recompute_year", "每日重算全年党组织等级预览", "dangjian.assessment.jobs.recompute_year", 24 * 60),
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
    dependencies = [("assessment", "0002_seed_2026"), ("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
