"""``manage.py scheduler``: start the scheduled jobs when they are due (dangjian.core.jobs.schedule).

Run one per node or one in all: a line of the schedule is started once however many schedulers
run. ``--once`` does one pass (for cron); ``--seconds N`` stops after N seconds. ``--list``
shows the schedule; ``--set NAME [--every MIN] [--run-as USER] [--enable|--disable]`` changes a
line (the schedule is data: core.ScheduledTask).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.context import acting_as
from dangjian.core.jobs import schedule
from dangjian.core.jobs.models import ScheduledTask


class Command(BaseCommand):
    help = "Start scheduled jobs when due (once across all scheduler processes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes (default 30)")
        parser.add_argument("--list", action="store_true", help="print the schedule and exit")
        parser.add_argument("--set", metavar="NAME", help="change one line of the schedule and exit")
        parser.add_argument("--every", type=int, help="with --set: minutes between runs")
        parser.add_argument("--run-as", help="with --set: the account the job runs as (its scope)")
        parser.add_argument("--enable", action="store_true", help="with --set")
        parser.add_argument("--disable", action="store_true", help="with --set")
        parser.add_argument("--now", action="store_true", help="with --set: due now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for task in ScheduledTask.objects.select_related("run_as"):
                state = "on " if task.enabled else "off"
                self.stdout.write(f"{state} {task.name:<24} every {task.every_minutes:>5} min  next "
                                  f"{timezone.localtime(task.next_run_at):%Y-%m-%d %H:%M}  runs {task.run_count}  "
                                  f"as {task.run_as or '-'}  {task.title}")
            return
        if options["set"]:
            self.change(options)
            return
        if options["once"]:
            started = schedule.tick()
            for job in started:
                self.stdout.write(f"started {job.title} (job {job.pk})")
            return
        schedule.run(seconds=options["seconds"], interval=options["interval"], log=self.log)

    def log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()  # one line per start, also when the output is a file or a journal

    def change(self, options: dict[str, Any]) -> None:
        task = ScheduledTask.objects.filter(name=options["set"]).first()
        if task is None:
            raise CommandError(gettext("No scheduled task is named %(name)s (see --list).") % {"name": options["set"]})
        if options["every"]:
            task.every_minutes = options["every"]
        if options["run_as"]:
            user = get_user_model().objects.filter(username=options["run_as"], is_active=True).first()
            if user is None:
                raise CommandError(gettext("No active account is named %(name)s.") % {"name": options["run_as"]})
            task.run_as = user
        if options["enable"] or options["disable"]:
            task.enabled = bool(options["enable"])
        if options["now"]:
            task.next_run_at = timezone.now()
        with acting_as(None, reason="scheduler --set"):
            task.save()
        self.stdout.write(f"{task.name}: {'on' if task.enabled else 'off'}, every {task.every_minutes} min, "
                          f"as {task.run_as or '-'}")
