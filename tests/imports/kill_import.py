"""Test-only wrapper (REL-06): import a member workbook in this process and SIGKILL it after N rows.

    DANGJIAN_VAR_DIR=<dir> python tests/imports/kill_import.py setup
    DANGJIAN_VAR_DIR=<dir> python tests/imports/kill_import.py import <rows> <kill-after|0>

``setup`` builds the test personas in the (already migrated) SQLite database of <dir>.
``import`` writes a workbook of <rows> valid members for branch B1 and imports it as the
committee staff of C1, writing in batches of 5; with a kill-after > 0, the row handler prints
how many members the open transaction holds and kills the process with SIGKILL at that row.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings_test")

import django  # noqa: E402

django.setup()

from dangjian.accounts.models import User  # noqa: E402
from dangjian.core import imports  # noqa: E402
from dangjian.core.context import acting_as  # noqa: E402
from dangjian.core.testing.imports import upload, workbook  # noqa: E402
from dangjian.core.testing.personas import build_personas, valid_id_number  # noqa: E402
from dangjian.members import imports as member_imports  # noqa: E402
from dangjian.members.imports import MemberImporter  # noqa: E402
from dangjian.members.models import Member  # noqa: E402


def member_rows(count: int) -> list[list[object]]:
    import datetime as dt

    headers = [f.header for f in MemberImporter.fields]
    rows = []
    for i in range(count):
        born = dt.date(1970 + i % 20, 1 + i % 12, 1 + i % 28)
        cells = {"姓名": f"断电测试{i}", "性别": "男", "出生日期": born, "身份证号": valid_id_number(born, "M", seq=700 + i),
                 "警号": f"K{i:05d}", "人员类别": "民警", "入党日期": "2010-07-01", "转正日期": "2011-07-01",
                 "党员状态": "正式党员", "所在支部": "B1"}
        rows.append([cells.get(h) for h in headers])
    return rows


def main() -> None:
    if sys.argv[1] == "setup":
        build_personas()
        return
    count, kill_after = int(sys.argv[2]), int(sys.argv[3])
    headers = [f.header for f in MemberImporter.fields]
    content = workbook(headers, member_rows(count))
    member_imports.WRITE_BATCH = 5  # rows reach the database in the open transaction before the kill
    real = imports.run.write_row
    seen = {"rows": 0}

    def write_then_maybe_die(importer: object, row: object) -> None:
        real(importer, row)  # type: ignore[arg-type]
        seen["rows"] += 1
        if seen["rows"] == kill_after:
            print(f"killed at row {kill_after} with {Member.objects.count()} members in the open transaction", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    imports.run.write_row = write_then_maybe_die  # type: ignore[assignment]
    user = User.objects.get(username="c1_staff")
    with tempfile.TemporaryDirectory() as media, acting_as(user, reason="kill test"):
        from django.test import override_settings

        with override_settings(MEDIA_ROOT=media):
            stored = imports.store_upload(upload(content))
            report, batch = imports.import_file(MemberImporter(user), stored)
    print(f"imported {report.imported_rows} rows, batch {batch.pk if batch else None}", flush=True)


if __name__ == "__main__":
    main()
