"""``manage.py rebuild_obligations [--year Y ...] [--enqueue]``: recompute the stored obligations."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangjian.meetings import stored


class Command(BaseCommand):
    help = "Rebuild the stored compliance obligations (every stored year, or the years given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="a year to store (repeatable)")
        parser.add_argument("--enqueue", action="store_true", help="run as a background job instead")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["year"] or stored.stored_years() or stored.default_years()
        if options["enqueue"]:
            from dangjian.core import jobs
            from dangjian.meetings.jobs import rebuild_obligations

            row = jobs.start(rebuild_obligations, actor=None, params={"years": years})
            self.stdout.write(f"job {row.pk}")
            return
        started = time.perf_counter()
        total = stored.rebuild(years)
        self.stdout.write(f"{total} obligations stored for {', '.join(map(str, sorted(years)))} "
                          f"in {time.perf_counter() - started:.1f} s")
