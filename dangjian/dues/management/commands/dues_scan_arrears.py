"""Scan arrears for a scheduled job: reminders from 3 months, decision items for the branch at 6.

Runs as a named user (their dues scope decides which organizations are scanned; every change
is audited with that user and the reason), e.g. nightly from cron:
``manage.py dues_scan_arrears --user shi``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.scoping import collapse_paths, scope_for
from dangjian.dues import services
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = "Scan dues arrears in a user's organizations (reminders, decision items for the branch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the account the scan runs as (its dues scope)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, user: str, as_of: dt.date | None, **options: Any) -> None:
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"没有名为 {user} 的有效账号。")
        scope = scope_for(account, "dues", "change")
        if scope.everything:
            roots = list(Organization.objects.filter(depth=1))
        else:
            roots = list(Organization.objects.filter(path__in=collapse_paths(scope.org_paths)))
        if not roots:
            raise CommandError(f"账号 {user} 没有党费管理权限。")
        day = as_of or timezone.localdate()
        with acting_as(account, reason="定时扫描欠缴党费"):
            for org in roots:
                result = services.scan_arrears(actor=account, org=org, as_of=day)
                self.stdout.write(f"{org}：提醒 {len(result.warnings)} 人，新提交支部研究 {len(result.opened)} 件，"
                                  f"已补缴 {len(result.cleared)} 件。")
