"""Helpers of the development tests: one applicant's standard path, step by step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas, valid_id_number
from dangjian.development import rules, services
from dangjian.development.choices import StepKind as K
from dangjian.development.models import Case, DevelopmentRules, RuleAdoption, Step

TODAY = dt.date(2026, 12, 1)
D = dt.date
APPLIED = dt.date(2024, 1, 10)
BIRTH = dt.date(2000, 5, 1)
LONG_AGO = dt.date(2020, 1, 1)

#: the standard path under the 2014 rules: (kind, date, by the committee above?, extra fields)
PATH: list[tuple[str, dt.date, dict[str, Any]]] = [
    (K.TALK, D(2024, 1, 20), {}),
    (K.ACTIVIST, D(2024, 3, 1), {}),
    (K.ACTIVIST_FILING, D(2024, 3, 5), {}),
    (K.CONTACTS, D(2024, 3, 10), {"members": "full"}),
    (K.ASSESSMENT, D(2024, 9, 1), {}),
    (K.CANDIDATE, D(2025, 3, 1), {}),
    (K.PUBLICITY, D(2025, 3, 2), {}),
    (K.CANDIDATE_CONSENT, D(2025, 3, 12), {"passed": True}),
    (K.INTRODUCERS, D(2025, 3, 13), {"members": "full"}),
    (K.POLITICAL_REVIEW, D(2025, 3, 20), {"passed": True}),
    (K.TRAINING, D(2025, 4, 1), {"training_days": Decimal("3")}),
    (K.COMMITTEE_REVIEW, D(2025, 4, 10), {}),
    (K.PRE_REVIEW, D(2025, 4, 15), {"passed": True}),
    (K.ADMISSION_MEETING, D(2025, 5, 10), {"should_attend": 2, "present": 2, "yes_votes": 2, "secret_ballot": True}),
    (K.HIGHER_TALK, D(2025, 5, 20), {}),
    (K.APPROVAL, D(2025, 6, 10), {"passed": True}),
    (K.OATH, D(2025, 6, 15), {}),
    (K.CONVERSION_APPLICATION, D(2026, 4, 20), {}),
    (K.CONVERSION_MEETING, D(2026, 5, 10), {"should_attend": 2, "present": 2, "yes_votes": 2, "secret_ballot": True,
                                            "outcome": "convert"}),
    (K.CONVERSION_APPROVAL, D(2026, 6, 1), {"passed": True}),
]


def actor_for(p: Personas, kind: str) -> Any:
    return p.user("c1_staff") if kind in rules.HIGHER_STEPS else p.user("officer_b1")


def open_case(p: Personas, *, applied_on: dt.date = APPLIED, birth: dt.date = BIRTH,
              org: Any = None, name: str = "申请人") -> Case:
    actor = p.user("officer_b1") if org is None else p.user("c1_staff")
    with acting_as(actor):
        return services.open_case(actor=actor, org=org or p.b1, name=name, gender="M", ethnicity="汉族",
                                  birth_date=birth, id_number=valid_id_number(birth, "M"), personnel_type="auxiliary",
                                  applied_on=applied_on, today=TODAY)


def entry(p: Personas, kind: str, on: dt.date, extra: dict[str, Any]) -> rules.StepInput:
    values = dict(extra)
    if values.get("members") == "full":
        values["members"] = [p.members["m_b1"], p.members["m_b1_2"]]
    return rules.StepInput(kind=kind, on=on, decided_by="党支部委员会", **values)


def record(p: Personas, case: Case, kind: str, on: dt.date, **extra: Any) -> Step:
    actor = actor_for(p, kind)
    with acting_as(actor):
        return services.record_step(actor=actor, case=case, data=entry(p, kind, on, extra), today=TODAY)


def walk(p: Personas, case: Case, *, until: str | None = None, since: str | None = None,
         skip: tuple[str, ...] = (), change: dict[str, dict[str, Any]] | None = None) -> Case:
    """Record the standard path from ``since`` up to (not including) ``until``."""
    change = change or {}
    started = since is None
    for kind, on, extra in PATH:
        started = started or kind == since
        if not started:
            continue
        if kind == until:
            break
        if kind in skip:
            continue
        values = {**extra, **change.get(kind, {})}
        on = values.pop("on", on)
        record(p, case, kind, on, **values)
    case.refresh_from_db()
    return case


def adopt_2026(p: Personas, since: dt.date = LONG_AGO) -> None:
    with acting_as(p.user("root_staff")):
        RuleAdoption(org=p.c1, rules=DevelopmentRules.objects.get(code="2026.05"), adopted_from=since).save()


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas
