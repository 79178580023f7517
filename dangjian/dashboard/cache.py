"""Figures cached per subtree, invalidated on change (issue 18 item 4).

Each figure has a version counter in the Django cache (Redis when configured). A figure's value
for a subtree is stored under its current version; a save or delete of a model the figure
``depends`` on bumps the version once the transaction commits, so the next read recomputes it.
Writes that bypass the model signals (bulk ``update``/``bulk_create`` in services that record
explicitly) are covered by the entries' lifetime (``DANGJIAN["DASHBOARD_CACHE_SECONDS"]``,
10 minutes by default): a figure is never older than that.

A value computed from the hot standby (a request routed there, dangjian/core/replica.py) may
miss the newest writes: it is stored under its own key for at most ``REPLICA_LIFETIME`` seconds,
and never read by a request on the primary (a user who just wrote); requests on the replica
prefer a value computed on the primary when one is stored.

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

from dangjian.core import replica
from dangjian.core.figures import DashboardFigure, FigureData, Subtree, one_pass
from dangjian.core.modules import dashboard_figures

PREFIX = "dashboard"
#: seconds a figure computed on the replica is kept
REPLICA_LIFETIME = 60


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
    primary = {f.key: _value_key(f, int(versions.get(_version_key(f.key), 0)), subtree) for f in figures}
    on_replica = replica.reading_replica()
    keys = {key: f"{value}:replica" for key, value in primary.items()} if on_replica else primary
    found = cache.get_many(list(primary.values()) + (list(keys.values()) if on_replica else []))
    found.update({keys[k]: found[v] for k, v in primary.items() if v in found})  # the primary's first
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
        cache.set_many(missing, min(lifetime(), REPLICA_LIFETIME) if on_replica else lifetime())
    return result
