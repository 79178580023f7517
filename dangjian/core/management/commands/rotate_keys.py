"""Re-encrypt every encrypted field and re-compute every blind index under the current field
key (SECURITY.md DP-01; dangjian/core/rotation.py says how to rotate).

``--enqueue --run-as USER`` starts it as a background job with a progress page instead;
``--check`` only counts what is left (exit status 1 while something is).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core import rotation


class Command(BaseCommand):
    help = "Re-encrypt and re-index under the current FIELD_ENCRYPTION_KEYS key, in batches (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--check", action="store_true", help="only count rows still under an older key")
        parser.add_argument("--enqueue", action="store_true", help="run as a background job")
        parser.add_argument("--run-as", default="", help="the job's user (with --enqueue)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            left = {k: v for k, v in rotation.pending().items() if v}
            for label, n in left.items():
                self.stdout.write(f"{label}: {n}")
            if left:
                raise CommandError("rows remain under older keys", returncode=1)
            self.stdout.write("OK: every encrypted value is under the current key")
            return
        if options["enqueue"]:
            from django.contrib.auth import get_user_model

            from dangjian.core import jobs
            from dangjian.core.jobs.maintenance import rotate_keys

            user = get_user_model().objects.filter(username=options["run_as"]).first()
            if user is None:
                raise CommandError("--enqueue needs --run-as with an existing username")
            row = jobs.start(rotate_keys, actor=user, params={"batch": options["batch"]})
            self.stdout.write(f"started job {row.pk}: {jobs.url(row)}")
            return

        def report(done: int, total: int) -> None:
            self.stdout.write(f"\r{done}/{total}", ending="")

        result = rotation.rotate_all(batch=options["batch"], progress=report)
        self.stdout.write("")
        for label, n in result.items():
            self.stdout.write(f"{label}: {n} rewritten")
        self.stdout.write("OK")
