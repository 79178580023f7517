"""The core's scheduled housekeeping (schedule as data; ``manage.py scheduler --set`` changes it)."""

from django.db import migrations
from django.utils import timezone

LINES = [
    # name, title, handler, every (minutes)
    ("clear_sessions", "清理过期会话", "dangjian.core.jobs.maintenance.clear_sessions", 24 * 60),
    ("prune_idempotency", "清理幂等记录", "dangjian.core.jobs.maintenance.prune_idempotency", 60),
    ("purge_stale_imports", "清理过期的导入上传", "dangjian.core.jobs.maintenance.purge_stale_imports", 60),
    ("recover_stale_jobs", "标记中断的后台任务", "dangjian.core.jobs.maintenance.recover_stale_jobs", 5),
    ("prune_jobs", "清理已结束的后台任务", "dangjian.core.jobs.maintenance.prune_jobs", 24 * 60),
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
    dependencies = [("core", "0005_jobs")]
    operations = [migrations.RunPython(seed, unseed)]
