"""The job rows have no ModelViews (see tests/jobs/ for the facility's own suite); the schedule
is changed with ``manage.py scheduler --set``."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dangjian.core.models import ScheduledTask

SUITE_EXEMPTIONS = {
    "core.throttlecounter": "attempt counters without a page, keyed by a digest and read only by the login and "
                            "token throttles; races, per-address limits and lockout are tested in "
                            "tests/security/test_lockout_race.py",
    "core.job": "reached only by the user who started it through /jobs/; ownership, progress, result, failure and "
                "killed workers are tested in tests/jobs/ (in process and with real worker processes)",
    "core.scheduledtask": "infrastructure without a page, changed by manage.py scheduler --set; the once-only claim "
                          "is tested in tests/jobs/ with two real scheduler processes",
}

pytestmark = pytest.mark.django_db


def test_the_schedule_is_listed_and_changed_from_the_command(personas: Any) -> None:
    out = io.StringIO()
    call_command("scheduler", "--set", "dues_arrears_scan", "--run-as", "c1_staff", "--enable", "--every", "720",
                 stdout=out)
    line = ScheduledTask.objects.get(name="dues_arrears_scan")
    assert (line.enabled, line.every_minutes, line.run_as) == (True, 720, personas.user("c1_staff"))
    listing = io.StringIO()
    call_command("scheduler", "--list", stdout=listing)
    assert "dues_arrears_scan" in listing.getvalue() and "c1_staff" in listing.getvalue()
    with pytest.raises(CommandError, match="没有名为 nobody 的有效账号"):
        call_command("scheduler", "--set", "dues_arrears_scan", "--run-as", "nobody")
    with pytest.raises(CommandError, match="没有名为 nothing 的定时任务"):
        call_command("scheduler", "--set", "nothing")
