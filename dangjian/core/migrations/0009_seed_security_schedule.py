"""Scheduled security housekeeping: expired API tokens and old login counters, the audit
chain's head anchored outside the table (issue 21)."""

from django.db import migrations
from django.utils import timezone

LINES = [
    # name, title, handler, every (minutes)
    ("prune_security", "清理过期的访问令牌和登录计数", "dangjian.core.jobs.maintenance.prune_security", 24 * 60),
    ("anchor_audit_chain", "锚定审计链末端", "dangjian.core.jobs.maintenance.anchor_audit_chain", 60),
]


def seed(apps, schema_editor):
    ScheduledTask = apps.get_model("core", "ScheduledTask")
    now = timezone.now()
    for name, title, handler, every in LINES:
        ScheduledTask.objects.get_or_create(name=name, defaults={
            "title": title, "handler": handler, "every_minutes": every, "next_run_at": now})


def unseed(apps, schema_editor):
    apps.get_model("core", "ScheduledTask").objects.filter(name__in=[line[0] for line in LINES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_security_counters_key_ref_leases")]
    operations = [migrations.RunPython(seed, unseed)]
