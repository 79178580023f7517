"""Base models of the core: change-logged, versioned and scoped rows, and the audit log.

Every domain model derives from :class:`ScopedModel`. Saving or deleting one writes an
audit entry in the same transaction (fail-closed: if the entry cannot be written the change
rolls back) and bumps its ``version`` with a conditional UPDATE, so a stale form or API write
raises :class:`VersionConflict` instead of overwriting someone else's change (REL-03).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import ScopedQuerySet


class VersionConflict(Exception):
    """The row changed since the editor loaded it."""


def protected_message(exc: models.ProtectedError | models.RestrictedError) -> str:
    """What still refers to a row that cannot be deleted, as a sentence for the user.

    Counts per kind of record, e.g. "2 条党费交纳记录、1 条班子成员"; never a constraint name.
    """

    counts: dict[str, int] = {}
    for obj in getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ():
        label = str(obj._meta.verbose_name)
        counts[label] = counts.get(label, 0) + 1
    what = pgettext("list separator", ", ").join(pgettext("count of records", "%(n)d %(what)s") % {"n": n, "what": label} for label, n in counts.items())
    if not what:
        return gettext("This record is still referenced by other records and cannot be deleted.")
    return gettext("This record cannot be deleted: %(what)s still refer to it. Remove or reassign them first, "
                   "or mark the record inactive instead.") % {"what": what}


class DetailUrlMixin:
    """``get_absolute_url`` from the model's declared screens (core.views.REGISTRY)."""

    def get_absolute_url(self) -> str:
        from dangjian.core.views import detail_url

        return detail_url(self)  # type: ignore[arg-type]


class ChangeLoggedModel(DetailUrlMixin, models.Model):
    """A row whose every create, update and delete is audited, with optimistic locking."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    #: Field names never copied into audit entries (besides encrypted fields, always masked).
    audit_exclude: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=False))
        return instance

    def refresh_from_db(self, using: Any = None, fields: Any = None, from_queryset: Any = None) -> None:
        """Reload, and take the reloaded values as the audit's "before" (not the older ones:
        a change someone else made meanwhile must not be logged as this actor's)."""
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        deferred = self.get_deferred_fields()
        names = set(fields) if fields is not None else None
        loaded = dict(getattr(self, "_loaded_values", None) or {})
        loaded.update({
            f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields
            if f.attname not in deferred and (names is None or f.name in names or f.attname in names)
        })
        self._loaded_values = loaded

    def audit_snapshot(self) -> dict[str, Any]:
        from dangjian.core.audit import snapshot

        return snapshot(self)

    def _before_state(self) -> dict[str, Any] | None:
        if self._state.adding:
            return None
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return None
        from dangjian.core.audit import snapshot_from_values

        return snapshot_from_values(type(self), loaded)

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012
        from dangjian.core import audit

        with transaction.atomic():
            adding = self._state.adding
            before = self._before_state()
            if not adding and self.pk is not None:
                expected = self.version
                bumped = type(self)._base_manager.filter(pk=self.pk, version=expected).update(version=expected + 1)
                if not bumped:
                    raise VersionConflict
                self.version = expected + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
            super().save(*args, **kwargs)
            after = self.audit_snapshot()
            audit.record_change(self, "create" if adding else "update", before=before, after=after)
            self._loaded_values = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        from dangjian.core import audit

        with transaction.atomic():
            before = self.audit_snapshot()
            org_path = audit.org_path_of(self)
            pk = self.pk
            result = super().delete(*args, **kwargs)
            audit.record_change(self, "delete", before=before, after=None, object_id=pk, org_path=org_path)
            return result


class ScopedModel(ChangeLoggedModel):
    """A change-logged row that belongs to an organization (see :mod:`dangjian.core.scoping`).

    Subclasses declare ``scope_area`` (the permission area), ``scope_path`` (ORM path to the
    organization, ``""`` for the organization itself, ``None`` for global tables) and, for
    rows that belong to a member, ``owner_path``.
    """

    scope_area: ClassVar[str | None] = None
    scope_path: ClassVar[str | None] = None
    owner_path: ClassVar[str | None] = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEntry(DetailUrlMixin, models.Model):
    """One audited event: a data change, a login, a reveal, an export — append-only.

    Rows are chained by an HMAC over their content and the previous row's hash, and the
    database refuses UPDATE and DELETE on this table (triggers installed by migration).
    """

    scope_area: ClassVar[str] = "audit"
    scope_path: ClassVar[str | None] = ""
    scope_path_field: ClassVar[str] = "org_path"  # the entry carries its organization path as text
    owner_path: ClassVar[str | None] = None

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+", verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=32, db_index=True)
    success = models.BooleanField(_("success"), default=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    org_path = models.CharField(_("organization path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=16, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    # ``<provider>:<key id>`` the hash was made with (key rotation, DP-01); null on entries
    # written before key ids were stored. Nullable so adding it keeps SQLite's append-only triggers.
    key_ref = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ("-id",)
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        from django.utils import timezone

        from dangjian.core.audit_labels import event_label

        at = timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at
        return f"{at:%Y-%m-%d %H:%M:%S} {self.actor_name} {event_label(self.event)} {self.object_repr}"


class IdempotencyRecord(models.Model):
    """A POST seen with an ``Idempotency-Key`` (SECURITY.md REL-02): its payload hash and the
    response to replay. Unique per (user, key); kept at least 24 hours."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    attempt = models.PositiveSmallIntegerField(default=1)
    lease_until = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user_id", "key"], name="one_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class ThrottleCounter(models.Model):
    """A fixed-window attempt counter shared by every process (core/throttle.py) when there is
    no Redis: login attempts per address, API rates, ID-number reveals."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} {self.count}"


class ImportBatch(models.Model):
    """One uploaded spreadsheet on its way in (F2 import; SECURITY.md REL-06, IO-04, DP-04).

    A batch is first ``checking`` (its rows are being validated by a job), then staged: it keeps
    the uploaded file under a generated name in the imports storage (``MEDIA_ROOT/imports/`` on
    one machine) until its uploader confirms or discards it (the user's file name is only displayed, never
    used in a path). An imported batch keeps who, when, what kind, the counts and the file's
    SHA-256: the partial unique constraint refuses the same file a second time, even when two
    confirmations race. Only the uploader reaches a batch (``dangjian.core.imports``).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        STAGED = "staged", _("Staged")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=32)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.STAGED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    valid_only = models.BooleanField(_("valid rows only"), default=False)
    problems = models.JSONField(default=list, blank=True)  # [[sheet, row, column, message], ...]
    preview = models.JSONField(default=list, blank=True)  # the first rows as shown on the preview
    params = models.JSONField(default=dict, blank=True)  # the importer's options given with the file (e.g. year)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["sha256"], condition=models.Q(status="imported"), name="import_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name}"


from dangjian.core.jobs.models import Job, ScheduledTask  # noqa: E402, F401  (the job facility's rows, app "core")
