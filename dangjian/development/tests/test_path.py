"""The whole path through the service: application to full membership, member, dues and events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core.errors import RuleError
from dangjian.core.events import Timing
from dangjian.development import signals
from dangjian.development.choices import Stage
from dangjian.development.choices import StepKind as K
from dangjian.development.tests.conftest import D, open_case, record, walk

pytestmark = pytest.mark.django_db


def test_full_path_makes_a_probationary_then_a_full_member(p: Any) -> None:
    reached: list[str] = []
    converted: list[Any] = []

    def on_stage(occurrence: Any) -> None:
        reached.append(occurrence["stage"])

    def on_convert(occurrence: Any) -> None:
        converted.append((occurrence.evidence.pk, occurrence["full_member_on"]))

    with signals.stage_reached.subscribed(on_stage, timing=Timing.DERIVE), \
            signals.member_converted.subscribed(on_convert, timing=Timing.DERIVE):
        case = open_case(p)
        case = walk(p, case, until=K.CONVERSION_APPLICATION)
        assert case.stage == Stage.PROBATIONARY and case.probation_ends_on == D(2026, 5, 10)
        member = case.member
        assert member is not None
        assert member.status == "probationary" and member.joined_party_on == D(2025, 5, 10)
        assert member.full_member_on is None and member.org_id == p.b1.pk
        case = walk(p, case, since=K.CONVERSION_APPLICATION)
    member.refresh_from_db()
    case.refresh_from_db()
    assert case.stage == Stage.FULL
    assert member.status == "full" and member.full_member_on == D(2026, 5, 10)
    assert reached == ["applicant", "activist", "candidate", "probationary", "full"]
    assert converted == [(member.pk, D(2026, 5, 10))]


def test_steps_out_of_order_are_refused_with_what_to_do(p: Any) -> None:
    case = open_case(p)
    with pytest.raises(RuleError) as exc:
        record(p, case, K.CANDIDATE, D(2025, 3, 1))
    assert exc.value.field == "kind"
    record(p, case, K.ACTIVIST, D(2024, 3, 1))
    with pytest.raises(RuleError, match="不能早于“确定为入党积极分子”"):
        record(p, case, K.ACTIVIST_FILING, D(2024, 2, 1))


def test_the_branch_cannot_record_the_higher_committees_decision(p: Any) -> None:
    from dangjian.core.context import acting_as
    from dangjian.development import services
    from dangjian.development.rules import StepInput

    case = walk(p, open_case(p), until=K.ACTIVIST_FILING)
    officer = p.user("officer_b1")
    with acting_as(officer), pytest.raises(RuleError, match="上一级党委"):
        services.record_step(actor=officer, case=case, data=StepInput(kind=K.ACTIVIST_FILING, on=D(2024, 3, 5),
                                                                       decided_by="x"), today=dt.date(2026, 12, 1))
