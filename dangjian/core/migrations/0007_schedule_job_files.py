"""Schedule line: remove job result files past their download period (large exports)."""

from django.db import migrations
from django.utils import timezone

NAME = "prune_job_files"


def seed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.get_or_create(name=NAME, defaults={
        "title": "清理过期的任务文件", "handler": "dangjian.core.jobs.maintenance.prune_job_files",
        "every_minutes": 60, "next_run_at": timezone.now()})


def unseed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
