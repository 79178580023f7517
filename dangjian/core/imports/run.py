"""Reading, validating and writing a stored workbook; the staged batches of the screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.core import audit, idcard
from dangjian.core.imports.cells import normalize_code, normalize_text
from dangjian.core.imports.declare import Importer, ImportField, Problem, Report, Row
from dangjian.core.imports.files import (
    EMPTY_ROWS_END,
    INSTRUCTIONS_SHEET,
    OPTIONS_SHEET,
    PREVIEW_ROWS,
    STORED_PROBLEMS,
    ImportRefused,
    StoredUpload,
    display_name,
    inspect_workbook,
    limits,
    store_upload,
    stored_file,
)
from dangjian.core.models import ImportBatch

#: ``progress(done, total)``: how far a long run is (a job's progress bar).
Progress = Callable[[int, int], None]


def _header_key(text: Any) -> str:
    return normalize_code(text).replace("*", "").replace("＊", "")


def read_rows(importer: Importer, source: IO[bytes]) -> tuple[list[Row], list[Problem]]:
    """The data rows of the workbook (empty rows skipped) and the header problems.

    Reads the sheet named like the template's data sheet, else the first sheet that is not the
    instructions or the options sheet. openpyxl runs read-only, without links, through
    defusedxml (the file passed :func:`inspect_workbook` first).
    """
    from openpyxl import load_workbook

    max_rows = limits()["max_rows"]
    try:
        workbook = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except ImportRefused:
        raise
    except Exception as exc:  # any parser error: the bytes are not a workbook we can read
        raise ImportRefused("not_xlsx", gettext("The file is not a valid .xlsx workbook (it may be encrypted, damaged, or "
                                          "another kind of file renamed to .xlsx).")) from exc
    try:
        names = workbook.sheetnames
        candidates = [n for n in names if n not in (INSTRUCTIONS_SHEET, OPTIONS_SHEET)]
        if importer.sheet_name in names:
            sheet_title = importer.sheet_name
        elif candidates:
            sheet_title = candidates[0]
        else:
            raise ImportRefused("no_sheet", gettext("The workbook has no sheet with data to import."))
        sheet = workbook[sheet_title]
        importer.sheet = sheet_title
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # do not trust the stored used range
        cells = sheet.iter_rows(values_only=True)
        header = next(cells, None) or ()
        by_header = {_header_key(f.header): f for f in importer.fields}
        columns: dict[int, str] = {}
        problems: list[Problem] = []
        for index, text in enumerate(header):
            f = by_header.get(_header_key(text))
            if f is None:
                continue
            if f.key in columns.values():
                problems.append(Problem(sheet_title, 1, f.header, gettext("This column appears twice in the header row.")))
                continue
            columns[index] = f.key
        for f in importer.fields:
            if f.required and f.key not in columns.values():
                problems.append(Problem(sheet_title, 1, f.header, gettext("This required column is missing from the header "
                                                                    "row (row 1).")))
        rows: list[Row] = []
        empty_run = 0
        for number, values in enumerate(cells, start=2):
            if not any(v is not None and normalize_text(v) != "" for v in values):
                empty_run += 1
                if empty_run >= EMPTY_ROWS_END:
                    break
                continue
            empty_run = 0
            if len(rows) >= max_rows:
                raise ImportRefused("too_many_rows", gettext("The file has more than %(max)d data rows; split it into several "
                                                       "files.") % {"max": max_rows})
            raw = {key: values[index] for index, key in columns.items() if index < len(values)}
            rows.append(Row(number, raw))
        return rows, problems
    finally:
        workbook.close()


def validate_rows(importer: Importer, rows: list[Row], header_problems: list[Problem],
                  progress: Progress | None = None) -> Report:
    """Parse every cell, run the importer's checks, and build the report (nothing is written).

    ``progress(done, total)`` is told how many rows were checked (for a job's progress bar)."""
    report = Report(kind=importer.kind, sheet=importer.sheet, headers=[f.header for f in importer.fields])
    if header_problems:
        # Without its columns no row can be judged: every row counts as invalid.
        report.problems = list(header_problems)
        report.total_rows = report.error_rows = len(rows)
        return report
    lookups = {f.key: f.choice_lookup() for f in importer.fields if f.kind == "choice"}
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            for f in importer.fields:
                try:
                    row.values[f.key] = f.parse(row.raw.get(f.key), lookups.get(f.key))
                except ValidationError as exc:
                    row.values[f.key] = None
                    importer.problem(row, f.key, " ".join(exc.messages))
        importer.prepare(rows)
        for done, row in enumerate(rows, start=1):
            importer.check_row(row)
            if progress is not None:
                progress(done, len(rows))
    order = {f.header: i for i, f in enumerate(importer.fields)}
    problems = [p for row in rows for p in row.problems]
    problems.sort(key=lambda p: (p.row, order.get(p.column, len(order))))
    report.problems = problems
    report.total_rows = len(rows)
    report.error_rows = sum(1 for row in rows if not row.ok)
    report.valid_rows = report.total_rows - report.error_rows
    report.preview = [
        {"row": row.number, "ok": row.ok, "cells": [preview_text(f, row.raw.get(f.key)) for f in importer.fields]}
        for row in rows[:PREVIEW_ROWS]
    ]
    return report


def preview_text(f: ImportField, raw: Any) -> str:
    """A cell as the preview shows it (and stores it on the batch): personal numbers masked."""
    text = normalize_text(raw)
    if f.masked and text:
        return idcard.mask(text) if len(text) > 8 else "*" * len(text)
    return text


def validate_file(importer: Importer, upload: StoredUpload,
                  progress: Progress | None = None) -> tuple[list[Row], Report]:
    """Inspect, read and validate a stored file."""
    with upload.open() as source:
        inspect_workbook(source)
        rows, header_problems = read_rows(importer, source)
    return rows, validate_rows(importer, rows, header_problems, progress)


# --- writing ---------------------------------------------------------------------------------


def write_row(importer: Importer, row: Row) -> None:
    """Write one valid row. A module-level seam: the crash test patches it to kill the process."""
    importer.write_row(row)


def already_imported(sha256: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(sha256=sha256, status=ImportBatch.Status.IMPORTED).select_related(
        "uploaded_by").first()


def refuse_if_imported(sha256: str) -> None:
    done = already_imported(sha256)
    if done is not None:
        when = timezone.localtime(done.finished_at or done.created_at).strftime("%Y-%m-%d %H:%M")
        raise ImportRefused("already_imported", gettext("This file was already imported (%(when)s, by %(user)s); the same "
                                                  "file cannot be imported twice.")
                            % {"when": when, "user": done.uploaded_by or "—"})


def import_file(importer: Importer, upload: StoredUpload, *, valid_only: bool = False, dry_run: bool = False,
                batch: ImportBatch | None = None, progress: Progress | None = None) -> tuple[Report, ImportBatch | None]:
    """Validate every row of ``upload``; then, unless ``dry_run``, write them in one transaction.

    Nothing is written when any row has a problem, unless ``valid_only`` (then exactly the valid
    rows are). The rows, the ``ImportBatch`` (status imported, with the counts) and the audit
    entries commit together: a failure or a kill at any row leaves nothing (REL-06). The same
    file is refused once imported (checked first, and held by a unique constraint).
    Returns the report and the imported batch (``None`` when nothing was written).
    ``progress(done, total)`` counts checked rows and then written rows (twice the rows in all).
    """
    if dry_run:
        refuse_if_imported(upload.sha256)
        _rows, report = validate_file(importer, upload, _half(progress, 0))
        _describe(report, upload)
        return report, None
    try:
        with transaction.atomic():
            refuse_if_imported(upload.sha256)
            rows, report = validate_file(importer, upload, _half(progress, 0))
            _describe(report, upload)
            if report.valid_rows == 0 or (report.error_rows and not valid_only):
                return report, None
            written = 0
            for row in rows:
                if row.ok:
                    write_row(importer, row)
                    written += 1
                    if progress is not None:
                        progress(len(rows) + written, len(rows) + report.valid_rows)
            importer.finish()
            report.imported_rows = written
            batch = _record_batch(importer, upload, report, valid_only=valid_only, batch=batch)
            report.batch_id = batch.pk
    except IntegrityError as exc:
        refuse_if_imported(upload.sha256)  # a concurrent import of the same file won the race
        raise ImportRefused("conflict", gettext("Someone changed the same records while the file was being imported; nothing "
                                          "was imported. Please upload the file again.")) from exc
    return report, batch


def _half(progress: Progress | None, offset: int) -> Progress | None:
    """Checking is the first half of an import's progress: ``done`` of ``total`` -> of 2 * total."""
    if progress is None:
        return None
    return lambda done, total: progress(offset + done, 2 * total)


def _describe(report: Report, upload: StoredUpload) -> None:
    report.file_name = upload.file_name
    report.sha256 = upload.sha256


def _record_batch(importer: Importer, upload: StoredUpload, report: Report, *, valid_only: bool,
                  batch: ImportBatch | None) -> ImportBatch:
    now = timezone.now()
    if batch is None:
        batch = ImportBatch(kind=importer.kind, uploaded_by=importer.user if getattr(importer.user, "pk", None) else None,
                            file_name=upload.file_name, sha256=upload.sha256, size=upload.size)
    batch.status = ImportBatch.Status.IMPORTED
    batch.finished_at = now
    batch.stored_name = ""
    batch.valid_only = valid_only
    _copy_counts(batch, report)
    batch.save()
    audit.record(
        "import", object_type=importer.model._meta.label_lower,
        object_repr=f"{importer.title()}: {upload.file_name}", object_id=batch.pk,
        changes={"batch": batch.pk, "file": upload.file_name, "sha256": upload.sha256, "rows": report.total_rows,
                 "valid": report.valid_rows, "errors": report.error_rows, "imported": report.imported_rows,
                 "valid_only": valid_only},
    )
    return batch


def _copy_counts(batch: ImportBatch, report: Report) -> None:
    batch.total_rows = report.total_rows
    batch.valid_rows = report.valid_rows
    batch.error_rows = report.error_rows
    batch.imported_rows = report.imported_rows
    batch.problems = [list(p) for p in report.problems[:STORED_PROBLEMS]]
    batch.preview = report.preview


def audit_refusal(importer_cls: type[Importer], file_name: str, exc: ImportRefused) -> None:
    """Record a refused upload (a security event) — only the audit entry, no batch, no rows."""
    with transaction.atomic():
        audit.record("import", success=False, object_type=importer_cls.model._meta.label_lower,
                     object_repr=f"{importer_cls.title()}: {display_name(file_name)}",
                     changes={"refused": exc.code})


# --- staged imports (the screens) ------------------------------------------------------------


def purge_stale() -> int:
    """Discard staged uploads older than ``stale_hours`` and remove their files (DP-04)."""
    cutoff = timezone.now() - dt.timedelta(hours=limits()["stale_hours"])
    stale = list(ImportBatch.objects.filter(status__in=(ImportBatch.Status.STAGED, ImportBatch.Status.CHECKING),
                                            created_at__lt=cutoff))
    for batch in stale:
        discard(batch)
    return len(stale)


def stage(importer_cls: type[Importer], user: Any, upload: UploadedFile,
          options: dict[str, Any] | None = None) -> ImportBatch:
    """Store and inspect an upload, and keep it as a staged batch whose rows still have to be
    checked (:func:`check_staged`, run as a job by the screens).

    Refused files leave nothing behind: no file, no batch.
    """
    purge_stale()
    stored = store_upload(upload)
    try:
        refuse_if_imported(stored.sha256)
        with stored.open() as source:
            inspect_workbook(source)
        batch = ImportBatch(kind=importer_cls.kind, uploaded_by=user, file_name=stored.file_name,
                            stored_name=stored.name, sha256=stored.sha256, size=stored.size,
                            status=ImportBatch.Status.CHECKING, params=options or {})
        batch.save()
    except BaseException:
        stored.remove()
        raise
    return batch


def check_staged(importer_cls: type[Importer], user: Any, batch: ImportBatch,
                 progress: Progress | None = None) -> Report:
    """Read and validate the rows of a staged batch and keep the report for the preview (a
    refused file is discarded with its batch)."""
    stored = stored_file(batch)
    try:
        _rows, report = validate_file(importer_cls(user, **batch.params), stored, progress)
    except ImportRefused:
        discard(batch)
        raise
    _copy_counts(batch, report)
    batch.status = ImportBatch.Status.STAGED
    batch.save(update_fields=["status", "total_rows", "valid_rows", "error_rows", "imported_rows", "problems",
                              "preview"])
    return report


def confirm(importer_cls: type[Importer], user: Any, batch: ImportBatch, *, valid_only: bool,
            progress: Progress | None = None) -> Report:
    """Import a staged batch (validated again: the database may have changed since)."""
    stored = stored_file(batch)
    importer = importer_cls(user, **batch.params)
    try:
        report, imported = import_file(importer, stored, valid_only=valid_only, batch=batch, progress=progress)
    except ImportRefused:
        discard(batch)
        raise
    if imported is None:  # the rows changed meanwhile: show the new report, keep the upload
        _copy_counts(batch, report)
        batch.save(update_fields=["total_rows", "valid_rows", "error_rows", "imported_rows", "problems", "preview"])
    else:
        stored.remove()
    return report


def discard(batch: ImportBatch) -> None:
    """Drop a staged batch and its file."""
    if batch.stored_name:
        try:
            stored_file(batch).remove()
        except ImportRefused:
            pass
    if batch.status in (ImportBatch.Status.STAGED, ImportBatch.Status.CHECKING):
        batch.status = ImportBatch.Status.DISCARDED
        batch.finished_at = timezone.now()
    batch.stored_name = ""
    batch.save(update_fields=["status", "finished_at", "stored_name"])
