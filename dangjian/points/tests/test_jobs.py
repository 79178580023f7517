"""The daily close of the 公示 runs from the core schedule (seeded by migration, on by default)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.jobs import schedule
from dangjian.core.models import Job, ScheduledTask
from dangjian.core.testing.personas import Personas
from dangjian.points import services
from dangjian.points.models import PointEntry, Publication
from dangjian.points.tests.conftest import award, balance

pytestmark = pytest.mark.django_db


def test_the_scheduled_close_makes_entries_final_once_the_window_has_ended(personas: Personas) -> None:
    p, officer, staff = personas, personas.user("officer_b1"), personas.user("c1_staff")
    zhang = p.members["m_b1"]
    member = p.user("member_b1")
    entry = award(officer, zhang, "commitment_unkept", day=dt.date(2026, 10, 5))  # -3
    with acting_as(member, reason="test"):
        services.confirm(actor=member, entry=entry, accept=True)
    with acting_as(staff, reason="test"):
        services.approve(actor=staff, entry=PointEntry.objects.get(pk=entry.pk), accept=True)
    with acting_as(officer, reason="test"):
        publication = services.publish(actor=officer, org=p.b1, month=dt.date(2026, 10, 1), today=dt.date(2026, 11, 2))
    assert balance(zhang).score == 60  # published, not final yet
    line = ScheduledTask.objects.get(name="points_close_publications")
    assert line.enabled and line.every_minutes == 24 * 60 and line.run_as is None
    ScheduledTask.objects.filter(pk=line.pk).update(next_run_at=timezone.now() - dt.timedelta(minutes=1))
    jobs = schedule.tick()
    mine = [j for j in jobs if j.handler.endswith("close_publications")]
    assert len(mine) == 1 and mine[0].status == Job.Status.SUCCEEDED, mine[0].error if mine else jobs
    assert dict(mine[0].result["figures"]) == {"已关闭的公示": 1, "转为最终的积分": 1}
    assert Publication.objects.get(pk=publication.pk).closed_at is not None
    assert balance(zhang).score == 57
    # the next day's run closes nothing more
    again = services.close_due(today=dt.date(2026, 11, 30))
    assert again == 0 and balance(zhang).score == 57
