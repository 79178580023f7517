"""Dashboard figures (数据看板): what a module declares so the dashboard can show a number of any
subtree, open it into the list that makes it up and export it (issue 18 item 4).

A module lists its figures in ``declarations.py`` (``dashboard=(DashboardFigure(...), ...)``);
the dashboard app composes them and core never names a module. ``compute(subtree)`` returns a
:class:`FigureData`: aggregate SQL over the organization path index (``org__path__startswith``),
a constant number of queries whatever the number of organizations. Each item carries the URL of
the scoped list whose row count is that number (``drill``), so a leader can go from any number
to the people and records behind it.

``depends`` names the models (``"app_label.modelname"``) whose writes change the figure: the
dashboard bumps the figure's cache version when one of them is saved or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Subtree:
    """The organization a dashboard is drawn for and the day it is drawn on."""

    org_id: int
    path: str
    name: str
    kind: str
    today: dt.date

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def filterable(self) -> bool:
        """Whether the lists' ``within`` filter takes this organization (committees and general
        branches; a branch is reached through the user's own scope, see SubtreeFilter)."""
        return self.kind in ("committee", "general_branch")


@dataclass(frozen=True)
class FigureItem:
    """One number of a figure: its label, its value and the list it opens into."""

    label: str
    value: int | Decimal | float
    url: str = ""
    #: a secondary value shown beside the first (an amount beside a count, a rate beside a total)
    note: str = ""


@dataclass(frozen=True)
class FigureData:
    """What ``compute`` returns: the items (bars or slices), headline numbers and the unit."""

    items: Sequence[FigureItem] = ()
    headline: Sequence[FigureItem] = ()
    unit: str = ""
    #: extra series of a stacked or grouped chart: (series name, values aligned with items)
    series: Sequence[tuple[str, Sequence[float]]] = field(default_factory=tuple)


@dataclass(frozen=True)
class DashboardFigure:
    """A figure of the dashboard. ``area``: the permission area whose view scope must reach the
    subtree for the figure to be shown; ``chart``: "bar", "pie", "stack", "gauge" or "numbers"."""

    key: str
    title: Any
    area: str
    compute: Callable[[Subtree], FigureData]
    chart: str = "bar"
    order: int = 100
    depends: tuple[str, ...] = ()
    #: shown on the 大屏 (full-screen) view too
    on_screen: bool = True


def drill(url_name: str, subtree: Subtree, *, org_param: str = "", **params: Any) -> str:
    """The URL of a scoped list narrowed to ``subtree`` and ``params`` (empty values dropped):
    by the lists' ``within`` filter, or by ``org_param`` for a page that takes any organization
    (a report's ``?org=``)."""
    if org_param:
        query: dict[str, Any] = {org_param: subtree.org_id}
    else:
        query = {"within": subtree.org_id} if subtree.filterable else {}
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(url_name)}?{urlencode(query)}"


def rate(part: int | Decimal, whole: int | Decimal) -> float:
    """``part`` of ``whole`` as a percentage with one decimal (0 when ``whole`` is 0)."""
    return 0.0 if not whole else round(float(part) * 100 / float(whole), 1)


def lazy(dotted: str) -> Callable[[Subtree], FigureData]:
    """A compute function named by its dotted path, imported on first call."""
    from dangjian.core.modules import lazy_callable

    return lazy_callable(dotted)


#: values shared by the figures computed in one pass of the dashboard (two figures of one module
#: that start from the same expensive derivation compute it once); None outside a pass
_PASS: ContextVar[dict[Any, Any] | None] = ContextVar("dashboard_pass", default=None)


@contextmanager
def one_pass() -> Iterator[None]:
    """Figures computed inside share :func:`shared` values; nothing outlives the block."""
    token = _PASS.set({})
    try:
        yield
    finally:
        _PASS.reset(token)


def shared(key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per ``key`` within one dashboard pass (every time outside one)."""
    memo = _PASS.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
