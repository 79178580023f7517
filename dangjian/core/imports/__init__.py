"""Excel import: one framework for every kind of row that users enter in bulk (SPEC F2 import;
SECURITY.md IO-01, IO-04, REL-06, DP-04).

A module declares an :class:`Importer` — its columns (:class:`ImportField`), how a parsed row is
checked against the database and the user's scope (``prepare`` / ``check_row``) and how a valid
row is written (``write_row``) — and gets:

- a downloadable template (data sheet with Chinese headers, drop-down lists for enumerations,
  an instructions sheet 说明 with an example row);
- hostile-file refusal *before* openpyxl sees the bytes (:func:`inspect_workbook`): size cap,
  .xlsx only, no macros, zip entry count / expanded size / compression ratio (zip bombs), no
  DTD or entity declarations; openpyxl itself parses through defusedxml (system check E003);
- validation of every row before anything is written, as a row-by-row report of
  (sheet, row, column, problem in Chinese), on screen and as .xlsx;
- an all-or-nothing write in one transaction (:func:`import_file`): nothing is written unless
  every row is valid, or the user explicitly asks for the valid rows only; a crash or a kill at
  any row leaves nothing; the same file (SHA-256) is never imported twice (``ImportBatch``);
- the screens (upload -> preview with report -> confirm; checking and importing run as
  background jobs with a progress bar) and, in ``core.api.imports``, the API.

Uploaded bytes live only in the imports storage (Django's storage API: ``MEDIA_ROOT/imports/``
on one machine, a shared volume or S3-compatible store for several nodes) under generated names
and are removed when the import ends, is refused or discarded, and after ``stale_hours``.

The package: ``files`` (storage, limits, hostile-file inspection), ``cells`` (parsing what
users type), ``declare`` (what a module declares), ``run`` (read, validate, write, stage),
``workbooks`` (template and report files), ``jobs`` (the long steps as jobs), ``views``.
"""

from __future__ import annotations

from dangjian.core.imports.cells import (
    cell_text,
    label_text,
    normalize_code,
    normalize_name,
    normalize_text,
    parse_date,
)
from dangjian.core.imports.declare import (
    CodeOrNameLookup,
    Importer,
    ImportField,
    Problem,
    Report,
    Row,
)
from dangjian.core.imports.files import (
    DEFAULT_LIMITS,
    WORD_PARTS,
    XLSX_CONTENT_TYPE,
    ImportRefused,
    StoredUpload,
    check_name_and_type,
    display_name,
    inspect_workbook,
    limits,
    storage,
    store_upload,
    stored_file,
    too_large,
)
from dangjian.core.imports.run import (
    Progress,
    already_imported,
    audit_refusal,
    check_staged,
    confirm,
    discard,
    import_file,
    purge_stale,
    read_rows,
    refuse_if_imported,
    stage,
    validate_file,
    validate_rows,
    write_row,
)
from dangjian.core.imports.views import CappedUploadHandler, cap_uploads, declared_too_large
from dangjian.core.imports.workbooks import report_response, template_bytes

__all__ = [
    "DEFAULT_LIMITS", "XLSX_CONTENT_TYPE", "CappedUploadHandler", "CodeOrNameLookup", "ImportField", "ImportRefused",
    "Importer", "Problem", "Progress", "Report", "Row", "StoredUpload", "already_imported", "audit_refusal",
    "cap_uploads", "cell_text", "check_name_and_type", "check_staged", "confirm", "declared_too_large", "discard",
    "display_name", "import_file", "WORD_PARTS", "inspect_workbook", "label_text", "limits", "normalize_code", "normalize_name",
    "normalize_text", "parse_date", "purge_stale", "read_rows", "refuse_if_imported", "report_response", "stage",
    "storage", "store_upload", "stored_file", "template_bytes", "too_large", "validate_file", "validate_rows",
    "write_row",
]
