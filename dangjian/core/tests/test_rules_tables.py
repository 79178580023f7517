"""The one "in force" lookup of rules tables (core/rules.py), on the real tables that use it:
organization rules and meeting settings by year (the first row also answers for earlier
years), meeting requirements as a per-year set, dues standards by date (nothing before the first)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.context import acting_as
from dangjian.core.rules import in_force_key
from dangjian.dues import rules as dues_rules
from dangjian.dues.models import DuesStandard
from dangjian.meetings.models import MeetingRequirement, MeetingRules
from dangjian.meetings.rules import RuleBook
from dangjian.orgs.models import OrgRules

years = st.integers(min_value=2000, max_value=2040)


@given(st.sets(years, max_size=6), years, st.booleans())
def test_the_key_in_force_is_the_latest_not_after_the_moment(keys: set[int], at: int, first_before: bool) -> None:
    chosen = in_force_key(keys, at, first_applies_before=first_before)
    earlier = [k for k in keys if k <= at]
    if earlier:
        assert chosen == max(earlier)
    else:
        assert chosen == (min(keys) if keys and first_before else None)


@pytest.mark.django_db
def test_yearly_rules_in_force() -> None:
    seeded = OrgRules.objects.get(year=2026)  # the seed row, DOMAIN.md 2.3 / 2.4
    assert (seeded.term_years_committee, seeded.term_years_branch) == (5, 3)
    with acting_as(None, reason="test rules"):
        later = OrgRules.objects.create(year=2029, term_years_branch=4)
    assert OrgRules.in_force(2026) == seeded and OrgRules.in_force(2028) == seeded
    assert OrgRules.in_force(2029) == later and OrgRules.for_year(2035) == later
    assert OrgRules.for_year(2020) == seeded  # before the first row, the first row
    assert OrgRules.for_year(2029).term_years("branch") == 4 and OrgRules.for_year(2029).term_years("committee") == 5
    assert MeetingRules.for_year(2027).year == MeetingRules.objects.order_by("year").first().year  # type: ignore[union-attr]
    with acting_as(None, reason="test rules"):
        OrgRules.objects.all().delete()
    unsaved = OrgRules.for_year(2026)
    assert unsaved.pk is None and unsaved.term_years("committee") == 5  # no row: the model defaults


@pytest.mark.django_db
def test_requirements_in_force_as_a_set_per_year_match_the_rule_book() -> None:
    seeded_year = MeetingRequirement.objects.order_by("year").values_list("year", flat=True).first()
    assert seeded_year is not None
    next_year = MeetingRequirement.objects.filter(year=seeded_year).first()
    assert next_year is not None
    with acting_as(None, reason="test rules"):
        MeetingRequirement.objects.create(year=seeded_year + 3, kind=next_year.kind, org_kinds="branch",
                                          frequency="quarter", times=2)
    book = RuleBook()
    for year in (seeded_year - 1, seeded_year, seeded_year + 2, seeded_year + 3, seeded_year + 10):
        in_db = set(MeetingRequirement.rows_in_force(year).values_list("pk", flat=True))
        assert in_db == {r.pk for r in book.requirements(year)}, year
    assert MeetingRequirement.rows_in_force(seeded_year + 3).count() == 1  # the new year's set replaces the old


@pytest.mark.django_db
def test_a_dues_standard_applies_from_its_date_and_not_before() -> None:
    first = DuesStandard.objects.get(code="2008")
    assert DuesStandard.in_force(dt.date(2008, 4, 1)) == first
    assert DuesStandard.in_force(dt.date(2008, 3, 31)) is None
    with acting_as(None, reason="test rules"):
        own = DuesStandard.objects.create(code="2027-bureau", name="本局党费收缴办法", effective_from=dt.date(2027, 1, 1))
    assert dues_rules.standard_in_force(dt.date(2026, 12, 31)) == first
    assert dues_rules.standard_in_force(dt.date(2027, 1, 1)) == own
    with pytest.raises(Exception, match="收缴标准"):  # the dues rule error: "no dues standard set yet"
        dues_rules.standard_in_force(dt.date(2000, 1, 1))
