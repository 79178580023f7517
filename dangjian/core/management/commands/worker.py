"""Run background jobs: ``manage.py worker`` (the database backend's ``db_worker``, after
failing the jobs a killed worker of this host left running). Same options as ``db_worker``."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from dangjian.core.jobs.runner import recover_stale


class Command(DbWorkerCommand):
    help = "Run background jobs (django-tasks database worker); first fails the jobs of dead workers on this host."

    def handle(self, *args: Any, **options: Any) -> None:
        marked = recover_stale(this_host_only=True)
        if marked and options.get("verbosity", 1):
            self.stdout.write(f"{marked} interrupted job(s) of a stopped worker marked failed.")
        super().handle(*args, **options)
