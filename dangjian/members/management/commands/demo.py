"""Build the demo bureau into an empty database and print the demo accounts."""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext, building_bureau, run_steps
from dangjian.members.demo import DEMO_REASON, build_demo
from dangjian.orgs.models import Organization
from dangjian.orgs.structure import root_path


class Command(BaseCommand):
    help = "Load the demo bureau (seed 001 model) into an empty database; print the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same bureau)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organizations exist")
        parser.add_argument("--scale", choices=("bureau", "province"), default="bureau",
                            help="bureau: the demo city bureau; province: 10,000 organizations, 100,000 members")
        parser.add_argument("--enqueue", action="store_true",
                            help="province only: hand the build to the background worker (manage.py worker)")

    def handle(self, *args: Any, seed: int, if_empty: bool, scale: str, enqueue: bool = False,
               **options: Any) -> None:
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据加载。")
                return
            self.stderr.write("数据库不为空：演示数据只能加载到空数据库。")
            raise SystemExit(1)
        if scale == "province" and enqueue:
            from dangjian.core import jobs
            from dangjian.members.jobs import build_demo as province_job

            job = jobs.start(province_job, actor=None, params={"seed": seed}, reason="demo --enqueue")
            self.stdout.write(f"job {job.pk}: {job.get_status_display()}")
            return
        if scale == "province":
            from dangjian.members.province import build_province

            built = build_province(seed, log=self.stdout.write)
            self.stdout.write(f"省级规模数据已加载：{built.orgs} 个党组织，{built.members} 名党员，用时 {built.seconds:.0f} 秒。")
            self.stdout.write("基准账号：sheng（省厅党务干部）、shi（市局党务干部）、zhibu（支部党务人员），密码 Hongqi#2026")
            return
        started = time.monotonic()
        with acting_as(None, reason=DEMO_REASON, source="command"), transaction.atomic():
            with building_bureau():
                result = build_demo(seed)
            self.stdout.write(f"demo: members {time.monotonic() - started:.1f} s")
            ctx = DemoContext(seed=seed, rng=random.Random(seed + 1), today=timezone.localdate(),
                              root=Organization.objects.get(path=root_path()),
                              users={u.username: u for u in User.objects.filter(username__in=result.accounts)},
                              log=self.stdout.write)
            run_steps(ctx)
        self.stdout.write(f"demo: {time.monotonic() - started:.1f} s")
        self.stdout.write(f"演示数据已加载：{result.orgs} 个党组织，{result.members} 名党员。")
        self.stdout.write("演示账号（仅存在于演示数据库）：")
        for username, (password, description) in result.accounts.items():
            self.stdout.write(f"  {username:<11} {password}  {description}")
