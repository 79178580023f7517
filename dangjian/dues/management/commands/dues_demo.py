"""Load dues demo data (assessments, bills, payments, statements, remittances) into the demo bureau."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangjian.dues.demo import build_dues_demo


class Command(BaseCommand):
    help = "Assess every demo member and record the first months of dues, through the audited services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--months", type=int, default=3, help="months billed and paid (from January)")
        parser.add_argument("--branches", type=int, default=None, help="only the first N branches")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, year: int, months: int, branches: int | None, seed: int, **options: Any) -> None:
        result = build_dues_demo(year=year, months=months, seed=seed, limit_branches=branches, log=self.stdout.write)
        self.stdout.write(f"党费演示数据已加载：核定 {result.assessments} 人，缴费 {result.payments} 笔，"
                          f"用时 {result.seconds:.1f} 秒。")
