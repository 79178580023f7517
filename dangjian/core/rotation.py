"""Field-key rotation (SECURITY.md DP-01): re-encrypt every ciphertext and re-compute every
blind index under the current key, in batches, while the site runs.

How to rotate: put the new key first in ``FIELD_ENCRYPTION_KEYS`` (the old ones stay behind
it, still readable), restart, run ``manage.py rotate_keys`` (or its job). Each batch is one
transaction and only touches rows still under an older key, so a killed run loses nothing and
the next run continues where it stopped. Each row is rewritten only if its stored value is
still the one that was read (a concurrent edit wins). When the command reports nothing left,
the old key can be removed. The audit chain is not rewritten: each entry names the key it was
chained with, so keep old keys as long as their entries are kept (verify_audit_chain says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from dangjian.core.crypto import get_provider
from dangjian.core.fields import EncryptedTextField


@dataclass(frozen=True)
class BlindIndex:
    model: str  # app_label.ModelName
    source: str  # the encrypted field holding the plaintext
    index: str  # the indexed column
    compute: Callable[[str], str]


_BLIND_INDEXES: list[BlindIndex] = []


def register_blind_index(model: str, *, source: str, index: str, compute: Callable[[str], str]) -> None:
    """Declare a blind index column so a rotation re-computes it (a module's models.py calls this)."""
    if not any(b.model == model and b.index == index for b in _BLIND_INDEXES):
        _BLIND_INDEXES.append(BlindIndex(model, source, index, compute))


def encrypted_fields() -> Iterator[tuple[type[models.Model], EncryptedTextField]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field


def _stale_ciphertexts(model: type[models.Model], field: EncryptedTextField) -> Any:
    prefix = get_provider().current_ref + ":"
    manager = model._base_manager
    return (manager.exclude(**{f"{field.name}__isnull": True}).exclude(**{f"{field.name}__startswith": prefix})
            .exclude(**{f"{field.name}__exact": ""})
            .annotate(_raw=Cast(field.name, models.TextField())).order_by("pk"))


def pending() -> dict[str, int]:
    """Rows still under an older key, per ``model.field`` (blind indexes need a pass to know)."""
    return {f"{m._meta.label}.{f.name}": _stale_ciphertexts(m, f).count() for m, f in encrypted_fields()}


def rotate_ciphertexts(model: type[models.Model], field: EncryptedTextField, *, batch: int = 500) -> int:
    """Re-encrypt one batch of ``model.field`` under the current key; returns rows rewritten."""
    provider = get_provider()
    with transaction.atomic():
        rows = list(_stale_ciphertexts(model, field).values_list("pk", "_raw")[:batch])
        done = 0
        for pk, raw in rows:
            plain = provider.decrypt(raw, context=field.context)
            # Only if the row still holds what was read; ``update`` encrypts with the current key.
            done += model._base_manager.filter(pk=pk, **{f"{field.name}__startswith": raw}).update(**{field.name: plain})
    return done


def reindex(spec: BlindIndex, *, after: int = 0, batch: int = 500) -> tuple[int, int | None]:
    """Re-compute one batch of a blind index from ``after`` (a pk); returns (rows changed, the
    last pk seen or ``None`` at the end)."""
    model = apps.get_model(spec.model)
    with transaction.atomic():
        rows = list(model._base_manager.filter(pk__gt=after).exclude(**{f"{spec.source}__exact": ""})
                    .exclude(**{f"{spec.source}__isnull": True}).order_by("pk")
                    .values_list("pk", spec.source, spec.index)[:batch])
        changed = 0
        for pk, plain, stored in rows:
            fresh = spec.compute(plain)
            if fresh != stored:
                changed += model._base_manager.filter(pk=pk, **{spec.index: stored}).update(**{spec.index: fresh})
    return changed, (rows[-1][0] if len(rows) == batch else None)


def rotate_all(*, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Every encrypted field and blind index under the current key; returns rows changed per column."""
    todo = pending()
    indexed = {spec: apps.get_model(spec.model)._base_manager.count() for spec in _BLIND_INDEXES}
    total = sum(todo.values()) + sum(indexed.values())
    done = 0
    result: dict[str, int] = {}
    for model, field in encrypted_fields():
        label = f"{model._meta.label}.{field.name}"
        result[label] = 0
        while True:
            n = rotate_ciphertexts(model, field, batch=batch)
            if n == 0:
                break
            result[label] += n
            done += n
            if progress:
                progress(min(done, total), total)
    for spec in _BLIND_INDEXES:
        label = f"{spec.model}.{spec.index}"
        result[label] = 0
        after: int | None = 0
        while after is not None:
            n, after = reindex(spec, after=after, batch=batch)
            result[label] += n
            done += batch if after is not None else 0
            if progress:
                progress(min(done, total), total)
    if progress:
        progress(total, total)
    return result
