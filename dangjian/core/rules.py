"""Rules as data: the base of every rules table and its one "in force" lookup.

A rules table holds rows that take effect from a year (organization rules, meeting settings,
meeting requirements) or a date (dues standards). Editing next year's row never changes what
earlier years were judged against, and a result keeps the row it was computed with. What is in
force at a moment is decided here once:

- the latest row effective on or before it;
- before the first row, the first row (``first_row_applies_before = True``: a table seeded for
  2026 also answers for 2025) — or nothing, for tables whose first row is a real start date
  (the dues standard of 2008 says nothing about 2007).

The lookup is on the database (:meth:`RulesTable.in_force`) and, for code that loaded every row
once, in memory (:meth:`RulesTable.pick`): both follow the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from dangjian.core.models import ScopedModel

K = TypeVar("K")
R = TypeVar("R", bound="RulesTable")


def in_force_key(keys: Iterable[K], at: K, *, first_applies_before: bool = True) -> K | None:
    """Of the effective moments ``keys``, the one in force at ``at``: the latest not after it,
    else the earliest (when ``first_applies_before``), else ``None``."""
    ordered = sorted(set(keys))  # type: ignore[type-var]
    earlier = [k for k in ordered if k <= at]  # type: ignore[operator]
    if earlier:
        return earlier[-1]
    return ordered[0] if ordered and first_applies_before else None


class RulesTable(ScopedModel):
    """Base of a rules table: global configuration rows, edited by committee staff (``config``).

    A subclass names the field its rows take effect from (``effective_field``: a year or a
    date field it declares itself) and whether its first row also covers the time before it.
    Several rows may share one effective moment (a year's meeting requirements, one per kind):
    :meth:`rows_in_force` returns that set.
    """

    scope_area = "config"
    scope_path = None

    effective_field: ClassVar[str] = "year"
    first_row_applies_before: ClassVar[bool] = True

    class Meta:
        abstract = True

    @classmethod
    def effective_in_force(cls, at: Any) -> Any:
        """The effective year or date in force at ``at`` (``None``: no row applies)."""
        field = cls.effective_field
        rows = cls._default_manager.all()
        latest = rows.filter(**{f"{field}__lte": at}).order_by(f"-{field}").values_list(field, flat=True).first()
        if latest is None and cls.first_row_applies_before:
            latest = rows.order_by(field).values_list(field, flat=True).first()
        return latest

    @classmethod
    def in_force(cls: type[R], at: Any) -> R | None:
        """The row in force at ``at`` (a year or a date, as the table counts), or ``None``."""
        field = cls.effective_field
        rows = cls._default_manager.all()
        row = rows.filter(**{f"{field}__lte": at}).order_by(f"-{field}").first()
        if row is None and cls.first_row_applies_before:
            row = rows.order_by(field).first()
        return row

    @classmethod
    def rows_in_force(cls, at: Any, queryset: Any = None) -> Any:
        """Every row of the set in force at ``at`` (the rows sharing that effective moment)."""
        queryset = cls._default_manager.all() if queryset is None else queryset
        key = cls.effective_in_force(at)
        return queryset.none() if key is None else queryset.filter(**{cls.effective_field: key})

    @classmethod
    def pick(cls, keys: Iterable[K], at: K) -> K | None:
        """The in-memory :meth:`in_force`: of preloaded effective moments, the one in force."""
        return in_force_key(keys, at, first_applies_before=cls.first_row_applies_before)
