"""Stored obligations (issue 20 item 1): after every kind of change the stored rows equal what
the engine derives from scratch, and the readers answer as the engine does."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings import rules, signals, stored
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, MeetingRequirement, MeetingRules, Obligation
from dangjian.meetings.tests.factories import at, make_meeting
from dangjian.meetings.tests.test_rules import CASES, Case
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db

YEAR = 2026


def stored_keys(year: int) -> list[tuple[Any, ...]]:
    return sorted(stored._key(r)[:8] + (stored._key(r)[8:],) for r in Obligation.objects.filter(year=year))


def derived_keys(year: int) -> list[tuple[Any, ...]]:
    return sorted(stored._key(r)[:8] + (stored._key(r)[8:],) for r in stored.derived_rows(year))


def assert_in_step() -> None:
    for year in stored.stored_years():
        assert stored_keys(year) == derived_keys(year), f"stored obligations of {year} drifted"


def test_the_migration_stores_last_this_and_next_year() -> None:
    today = timezone.localdate()
    assert stored.stored_years() == [today.year - 1, today.year, today.year + 1]


def test_the_stored_rows_equal_the_engine_after_the_personas(personas: Personas) -> None:
    assert Obligation.objects.filter(year=YEAR).exists()
    assert_in_step()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_compliance_cases_hold_on_the_stored_rows(personas: Personas, case: Case) -> None:
    """test_rules' table, read from the stored rows instead of derived."""
    org = case.setup(personas)
    items = stored.obligations(None, case.start, case.end, today=case.today, paths=[org.path])
    got = {o.period.key: str(o.status) for o in items if o.org_id == org.pk and o.kind.code == case.code}
    assert got == case.expected


def test_the_reader_answers_what_the_engine_answers(personas: Personas) -> None:
    make_meeting(personas.b1, "party_lecture", at(YEAR, 2, 10))
    make_meeting(personas.b1, "themed_party_day", at(YEAR, 3, 10), present=0)
    for today in (dt.date(YEAR, 3, 1), dt.date(YEAR, 12, 31), dt.date(YEAR + 1, 2, 1)):
        def view(items: list[rules.Obligation]) -> list[tuple[Any, ...]]:
            return sorted((o.org_id, o.requirement.pk, o.period.key, str(o.status), o.due_soon, o.remind_on,
                           [m.id for m in o.meetings], [m.id for m in o.without_quorum]) for o in items)
        start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        assert view(stored.obligations(personas.root, start, end, today=today)) == \
            view(rules.obligations(personas.root, start, end, today=today))


def test_a_requirement_changed_recomputes_its_years(personas: Personas) -> None:
    req = MeetingRequirement.objects.get(year__lte=YEAR, kind__code="themed_party_day")
    req.due_days_before_end = 5
    req.save()
    assert_in_step()
    assert all(o.due_on.day <= 26 for o in stored.obligations(personas.b1, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
               if o.kind.code == "themed_party_day")


def test_a_rolled_back_change_leaves_the_rows_as_they_were(personas: Personas) -> None:
    before = stored_keys(YEAR)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_meeting(personas.b1, "party_lecture", at(YEAR, 5, 10))
        assert stored_keys(YEAR) != before
        raise RuntimeError
    assert stored_keys(YEAR) == before


def test_the_rebuild_job_and_command(personas: Personas) -> None:
    from django.core.management import call_command

    from dangjian.core import jobs
    from dangjian.meetings.jobs import rebuild_obligations

    Obligation.objects.filter(year=YEAR).delete()
    call_command("rebuild_obligations", "--year", str(YEAR))
    assert_in_step()
    Obligation.objects.filter(year=YEAR).update(done=True)
    row = jobs.start(rebuild_obligations, actor=personas.user("sysadmin"), params={"years": [YEAR]})
    row.refresh_from_db()
    assert row.status == "succeeded", row.result
    assert_in_step()


def _change(rng: random.Random, p: Personas, step: int) -> None:
    """One random change among those the stored rows follow."""
    orgs = list(Organization.objects.filter(kind__in=["branch", "group", "committee"], is_active=True))
    org = rng.choice(orgs)
    what = rng.randrange(10)
    day = at(YEAR, rng.randint(1, 12), rng.randint(1, 28))
    if what <= 2:  # a meeting (confirmed, or planned, or with too few present)
        code = rng.choice(["themed_party_day", "party_lecture", "branch_committee", "group_meeting",
                           "branch_general_meeting", "org_life_meeting", "democratic_life_meeting"])
        make_meeting(org, code, day, status=rng.choice([MeetingStatus.CONFIRMED, MeetingStatus.CONFIRMED,
                                                        MeetingStatus.PLANNED]),
                     present=rng.choice([None, 0, 1]))
        return
    meetings = list(Meeting.objects.order_by("pk"))
    if what == 3 and meetings:  # cancelled, moved in time or to another kind of day
        meeting = rng.choice(meetings)
        if rng.random() < 0.5:
            meeting.status = MeetingStatus.CANCELLED
        else:
            meeting.starts_at, meeting.ends_at = day, day + dt.timedelta(hours=2)
        meeting.save()
    elif what == 4 and meetings:  # an attendance amended on a (maybe confirmed) meeting
        rows = list(Attendance.objects.filter(meeting=rng.choice(meetings)).select_related("meeting"))
        if rows:
            row = rng.choice(rows)
            row.status = rng.choice([AttendanceStatus.PRESENT, AttendanceStatus.ABSENT])
            with transaction.atomic():
                row.save()
                signals.attendance_recorded.send(actor=None, evidence=row)
    elif what == 5:  # founded, refounded or dissolved
        branch = Organization.objects.get(pk=org.pk)
        choice = rng.randrange(3)
        if choice == 0:
            parent = Organization.objects.get(pk=rng.choice([p.c1.pk, p.c2.pk]))
            new = Organization.objects.add_child(parent, {"name": f"新支部{step}", "code": f"N{step}", "kind": "branch",
                                                         "founded_on": dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))})
            make_member(Organization.objects.get(pk=new.pk))
        elif choice == 1:
            branch.founded_on = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            branch.save()
        elif branch.pk not in {p.root.pk, p.c1.pk, p.c2.pk, p.b1.pk}:
            branch.is_active = False
            branch.save()
    elif what == 6:  # moved to the other committee (nothing owed changes)
        branch = Organization.objects.get(pk=org.pk)
        if branch.kind == "branch":
            target = Organization.objects.get(pk=p.c2.pk if branch.path.startswith(p.c1.path) else p.c1.pk)
            Organization.objects.move(branch, target, pos="last-child")
    elif what == 7:  # a committee post taken up or ended
        posts = list(CommitteePost.objects.all())
        if posts and rng.random() < 0.5:
            post = rng.choice(posts)
            post.ended_on = dt.date(YEAR, rng.randint(1, 12), 1)
            post.save()
        else:
            member = make_member(org) if org.kind == "branch" else None
            if member is not None:
                CommitteePost.objects.create(org=org, member=member, post=rng.choice(["secretary", "organization",
                                                                                     "propaganda"]),
                                             started_on=dt.date(YEAR, rng.randint(1, 12), 1))
    elif what == 8:  # a member's status (quorums counting full members)
        members = list(Member.objects.order_by("pk"))
        member = rng.choice(members)
        member.status = rng.choice(["full", "probationary"])
        member.save()
    else:  # the year's rules
        if rng.random() < 0.5:
            req = rng.choice(list(MeetingRequirement.objects.all()))
            req.times = rng.choice([1, 2])
            req.save()
        else:
            rules_row = MeetingRules.objects.filter(year__lte=YEAR).order_by("-year").first()
            if rules_row is not None:
                rules_row.owe_from_first_full_month = not rules_row.owe_from_first_full_month
                rules_row.save()


def test_a_random_sequence_of_changes_keeps_the_rows_equal_to_a_recomputation(personas: Personas) -> None:
    """Property: 200 seeded random changes of every kind the rows follow; after every 20th (and at
    the end) the stored rows equal the engine's full recomputation."""
    rng = random.Random(20)
    for step in range(200):
        _change(rng, personas, step)
        if step % 20 == 19:
            assert_in_step()
    assert_in_step()
