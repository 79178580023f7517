"""Dues lines of the schedule (core.ScheduledTask): off until an account is set to run them as
(its dues scope decides what is scanned/billed): ``manage.py scheduler --set dues_arrears_scan
--run-as <user> --enable``."""

from django.db import migrations
from django.utils import timezone

LINES = [
    ("dues_arrears_scan", "扫描欠缴党费（提醒、提交支部研究）", "dangjian.dues.jobs.scan_arrears", 24 * 60),
    ("dues_generate_bills", "生成本月党费账单（全部支部）", "dangjian.dues.jobs.generate_bills", 24 * 60),
]


def seed(apps, schema_editor):
    ScheduledTask = apps.get_model("core", "ScheduledTask")
    for name, title, handler, every in LINES:
        ScheduledTask.objects.get_or_create(name=name, defaults={
            "title": title, "handler": handler, "every_minutes": every, "next_run_at": timezone.now(),
            "enabled": False})


def unseed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.filter(name__in=[line[0] for line in LINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dues", "0003_constraint_sentences"), ("core", "0006_seed_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
