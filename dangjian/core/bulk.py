"""Multi-row INSERT for services that write thousands of rows at once (a minutes book, the
points it earns, their audit entries, an import).

Django's ``bulk_create`` compiles every value of every row through the SQL compiler (pre-save,
prepare, placeholder per cell); at tens of thousands of rows that is most of the time a batch
write takes. :func:`insert` writes the same rows with the same values in far fewer steps: each
field's value is prepared by the field itself (``get_db_prep_save``) unless it is a plain
``str``/``int``/``bool``/``None`` of a plain field class, for which that preparation is the
identity; rows go in as one statement per batch, and new primary keys come back with
``RETURNING`` (SQLite 3.35+ and PostgreSQL), in insertion order as Django's own bulk path
assumes.

Like ``bulk_create`` it sends no signals and calls no ``save()``: audited models are written
with it only by services that record explicitly (``audit.record_created``), ARCHITECTURE.md.
Models it cannot write exactly (a database default, a generated column, primary keys set on
some rows only, a backend without ``RETURNING``) fall back to ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models.fields import NOT_PROVIDED

M = TypeVar("M", bound=models.Model)

#: Field classes whose ``get_db_prep_save`` returns a plain value of these types unchanged.
_PLAIN_TEXT: tuple[type[models.Field[Any, Any]], ...] = (
    models.CharField, models.TextField, models.SlugField, models.EmailField, models.URLField)
_PLAIN_INT: tuple[type[models.Field[Any, Any]], ...] = (
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.AutoField, models.BigAutoField)


def _plain_types(field: models.Field[Any, Any]) -> tuple[type, ...]:
    """The value types for which ``field``'s preparation is the identity (exact classes only:
    a subclass, such as an encrypted text field, may prepare differently)."""
    kind = type(field)
    if isinstance(field, models.ForeignKey) and kind is models.ForeignKey:
        return _plain_types(field.target_field)
    if kind in _PLAIN_TEXT:
        return (str,)
    if kind in _PLAIN_INT:
        return (int,)
    if kind is models.BooleanField:
        return (bool,)
    return ()




@cache
def _plan(model: type[models.Model], with_pk: bool) -> tuple[list[models.Field[Any, Any]], list[bool], list[tuple[type, ...]]] | None:
    """The columns :func:`insert` writes for ``model``: fields, whether each needs ``pre_save``,
    and the value types it passes through as they are; ``None`` when only ``bulk_create`` can
    write the model exactly."""
    fields = []
    for field in model._meta.concrete_fields:
        if getattr(field, "generated", False) or getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            return None
        if field.primary_key and not with_pk:
            continue
        fields.append(field)
    base_pre_save = models.Field.pre_save
    pre_save = [type(f).pre_save is not base_pre_save for f in fields]
    return fields, pre_save, [_plain_types(f) for f in fields]


def insert(objs: Sequence[M], *, batch_size: int = 500, returning: bool = True) -> Sequence[M]:
    """INSERT ``objs`` (all of one model) as ``bulk_create(objs, batch_size=...)`` would: the
    same columns and values, primary keys set on the objects when ``returning`` (skip it for
    rows nobody refers to, such as audit entries), ``_state`` marked saved. Runs in the
    caller's transaction."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    alias = router.db_for_write(model)
    connection = connections[alias]
    pk = opts.pk
    assert pk is not None
    have_pk = [getattr(obj, pk.attname) is not None for obj in objs]
    with_pk = all(have_pk)
    plan = _plan(model, with_pk)
    can_return = connection.features.can_return_rows_from_bulk_insert
    if plan is None or (any(have_pk) and not with_pk) or (returning and not with_pk and not can_return):
        return model._default_manager.using(alias).bulk_create(list(objs), batch_size=batch_size)
    fields, pre_save, plain = plan
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    back = returning and not with_pk
    per_batch = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
    prepared = list(zip(fields, pre_save, plain, strict=True))
    relations: list[Any] = [f for f in fields if f.is_relation and f.many_to_one]
    for obj in objs:  # a related object saved after it was assigned (as bulk_create checks)
        for field in relations:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"insert() prohibited to prevent data loss due to unsaved related object '{field.name}'.")
                    setattr(obj, field.attname, related.pk)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start:start + per_batch]
            params: list[Any] = []
            for obj in batch:
                for field, needs_pre_save, types in prepared:
                    value = field.pre_save(obj, True) if needs_pre_save else getattr(obj, field.attname)
                    if value is not None and type(value) not in types:
                        value = field.get_db_prep_save(value, connection)
                    params.append(value)
            sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES {', '.join([row_sql] * len(batch))}"  # noqa: S608 — quoted names, values as parameters
            if back:
                sql += f" RETURNING {quote(pk.column)}"
            cursor.execute(sql, params)
            if back:
                ids = [row[0] for row in cursor.fetchall()]
                for obj, new_id in zip(batch, ids, strict=True):
                    setattr(obj, pk.attname, new_id)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs
