"""Property: after any sequence of awards, reversals, capped awards, rejections and objections, the
balance table equals the ledger: ledger = sum of final entries, pending = sum of pending ones,
score = max(floor, base + ledger), for every member."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import build_personas
from dangjian.points import services
from dangjian.points.choices import EntryStatus
from dangjian.points.models import Objection, PointBalance, PointEntry, PointRule, Publication

STEPS = st.lists(st.tuples(st.sampled_from(["award", "award", "reverse", "reject", "object", "publish"]),
                           st.integers(0, 1), st.sampled_from(["training", "study_months", "commendation",
                                                               "commitment_unkept"]), st.integers(1, 6)),
                 min_size=4, max_size=18)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_balance_table_equals_the_ledger(db: Any, steps: list[tuple[str, int, str, int]]) -> None:
    from django.db import transaction

    with transaction.atomic():
        p = build_personas()
        officer, staff = p.user("officer_b1"), p.user("c1_staff")
        members = [p.members["m_b1"], p.members["m_b1_2"]]
        today = dt.date(2026, 9, 1)
        for action, who, code, month in steps:
            member = members[who]
            try:
                with acting_as(officer, reason="property"):
                    if action == "award":
                        entry = services.record(actor=officer, member=member, rule=PointRule.objects.get(year=2026, code=code),
                                                day=dt.date(2026, month, 3), note="x")
                        entry = services.confirm(actor=officer, entry=entry, accept=True, note="纸质签字")
                        if entry.status == "confirmed":
                            services.approve(actor=staff, entry=entry, accept=True)
                    elif action == "publish":
                        pub = Publication.objects.filter(org=p.b1, month=dt.date(2026, month, 1)).first() or \
                            services.publish(actor=officer, org=p.b1, month=dt.date(2026, month, 1), today=today)
                        services.close(actor=officer, publication=pub, today=today + dt.timedelta(days=10))
                    elif action == "reverse":
                        done = PointEntry.objects.filter(member=member, status="final", live=True).first()
                        if done:
                            services.reverse(actor=officer, entry=done, reason="更正")
                    elif action == "reject":
                        waiting = PointEntry.objects.filter(member=member, status="confirmed").first()
                        if waiting:
                            services.approve(actor=staff, entry=waiting, accept=False, note="不符合")
                    else:
                        shown = PointEntry.objects.filter(member=member, status="published").first()
                        if shown:
                            row = Objection(entry=shown, member=member, reason="异议")  # a member's objection
                            row.save()
                            services.answer(actor=officer, objection=row, upheld=bool(month % 2), text="答复",
                                            today=today)
            except RuleError:
                pass
        for member in members:
            balance = PointBalance.objects.filter(member=member, year=2026).first()
            rows = PointEntry.objects.filter(member=member, year=2026)
            final = rows.filter(status=EntryStatus.FINAL).aggregate(s=Sum("points"))["s"] or 0
            pending = rows.filter(status__in=EntryStatus.pending()).aggregate(s=Sum("points"))["s"] or 0
            if balance is None:
                assert final == pending == 0
                continue
            assert (balance.ledger, balance.pending, balance.score) == (final, pending, max(0, 60 + final))
        transaction.set_rollback(True)
