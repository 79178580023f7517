"""Verify the HMAC hash chain of the audit log (SECURITY.md AUD-03).

Prints ``OK`` with the number of entries, or names the first entry that does not verify
(edited, deleted or inserted out of order) and exits with status 1; also when the last head
anchored outside the table (``audit.anchor_head``) is gone: the chain was cut off at its end.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.core.audit import verify_anchor, verify_chain
from dangjian.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log hash chain; exit status 1 names the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify_chain()
        if broken is not None:
            raise CommandError(f"BROKEN: audit chain fails at entry id={broken}", returncode=1)
        missing = verify_anchor()
        if missing is not None:
            raise CommandError(f"TRUNCATED: anchored entry id={missing} is missing or changed", returncode=1)
        self.stdout.write(f"OK: {AuditEntry.objects.count()} audit entries verified")
