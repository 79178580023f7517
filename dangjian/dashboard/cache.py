"""Figures cached per subtree, invalidated on change (issue 18 item 4).

Each figure has a version counter in the Django cache (Redis when configured). A figure's value
for a subtree is stored under its current version; a save or delete of a model the figure
``depends`` on bumps the version once the transaction commits, so the next read recomputes it.
Writes that bypass the model signals (bulk ``update``/``bulk_create`` in services that record
explicitly) are covered by the entries' lifetime (``DANGJIAN["DASHBOARD_CACHE_SECONDS"]``,
10 minutes by default): a figure is never older than that.

Reading a dashboard costs two cache round trips whatever the number of figures: the versions
(``get_many``), then the values (``get_many``); only the figures missing are computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from dangjian.core.figures import DashboardFigure, FigureData, Subtree, one_pass
from dangjian.core.modules import dashboard_figures

PREFIX = "dashboard"


def lifetime() -> int:
    return int(getattr(settings, "DANGJIAN", {}).get("DASHBOARD_CACHE_SECONDS", 600))


def _version_key(figure_key: str) -> str:
    return f"{PREFIX}:v:{figure_key}"


def _value_key(figure: DashboardFigure, version: int, subtree: Subtree) -> str:
    from django.utils.translation import get_language

    return f"{PREFIX}:f:{figure.key}:{version}:{subtree.path}:{subtree.today.isoformat()}:{get_language()}"


@memoize
def _dependents() -> dict[str, tuple[str, ...]]:
    """Model label -> keys of the figures that depend on it."""
    found: dict[str, list[str]] = {}
    for figure in dashboard_figures():
        for label in figure.depends:
            found.setdefault(label.lower(), []).append(figure.key)
    return {label: tuple(keys) for label, keys in found.items()}


def bump(keys: Sequence[str]) -> None:
    """Move the figures ``keys`` to a new version (their cached values are no longer read)."""
    for key in keys:
        try:
            cache.incr(_version_key(key))
        except ValueError:  # no version yet: start one
            cache.set(_version_key(key), 1, None)


def changed(sender: Any, **kwargs: Any) -> None:
    """post_save / post_delete receiver: bump the figures that depend on ``sender`` on commit."""
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    keys = _dependents().get(meta.label_lower)
    if keys:
        transaction.on_commit(lambda: bump(keys), using=kwargs.get("using"))


def figures_for(subtree: Subtree, figures: Sequence[DashboardFigure]) -> dict[str, FigureData]:
    """The figures' data for ``subtree``, from the cache where it holds the current version."""
    versions = cache.get_many([_version_key(f.key) for f in figures])
    keys = {f.key: _value_key(f, int(versions.get(_version_key(f.key), 0)), subtree) for f in figures}
    found = cache.get_many(list(keys.values()))
    result: dict[str, FigureData] = {}
    missing: dict[str, Any] = {}
    with one_pass():
        for figure in figures:
            data = found.get(keys[figure.key])
            if data is None:
                data = figure.compute(subtree)
                missing[keys[figure.key]] = data
            result[figure.key] = data
    if missing:
        cache.set_many(missing, lifetime())
    return result
