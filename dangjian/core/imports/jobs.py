"""The import screens' long steps as background jobs: checking a staged file's rows, and the
all-or-nothing import of a confirmed one (10,000 members take tens of seconds)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.core.imports.declare import Importer
from dangjian.core.imports.run import check_staged, confirm
from dangjian.core.models import ImportBatch


def importer_path(importer_cls: type[Importer]) -> str:
    return f"{importer_cls.__module__}.{importer_cls.__qualname__}"


def _importer(path: str) -> type[Importer]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Importer)):
        raise ImportError(path)
    return cls


def _batch(ctx: jobs.JobContext, importer_cls: type[Importer], pk: int, status: str) -> ImportBatch:
    batch = ImportBatch.objects.filter(  # scope-ok: only the uploader's own batches
        pk=pk, kind=importer_cls.kind, uploaded_by=ctx.user).first()
    if batch is None or batch.status != status:
        raise jobs.JobError(gettext("This upload was already imported or discarded."))
    return batch


def _figures(batch: ImportBatch) -> list[tuple[str, Any]]:
    return [(gettext("Rows"), batch.total_rows), (gettext("Valid rows"), batch.valid_rows),
            (gettext("Rows with problems"), batch.error_rows), (gettext("Imported rows"), batch.imported_rows)]


@jobs.job(title=_("Check an import file"), atomic=False)  # the framework's own transactions
def check_file(ctx: jobs.JobContext, *, importer: str, batch: int) -> jobs.Outcome:
    importer_cls = _importer(importer)
    row = _batch(ctx, importer_cls, batch, ImportBatch.Status.CHECKING)
    ctx.stage(gettext("Checking the rows"))
    report = check_staged(importer_cls, ctx.user, row, ctx.progress)
    row.refresh_from_db()
    message = (gettext("Checked %(n)d rows: all can be imported.") % {"n": report.total_rows} if not report.error_rows else
               gettext("Checked %(n)d rows: %(bad)d have problems.") % {"n": report.total_rows, "bad": report.error_rows})
    return jobs.Outcome(message=message, figures=_figures(row), url=importer_cls.url("batch", row))


@jobs.job(title=_("Import a file"), atomic=False)  # import_file: one transaction, all or nothing
def import_file(ctx: jobs.JobContext, *, importer: str, batch: int, valid_only: bool) -> jobs.Outcome:
    importer_cls = _importer(importer)
    row = _batch(ctx, importer_cls, batch, ImportBatch.Status.STAGED)
    ctx.stage(gettext("Checking the rows again and writing them"))
    report = confirm(importer_cls, ctx.user, row, valid_only=valid_only, progress=ctx.progress)
    row.refresh_from_db()
    if not report.written:
        raise jobs.JobError(gettext("The data changed since the preview and some rows now have problems; nothing was "
                              "imported. Open the upload again to see the new report."))
    return jobs.Outcome(message=gettext("Imported %(n)d rows from %(file)s.") % {"n": report.imported_rows,
                                                                          "file": row.file_name},
                        figures=_figures(row), url=reverse(importer_cls.list_url_name))
