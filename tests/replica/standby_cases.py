"""The read path against a real hot standby (docs/replica.md). Run by test_hot_standby.py in a
pytest of its own, with DATABASE_URL on the pair's primary and DATABASE_REPLICA_URL on its
standby (scripts/pg-replica); standalone:

    eval "$(scripts/pg-replica ensure | tail -2 | sed 's/^/export /')"
    .venv/bin/pytest tests/replica/standby_cases.py

Every test commits (a transactional database): a row is on the standby only once the
primary's transaction committed and the standby replayed it. Replay is paused, the standby
stopped and its lag raised through the same script an operator uses."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from dangjian.core import replica
from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas, build_personas, make_member, valid_id_number
from dangjian.members.models import Member

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-replica"
FIGURE = "members_composition"


def pair(command: str) -> str:
    """scripts/pg-replica COMMAND on the pair the environment names (PG_REPLICA_PRIMARY/STANDBY)."""
    done = subprocess.run([str(SCRIPT), command], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"scripts/pg-replica {command}: {done.stdout}{done.stderr}"
    return done.stdout


def wait_replayed(timeout: float = 20) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        assert time.monotonic() < deadline, f"the standby did not replay up to {lsn}"
        time.sleep(0.05)


@pytest.fixture
def standby(live_db: None) -> Iterator[None]:
    """The real pair, streaming and replaying; put back so after each test."""
    assert replica.configured(), "DATABASE_REPLICA_URL is not set: run through tests/replica/test_hot_standby.py"
    assert settings.DATABASES[replica.REPLICA]["PORT"] != settings.DATABASES["default"]["PORT"]
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True, "the replica alias is not a hot standby"
    replica.health.reset()
    yield
    pair("ensure")  # started again, replay resumed
    connections[replica.REPLICA].close()
    replica.health.reset()


@pytest.fixture
def city(standby: None) -> Personas:
    p = build_personas()
    wait_replayed()
    return p


def login(name: str) -> Client:
    """A logged-in client that has not written since (logging in is a write: its pin is let go,
    as if the pin window had passed)."""
    from dangjian.core.testing.personas import PASSWORD, finish_login

    client = Client()
    response = finish_login(client, client.post("/accounts/login/", {"username": name, "password": PASSWORD}), name)
    assert response.status_code == 302
    client.cookies.pop(replica.cookie_name(), None)
    return client


def members_on_roll(client: Client, org: Any) -> int:
    response = client.get(reverse("dashboard:index"), {"org": org.pk})
    assert response.status_code == 200
    [shown] = [s for s in response.context["shown"] if s.figure.key == FIGURE]
    return int(shown.data.headline[0].value)


def queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def member_reads(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'FROM "members_member"' in q["sql"]]


def add_member(client: Client, p: Personas, police_number: str) -> None:
    birth = dt.date(1990, 3, 9)
    response = client.post("/members/add/", {
        "name": "孙七", "gender": "M", "ethnicity": "汉族", "birth_date": birth.isoformat(),
        "id_number": valid_id_number(birth, "M", seq=int(police_number[-3:])), "police_number": police_number,
        "personnel_type": "police", "joined_party_on": "2014-07-01", "full_member_on": "2015-07-01",
        "status": "full", "org": p.b1.pk})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_dashboard_reads_from_the_standby_and_the_writer_reads_its_own_write(city: Personas) -> None:
    writer, other = login("c1_staff"), login("root_staff")
    before = members_on_roll(other, city.c1)
    assert before == members_on_roll(writer, city.c1) == 3  # 张三 李四 王五

    pair("pause")
    add_member(writer, city, "P990101")
    assert replica.cookie_name() in writer.cookies  # the write pinned the writer's browser

    with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
        seen_by_other = members_on_roll(other, city.c1)
    assert seen_by_other == before  # the standby has not replayed the new member
    assert member_reads(on_replica) and not member_reads(on_primary)

    with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
        seen_by_writer = members_on_roll(writer, city.c1)
    assert seen_by_writer == before + 1  # read-your-writes: the primary, replica paused or not
    assert member_reads(on_primary) and not member_reads(on_replica)

    pair("resume")
    wait_replayed()
    # the figure the writer's request computed on the primary is preferred to the standby's
    # (cached) one from now on; replayed, the standby has the member too
    assert members_on_roll(other, city.c1) == before + 1
    cache.clear()
    with queries_on(replica.REPLICA) as on_replica:
        assert members_on_roll(other, city.c1) == before + 1
    assert member_reads(on_replica)


def test_reports_and_exports_read_from_the_standby(city: Personas) -> None:
    other = login("root_staff")
    with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
        sheet = other.get(reverse("dashboard:figure_xlsx", args=[FIGURE]), {"org": city.c1.pk})
        report = other.get(reverse("dashboard:report_file", args=["statistics", "xlsx"]), {"org": city.c1.pk})
    assert sheet.status_code == report.status_code == 200
    assert len(member_reads(on_replica)) >= 2 and not member_reads(on_primary)
    # each export's audit entry is written on the primary (and pins nobody: it changes no figure)
    assert sum(q["sql"].startswith('INSERT INTO "core_auditentry"') for q in on_primary.captured_queries) == 2
    assert not any(q["sql"].startswith("INSERT") for q in on_replica.captured_queries)
    assert replica.cookie_name() not in other.cookies


def test_other_pages_and_writes_never_touch_the_standby(city: Personas) -> None:
    other = login("root_staff")
    with queries_on(replica.REPLICA) as on_replica:
        assert other.get("/members/").status_code == 200
    assert on_replica.captured_queries == []

    # inside a replica-routed request: plain reads go to the standby; reads in transaction.atomic,
    # select_for_update and every read after the request's first write go to the primary
    token = replica._current.set(replica._Request(pinned=False, route=replica.REPLICA))
    try:
        with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
            Member.objects.count()
        assert len(on_replica.captured_queries) == 1 and not on_primary.captured_queries
        with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
            with transaction.atomic():
                Member.objects.count()
                list(Member.objects.select_for_update().filter(pk=city.members["m_b1"].pk))
        assert not on_replica.captured_queries and len(on_primary.captured_queries) >= 2
        with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
            assert Member.objects.select_for_update().filter(pk=-1).db == "default"
            with acting_as(None, reason="replica test"):
                make_member(city.b1, name="周八")
            Member.objects.count()
        assert not on_replica.captured_queries
    finally:
        replica._current.reset(token)


def test_a_stopped_standby_answers_from_the_primary(city: Personas) -> None:
    other = login("root_staff")
    before = members_on_roll(other, city.c1)
    # stopped between the lag check and the view's queries: the view is answered again on the primary
    lasting = settings.DANGJIAN | {"REPLICA": settings.DANGJIAN["REPLICA"] | {"CHECK_SECONDS": 3600}}
    with override_settings(DANGJIAN=lasting):
        replica.health.reset()
        assert replica.replica_usable()
        with acting_as(None, reason="replica test"):
            make_member(city.b1, name="周八")
        pair("stop-standby")
        cache.clear()
        with queries_on("default") as on_primary:
            assert members_on_roll(other, city.c1) == before + 1
        assert member_reads(on_primary)
    # and the next requests do not try it again for DOWN_SECONDS: still 200 from the primary
    for _ in range(3):
        cache.clear()
        response = other.get(reverse("dashboard:index"), {"org": city.c1.pk})
        assert response.status_code == 200
    assert not replica.health.usable
    # once DOWN_SECONDS have passed the standby is checked again (down: the primary, no error)
    replica.health.reset()
    cache.clear()
    assert members_on_roll(other, city.c1) == before + 1
    assert other.get(reverse("dashboard:report_file", args=["statistics", "xlsx"]),
                     {"org": city.c1.pk}).status_code == 200


def test_a_lagging_standby_is_not_read(city: Personas) -> None:
    other = login("root_staff")
    before = members_on_roll(other, city.c1)
    impatient = settings.DANGJIAN | {"REPLICA": settings.DANGJIAN["REPLICA"] | {"MAX_LAG_SECONDS": 0.5}}
    with override_settings(DANGJIAN=impatient):
        pair("pause")
        with acting_as(None, reason="replica test"):  # another user's write, straight to the primary
            make_member(city.b1, name="周八")
        deadline = time.monotonic() + 20
        while float(pair("lag")) <= 1.0:
            assert time.monotonic() < deadline, "the paused standby's lag did not grow"
            time.sleep(0.2)
        replica.health.reset()
        cache.clear()
        with queries_on(replica.REPLICA) as on_replica, queries_on("default") as on_primary:
            assert members_on_roll(other, city.c1) == before + 1  # the primary: not the stale standby
        assert member_reads(on_primary) and not member_reads(on_replica)
        assert [q["sql"] for q in on_replica.captured_queries] == [replica.LAG_SQL]
        assert replica.health.lag is not None and replica.health.lag > 0.5
        # caught up again: the standby is read
        pair("resume")
        wait_replayed()
        replica.health.reset()
        cache.clear()
        with queries_on(replica.REPLICA) as on_replica:
            assert members_on_roll(other, city.c1) == before + 1
        assert member_reads(on_replica)


def test_the_pair_is_the_scripts(city: Personas) -> None:
    """The URLs the script prints are the ones this run uses (so CI exercises the script)."""
    urls = dict(line.split("=", 1) for line in pair("urls").split())
    primary, standby = settings.DATABASES["default"], settings.DATABASES[replica.REPLICA]
    assert urls["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0] == str(primary["PORT"])
    assert urls["DATABASE_REPLICA_URL"].rsplit(":", 1)[1].split("/")[0] == str(standby["PORT"])
    assert os.environ["DATABASE_REPLICA_URL"] == urls["DATABASE_REPLICA_URL"]
