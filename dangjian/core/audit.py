"""Writing the audit log (SECURITY.md AUD-01..AUD-04).

``record`` is the only writer (``record_created`` its batch form for services that write with
``bulk_create``). It runs inside the caller's transaction, so an entry exists
exactly when the change does; if it cannot be written the caller's change rolls back
(fail-closed). Entries are HMAC-chained: each stores the previous entry's hash.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hmac
import json
import re
import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from dangjian.core import context
from dangjian.core.crypto import all_refs, current_ref, mac
from dangjian.core.scoping import org_path_of

#: Field names whose values never reach the audit log.
SECRET_FIELD_NAMES = frozenset({"password", "token", "key", "secret", "otp"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHAIN_LOCK_KEY = 7_319_001  # advisory lock id serializing the hash chain on PostgreSQL


def _clean(text: str, limit: int) -> str:
    """Escape control characters so one event stays one line (ASVS 16.4.1)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)[:limit]


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


@cache
def _audited_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    exclude = set(getattr(model, "audit_exclude", ())) | {"created_at", "updated_at", "version"}
    return [f for f in model._meta.concrete_fields if f.name not in exclude]


def _field_value(field: models.Field[Any, Any], raw: Any, instance: models.Model | None) -> Any:
    if field.name in SECRET_FIELD_NAMES:
        return "[已隐去]"
    if hasattr(field, "audit_value"):
        return "[已加密]" if raw else ""
    return _json_value(raw)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited field values of ``instance`` (secrets redacted, ciphertext never copied)."""
    return {f.attname: _field_value(f, getattr(instance, f.attname), instance) for f in _audited_fields(type(instance))}


def snapshot_from_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    fields = {f.attname: f for f in _audited_fields(model)}
    return {name: _field_value(f, values.get(name), None) for name, f in fields.items()}


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """Changed fields as ``{field: [before, after]}`` (creates and deletes list every field)."""
    before = before or {}
    after = after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _canonical(entry: Any) -> bytes:
    payload = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "event": entry.event,
        "success": entry.success,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "org_path": entry.org_path,
        "changes": entry.changes,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "source": entry.source,
        "reason": entry.reason,
        "prev": entry.prev_hash,
    }
    if getattr(entry, "key_ref", None):
        payload["key"] = entry.key_ref  # the key named is covered by the hash too
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: Any) -> str:
    """The entry's chain hash with the key it names (the current key for a new entry)."""
    return mac(_canonical(entry), purpose="audit-chain", ref=getattr(entry, "key_ref", None) or None)


def _verifies(entry: Any) -> bool:
    """Each entry is checked with the key it was chained with; an entry from before key ids
    were stored is accepted under any loaded key."""
    canonical = _canonical(entry)
    refs = [entry.key_ref] if entry.key_ref else all_refs()
    for ref in refs:
        try:
            if hmac.compare_digest(mac(canonical, purpose="audit-chain", ref=ref), entry.hash):
                return True
        except Exception:  # noqa: BLE001, S112 — a key that is not loaded, or a provider OpenSSL lacks
            continue
    return False


def record(
    event: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    org_path: str | None = None,
    changes: dict[str, Any] | None = None,
    success: bool = True,
    actor: Any = None,
    reason: str = "",
) -> Any:
    """Append one entry to the audit log, in the current transaction."""
    from dangjian.core.models import AuditEntry

    ctx = context.current()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
        if org_path is None:
            org_path = org_path_of(obj)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        at = timezone.now()
        if ctx.coarse_time:
            at = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
        entry = AuditEntry(
            at=at,
            actor=user,
            actor_name=_clean(getattr(user, "get_username", lambda: "")() if user else "", 150),
            event=event,
            success=success,
            object_type=object_type,
            object_id=_clean(str(object_id or ""), 64),
            object_repr=_clean(object_repr, 200),
            org_path=org_path or "",
            changes=_json_value(changes or {}),
            ip=ctx.ip,
            request_id=ctx.request_id,
            source=ctx.source,
            reason=_clean(reason or ctx.reason, 255),
            prev_hash=last or "",
            key_ref=current_ref(),
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


def record_change(
    instance: models.Model,
    action: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    object_id: Any = None,
    org_path: str | None = None,
) -> Any:
    """Audit a create / update / delete of ``instance`` with its field diff."""
    changes = diff(before, after)
    if action == "update" and not changes:
        return None
    return record(action, obj=instance, object_id=object_id or instance.pk, org_path=org_path, changes=changes)


def verify_chain() -> int | None:
    """Return the id of the first entry whose hash does not verify, or ``None`` if all do."""
    from dangjian.core.models import AuditEntry

    prev = ""
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or not _verifies(entry):
            return int(entry.pk)
        prev = entry.hash
    return None


def record_created(instances: Sequence[models.Model], *, batch_size: int = 500) -> int:
    """Audit rows that a service wrote with ``bulk_create``: one "create" entry per row, as
    ``save()`` would have written it, hash-chained in order and inserted in batches.

    ARCHITECTURE.md allows bulk writes of audited models only in services that record
    explicitly; this is how they record (an Excel import of thousands of members). Runs in the
    caller's transaction, like :func:`record`.
    """
    return _record_many([("create", obj, diff(None, snapshot(obj))) for obj in instances], batch_size=batch_size)


def record_updated(changed: Sequence[tuple[models.Model, dict[str, Any]]], *, batch_size: int = 500) -> int:
    """Audit rows that a service wrote with ``bulk_update``: ``changed`` holds each row with its
    snapshot from before the change (:func:`snapshot`); one "update" entry per row whose fields
    changed, as ``save()`` would have written it."""
    rows = [("update", obj, changes) for obj, before in changed if (changes := diff(before, snapshot(obj)))]
    return _record_many(rows, batch_size=batch_size)


def _record_many(rows: Sequence[tuple[str, models.Model, dict[str, Any]]], *, batch_size: int) -> int:
    """Chain and insert one entry per row; ``changes`` are diffs of :func:`snapshot`, whose
    values are already JSON values."""
    from dangjian.core.bulk import insert
    from dangjian.core.models import AuditEntry

    if not rows:
        return 0
    ctx = context.current()
    user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    actor_name = _clean(user.get_username() if user is not None else "", 150)
    ref = current_ref()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        prev = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        entries = []
        for event, obj, changes in rows:
            entry = AuditEntry(
                at=timezone.now(), actor=user, actor_name=actor_name, event=event, success=True,
                object_type=obj._meta.label_lower, object_id=_clean(str(obj.pk), 64),
                object_repr=_clean(str(obj), 200), org_path=org_path_of(obj),
                changes=changes, ip=ctx.ip, request_id=ctx.request_id,
                source=ctx.source, reason=_clean(ctx.reason, 255), prev_hash=prev, key_ref=ref,
            )
            entry.hash = entry_hash(entry)
            prev = entry.hash
            entries.append(entry)
        insert(entries, batch_size=batch_size, returning=False)
    return len(entries)


# --- Anchoring the head of the chain outside the table (truncation from the end) -----------


def anchor_file() -> Any:
    from pathlib import Path

    from django.conf import settings

    return Path(str(settings.DANGJIAN.get("AUDIT_ANCHOR_FILE") or Path(settings.VAR_DIR) / "audit-anchors.jsonl"))


def anchor_head() -> dict[str, Any] | None:
    """Write the newest entry's id and hash to the anchor file and the log.

    A chain cut off at its end still verifies by itself; the anchors outside the table (and the
    log lines, which syslog may forward) show that entries up to the anchored one existed.
    Run by the scheduler (``anchor_audit_chain``) and by every backup.
    """
    import logging

    from dangjian.core.models import AuditEntry

    head = AuditEntry.objects.order_by("-id").values("id", "hash").first()
    if head is None:
        return None
    anchor = {"id": int(head["id"]), "hash": head["hash"], "at": timezone.now().isoformat()}
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(anchor) + "\n")
    logging.getLogger("dangjian.audit").info("audit chain head id=%s hash=%s", anchor["id"], anchor["hash"])
    return anchor


def last_anchor() -> dict[str, Any] | None:
    path = anchor_file()
    if not path.exists():
        return None
    last = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                try:
                    last = json.loads(line)
                except ValueError:
                    continue
    return last


def verify_anchor() -> int | None:
    """The id of the last anchored entry when it is no longer in the table as anchored (the
    chain was truncated or rewritten after it); ``None`` when it is, or nothing was anchored."""
    from dangjian.core.models import AuditEntry

    anchor = last_anchor()
    if anchor is None:
        return None
    found = AuditEntry.objects.filter(pk=anchor["id"]).values_list("hash", flat=True).first()
    return None if found == anchor["hash"] else int(anchor["id"])
