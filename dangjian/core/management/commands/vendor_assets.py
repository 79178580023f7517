"""Stage the npm front-end libraries and their source maps for staticfiles (core/vendor.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.core import vendor


class Command(BaseCommand):
    help = "Copy the declared node_modules files and the source maps they reference into build/vendor/."
    requires_system_checks: list[str] = []  # it repairs what check E020 reports

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            copied = vendor.stage()
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{len(copied)} vendor file(s) staged in {vendor.staging_dir()}")
