"""``core.bulk.insert`` stores what ``bulk_create`` stores, and gives each object its own key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core.bulk import insert
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.members.models import Member, id_number_index

pytestmark = pytest.mark.django_db


def _members(personas: Personas, n: int, start: int) -> list[Member]:
    rows = []
    for i in range(n):
        birth = dt.date(1980 + i % 20, 1 + i % 12, 1 + i % 28)
        rows.append(Member(name=f"批量党员{start + i}", gender="M" if i % 2 else "F", birth_date=birth,
                           id_number=valid_id_number(birth, "M" if i % 2 else "F", seq=None),
                           police_number=f"B{start + i:06d}", personnel_type="police",
                           joined_party_on=dt.date(2010, 7, 1), full_member_on=None if i % 3 else dt.date(2011, 7, 1),
                           status="full", org=personas.b1))
        rows[-1].prepare_name()
        rows[-1].id_number_index = id_number_index(rows[-1].id_number)
    return rows


def _stored(member: Member) -> dict[str, object]:
    return {f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields
            if f.attname not in {"id", "created_at", "updated_at"}}


def test_rows_read_back_as_written_with_their_own_keys(personas: Personas) -> None:
    rows = _members(personas, 120, 1000)  # more rows than one SQLite batch of this many columns
    insert(rows)
    assert all(r.pk is not None and not r._state.adding for r in rows)
    assert len({r.pk for r in rows}) == 120
    for row in rows:
        back = Member.objects.get(pk=row.pk)
        assert back.police_number == row.police_number  # the key returned is this row's
        assert _stored(back) == _stored(row)  # the encrypted ID number, dates, nulls, the branch


def test_the_same_columns_as_bulk_create(personas: Personas) -> None:
    ours, theirs = _members(personas, 3, 2000), _members(personas, 3, 3000)
    insert(ours)
    Member.objects.bulk_create(theirs)
    for a, b in zip(ours, theirs, strict=True):
        left, right = _stored(Member.objects.get(pk=a.pk)), _stored(Member.objects.get(pk=b.pk))
        differ = {k for k in left if left[k] != right[k]}
        assert differ <= {"name", "id_number", "id_number_index", "police_number", "name_initials", "name_pinyin"}


def test_json_datetimes_and_rows_without_returned_keys(personas: Personas) -> None:
    at = timezone.now().replace(microsecond=123456)
    entries = [AuditEntry(at=at, event="create", object_type="x.y", object_id=str(i), object_repr="行",
                          changes={"金额": ["1.00", "2.50"], "n": i, "list": [1, None, True]}, prev_hash="",
                          hash=f"{i:064d}", success=bool(i % 2), source="command")
               for i in range(5)]
    before = AuditEntry.objects.count()
    insert(entries, returning=False)
    stored = list(AuditEntry.objects.order_by("-id")[:5])[::-1]
    assert AuditEntry.objects.count() == before + 5
    assert [e.changes for e in stored] == [e.changes for e in entries]
    assert {e.at for e in stored} == {at}
    assert [e.success for e in stored] == [False, True, False, True, False]


def test_a_failing_batch_writes_nothing(personas: Personas) -> None:
    rows = _members(personas, 4, 4000)
    rows[3].police_number = rows[0].police_number  # 警号 is unique
    count = Member.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(rows)
    assert Member.objects.count() == count
