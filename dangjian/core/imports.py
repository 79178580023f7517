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
- the screens (upload -> preview with report -> confirm) and, in ``core.api.imports``, the API.

Uploaded bytes live only under ``MEDIA_ROOT/imports/`` with generated names and are removed
when the import ends, is refused or discarded, and after ``stale_hours`` at the latest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NamedTuple

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import IntegrityError, models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dangjian.core import audit, idcard
from dangjian.core.excel import Column, xlsx_response
from dangjian.core.models import ImportBatch
from dangjian.core.scoping import scope_for

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MACRO_CONTENT_TYPES = ("application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.ms-excel.sheet.macroEnabled.12")
INSTRUCTIONS_SHEET = "说明"
OPTIONS_SHEET = "选项"
PREVIEW_ROWS = 10
STORED_PROBLEMS = 10_000  # problems kept on a staged batch (the count is always exact)
SHOWN_PROBLEMS = 500  # problems listed on the preview page (all are in the .xlsx report)
EMPTY_ROWS_END = 1_000  # this many empty rows in a row end the data (formatted but unused rows)

DEFAULT_LIMITS: dict[str, int] = {
    "max_bytes": 10 * 1024 * 1024,  # the uploaded file
    "max_rows": 20_000,  # data rows
    "max_entries": 500,  # parts inside the zip container
    "max_uncompressed": 100 * 1024 * 1024,  # all parts expanded
    "max_ratio": 200,  # expanded / compressed, for parts above 1 MB
    "stale_hours": 24,  # staged uploads not confirmed by then are discarded
}


def limits() -> dict[str, int]:
    """The import limits: the defaults above, overridden by ``settings.DANGJIAN["IMPORT_LIMITS"]``."""
    configured = getattr(settings, "DANGJIAN", {}).get("IMPORT_LIMITS", {})
    return {**DEFAULT_LIMITS, **configured}


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


class ImportRefused(Exception):
    """The file as a whole is refused (hostile, not a workbook, already imported ...).

    ``code`` is stable for clients and tests; ``message`` is the Chinese sentence for users.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- the uploaded file: stored under a generated name, hashed, inspected ---------------------


def imports_dir() -> Path:
    """Where uploads wait (``MEDIA_ROOT/imports``), created private on first use."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def display_name(name: str | None) -> str:
    """The user's file name for display only: last path part, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or "upload.xlsx"


def check_name_and_type(name: str, content_type: str | None) -> None:
    """Refuse by name and declared type before reading a byte: .xlsx only, no macro files."""
    lower = name.lower()
    declared = (content_type or "").split(";")[0].strip().lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam")) or declared in {t.lower() for t in MACRO_CONTENT_TYPES}:
        raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
    if not lower.endswith(".xlsx"):
        raise ImportRefused("not_xlsx", gettext("Only Excel workbooks in .xlsx format can be imported."))


def too_large() -> ImportRefused:
    return ImportRefused("too_large", gettext("The file is larger than %(mb)s MB; split it into several files.")
                         % {"mb": _mb(limits()["max_bytes"])})


@dataclass
class StoredUpload:
    """An upload copied under a generated name, with its SHA-256 and size."""

    path: Path
    file_name: str
    sha256: str
    size: int

    def remove(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass


def store_upload(upload: UploadedFile) -> StoredUpload:
    """Copy an upload to ``imports_dir()`` under a random name (never the user's), hashing it
    and enforcing the size cap on the bytes actually received."""
    name = display_name(upload.name)
    check_name_and_type(name, getattr(upload, "content_type", None))
    cap = limits()["max_bytes"]
    if upload.size is not None and upload.size > cap:
        raise too_large()
    target = imports_dir() / f"{uuid.uuid4().hex}.xlsx"
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    stored = StoredUpload(target, name, "", 0)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > cap:
                    raise too_large()
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        stored.remove()
        raise
    if size == 0:
        stored.remove()
        raise ImportRefused("empty", gettext("The file is empty."))
    stored.sha256 = digest.hexdigest()
    stored.size = size
    return stored


def stored_file(batch: ImportBatch) -> StoredUpload:
    """The staged file of a batch (its generated name is checked before it becomes a path)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.xlsx", batch.stored_name or ""):
        raise ImportRefused("gone", gettext("The uploaded file is no longer available; please upload it again."))
    return StoredUpload(imports_dir() / batch.stored_name, batch.file_name, batch.sha256, batch.size)


_DECLARATIONS = (b"<!doctype", b"<!entity")


def _has_xml_declarations(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD or entities (billion laughs, external entities)."""
    tail = b""
    with zf.open(info) as part:
        while chunk := part.read(256 * 1024):
            window = (tail + chunk).lower()
            if any(marker in window for marker in _DECLARATIONS):
                return True
            tail = window[-16:]
    return False


def inspect_workbook(file_path: Path) -> None:
    """Refuse anything but a plain .xlsx container, before openpyxl parses it (IO-04).

    Checks, in order: zip signature (renamed executables, encrypted or legacy .xls files),
    number of parts, encrypted parts, unsafe part names, macro parts, total expanded size and
    compression ratio (zip bombs), the parts a workbook must have, and DTD / entity declarations
    in any XML part (entity expansion). Declared sizes are upper bounds: Python's zipfile never
    inflates a part beyond its declared size, it fails the CRC check instead.
    """
    lim = limits()
    not_workbook = ImportRefused("not_xlsx", gettext(
        "The file is not a valid .xlsx workbook (it may be encrypted, damaged, or another kind of file renamed "
        "to .xlsx)."))
    with open(file_path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise not_workbook
    try:
        zf = zipfile.ZipFile(file_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_workbook from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > lim["max_entries"]:
            raise ImportRefused("zip_entries", gettext("The workbook contains an abnormal number of parts; it was refused."))
        names = {info.filename for info in infos}
        for info in infos:
            part = PurePosixPath(info.filename)
            if info.flag_bits & 0x1:
                raise not_workbook
            if info.filename.startswith("/") or "\\" in info.filename or ".." in part.parts:
                raise ImportRefused("zip_path", gettext("The workbook contains parts with unsafe names; it was refused."))
            lower = info.filename.lower()
            if lower.endswith("vbaproject.bin") or lower.startswith(("xl/macrosheets/", "xl/activex/")):
                raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
        expanded = sum(info.file_size for info in infos)
        if expanded > lim["max_uncompressed"]:
            raise ImportRefused("zip_bomb", gettext("The workbook expands to more than %(mb)s MB (a possible zip bomb); it was "
                                              "refused.") % {"mb": _mb(lim["max_uncompressed"])})
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > lim["max_ratio"] * max(info.compress_size, 1):
                raise ImportRefused("zip_bomb", gettext("The workbook is compressed abnormally strongly (a possible zip "
                                                  "bomb); it was refused."))
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise not_workbook
        try:
            content_types = zf.read("[Content_Types].xml").lower()
            if b"macroenabled" in content_types or b"vbaproject" in content_types:
                raise ImportRefused("macro", gettext("Files with macros (.xlsm) are not accepted; save the workbook as .xlsx."))
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")) and _has_xml_declarations(zf, info):
                    raise ImportRefused("xml_dtd", gettext("The workbook contains XML declarations (DTD or entities) that are "
                                                     "not allowed; it was refused."))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # CRC errors, truncated parts
            raise not_workbook from exc


# --- cells -----------------------------------------------------------------------------------

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def cell_text(value: Any) -> str:
    """A cell value as the text a user sees (numbers without a spurious '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalize_text(value: Any) -> str:
    """Trim and collapse spaces of every kind (full-width, no-break, zero-width)."""
    return _SPACE.sub(" ", cell_text(value)).strip()


def normalize_name(value: Any) -> str:
    """A person's or organization's name: spaces between Chinese characters dropped, the
    characters kept exactly as typed (traditional characters are accepted, not converted)."""
    return _CJK_GAP.sub("", normalize_text(value))


def normalize_code(value: Any) -> str:
    """A number-like text (ID number, police number, phone, code): half-width, no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", cell_text(value)))


def parse_date(value: Any) -> dt.date:
    """A date from an Excel date cell, an Excel serial number, or text such as 2020-01-05,
    2020/1/5, 2020.1.5, 2020年1月5日 or 20200105 (full-width digits accepted)."""
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 29991231:
            value = str(int(number))  # 20200105 typed as a number
        elif 1 <= number < 2958466:
            converted = from_excel(number)
            if isinstance(converted, dt.datetime):
                return converted.date()
            raise ValueError(value)
        else:
            raise ValueError(value)
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    text = re.sub(r" ?([年月日/.\-]) ?", r"\1", text)  # "2020 年 1 月 5 日", "2020 / 1 / 5"
    if re.fullmatch(r"\d{1,5}(?:\.0+)?", text):  # a serial number stored as text
        return parse_date(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if not 1900 <= year <= 2999:
                raise ValueError(value)
            return dt.date(year, month, day)
    raise ValueError(value)


def _label(value: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


class Problem(NamedTuple):
    """One problem of the report: where (sheet, row, column header) and what, in Chinese."""

    sheet: str
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportField:
    """One column of an import: its Chinese header (the file's contract) and how its cells parse.

    ``kind``: ``text`` (spaces collapsed), ``name`` (also no spaces between Chinese characters),
    ``code`` (half-width, no spaces: ID and police numbers, phones, codes), ``date`` or
    ``choice`` (the Chinese label or the stored value of ``choices``; offered as a drop-down).
    """

    key: str
    header: str
    required: bool = False
    kind: str = "text"
    max_length: int | None = None
    choices: Sequence[tuple[str, Any]] = ()
    help: Any = ""
    example: str = ""
    width: int = 14
    masked: bool = False  # shown masked on the preview (personal numbers, DP-02)

    def labels(self) -> list[str]:
        return [_label(label) for _value, label in self.choices]

    def choice_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for value, label in self.choices:
            lookup[normalize_code(value).lower()] = value
            lookup[normalize_code(_label(label)).lower()] = value
        return lookup

    def parse(self, raw: Any, lookup: dict[str, str] | None = None) -> Any:
        """The cell's value, or ``None`` when empty; ``ValidationError`` in Chinese otherwise."""
        if self.kind == "date":
            if raw is None or normalize_text(raw) == "":
                return self._empty()
            try:
                return parse_date(raw)
            except (ValueError, OverflowError, TypeError):
                raise ValidationError(gettext("“%(value)s” is not a date; write it like 2020-01-05.")
                                      % {"value": normalize_text(raw)[:40]}) from None
        if self.kind == "code":
            text = normalize_code(raw)
        elif self.kind == "name":
            text = normalize_name(raw)
        else:
            text = normalize_text(raw)
        if text == "":
            return self._empty()
        if self.kind == "choice":
            value = (lookup if lookup is not None else self.choice_lookup()).get(normalize_code(text).lower())
            if value is None:
                raise ValidationError(gettext("“%(value)s” is not one of the choices: %(choices)s.")
                                      % {"value": text[:40], "choices": "、".join(self.labels())})
            return value
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(gettext("At most %(max)d characters (this has %(n)d).") % {"max": self.max_length, "n": len(text)})
        return text

    def _empty(self) -> Any:
        if self.required:
            raise ValidationError(gettext("Required."))
        return None


@dataclass
class Row:
    """One data row of the file: its Excel row number, the raw cells, the parsed values and
    its problems; ``instance`` is what ``write_row`` writes."""

    number: int
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    instance: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    """What validation (and the import, if it ran) found."""

    kind: str
    sheet: str
    total_rows: int = 0
    valid_rows: int = 0
    error_rows: int = 0
    imported_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    file_name: str = ""
    sha256: str = ""
    batch_id: int | None = None

    @property
    def written(self) -> bool:
        return self.imported_rows > 0


class CodeOrNameLookup:
    """Find rows of ``queryset`` by code or by name, among the values a file mentions.

    One query per 500 values; a name that matches several rows is ambiguous (use the code).
    The queryset is already narrowed to what the importing user may use.
    """

    def __init__(self, queryset: Any, values: Iterable[str], *, code_field: str = "code",
                 name_field: str = "name") -> None:
        wanted = sorted({v for v in values if v})
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            upper = [v.upper() for v in chunk]
            q = models.Q(**{f"{name_field}__in": chunk}) | models.Q(**{f"{code_field}__in": chunk + upper})
            for obj in queryset.filter(q):
                self.by_code[normalize_code(getattr(obj, code_field)).upper()] = obj
                self.by_name.setdefault(normalize_name(getattr(obj, name_field)), []).append(obj)

    def find(self, value: str) -> tuple[Any, str]:
        """(row, "") when found; (None, "missing") or (None, "ambiguous") otherwise."""
        found = self.by_code.get(normalize_code(value).upper())
        if found is not None:
            return found, ""
        named = {obj.pk: obj for obj in self.by_name.get(normalize_name(value), [])}
        if len(named) == 1:
            return next(iter(named.values())), ""
        return None, "ambiguous" if named else "missing"


class Importer:
    """Declaration of one importable kind. Subclass, set the attributes, write the hooks.

    An instance lives for one validation or import run, for one user: ``prepare`` loads what
    the rows refer to in a few queries, ``check_row`` adds problems and builds
    ``row.instance``, ``write_row`` writes one valid row (inside the import's transaction, in
    the user's audit context), ``finish`` flushes anything batched.
    """

    kind: ClassVar[str]  # the URL / API name, e.g. "members"
    model: ClassVar[type[models.Model]]
    namespace: ClassVar[str]  # URL namespace of the module, e.g. "members"
    name: ClassVar[str]  # URL name prefix, e.g. "member"
    list_url_name: ClassVar[str]  # where the user goes after an import
    sheet_name: ClassVar[str]  # the data sheet's title in the template, in Chinese
    fields: ClassVar[tuple[ImportField, ...]]
    notes: ClassVar[tuple[Any, ...]] = ()  # extra instruction lines for the 说明 sheet
    do_not_call_in_templates: ClassVar[bool] = True  # templates receive the class itself

    def __init__(self, user: Any) -> None:
        self.user = user
        self.sheet = self.sheet_name
        self._headers = {f.key: f.header for f in self.fields}

    # -- who may import ----------------------------------------------------------------------
    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Whether ``user`` may add rows of this kind anywhere (rows are checked one by one)."""
        area = getattr(cls.model, "scope_area", None)
        return bool(area) and not scope_for(user, str(area), "add").is_empty

    @classmethod
    def title(cls) -> str:
        return str(cls.model._meta.verbose_name_plural)

    # -- hooks -------------------------------------------------------------------------------
    def prepare(self, rows: list[Row]) -> None:
        """Load what the rows refer to (organizations, existing keys) in a few queries."""

    def check_row(self, row: Row) -> None:
        """Add the row's domain problems; set ``row.instance`` when it can be written."""

    def write_row(self, row: Row) -> Any:
        """Write one valid row (default: ``save()`` of the instance, which audits it)."""
        row.instance.save()
        return row.instance

    def finish(self) -> None:
        """Write anything ``write_row`` batched."""

    # -- helpers for the hooks ---------------------------------------------------------------
    def problem(self, row: Row, key: str, message: str) -> None:
        row.problems.append(Problem(self.sheet, row.number, self._headers.get(key, ""), str(message)))

    def model_errors(self, row: Row, exc: ValidationError, columns: dict[str, str] | None = None) -> None:
        """Report a model's ``clean()`` errors under the columns of the fields they name."""
        mapped = columns or {}
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for name, messages_ in errors.items():
            key = mapped.get(name, name)
            for message in messages_:
                self.problem(row, key if key in self._headers else "", message)

    def unique_in_file(self, row: Row, key: str, value: Any, seen: dict[Any, int], message: str) -> bool:
        """Report ``value`` when an earlier row had it; remember it otherwise."""
        if value in (None, ""):
            return True
        first = seen.get(value)
        if first is not None:
            self.problem(row, key, message % {"row": first})
            return False
        seen[value] = row.number
        return True

    # -- URLs --------------------------------------------------------------------------------
    @classmethod
    def urls(cls, prefix: str = "import/") -> list[URLPattern]:
        """The import screens of this kind (explicit, like ``ModelViews.urls``)."""
        prefix = prefix.rstrip("/") + "/"
        return [
            path(prefix, ImportUploadView.as_view(importer=cls), name=f"{cls.name}_import"),
            path(f"{prefix}template.xlsx", ImportTemplateView.as_view(importer=cls), name=f"{cls.name}_import_template"),
            path(f"{prefix}<int:pk>/", ImportBatchView.as_view(importer=cls), name=f"{cls.name}_import_batch"),
            path(f"{prefix}<int:pk>/report.xlsx", ImportReportView.as_view(importer=cls),
                 name=f"{cls.name}_import_report"),
        ]

    @classmethod
    def url(cls, view: str = "import", batch: ImportBatch | None = None) -> str:
        name = f"{cls.namespace}:{cls.name}_{view}" if view == "import" else f"{cls.namespace}:{cls.name}_import_{view}"
        return reverse(name, args=[batch.pk] if batch is not None else None)


# --- reading and validating ------------------------------------------------------------------


def _header_key(text: Any) -> str:
    return normalize_code(text).replace("*", "").replace("＊", "")


def read_rows(importer: Importer, file_path: Path) -> tuple[list[Row], list[Problem]]:
    """The data rows of the workbook (empty rows skipped) and the header problems.

    Reads the sheet named like the template's data sheet, else the first sheet that is not the
    instructions or the options sheet. openpyxl runs read-only, without links, through
    defusedxml (the file passed :func:`inspect_workbook` first).
    """
    from openpyxl import load_workbook

    max_rows = limits()["max_rows"]
    try:
        workbook = load_workbook(file_path, read_only=True, data_only=True, keep_links=False)
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


def validate_rows(importer: Importer, rows: list[Row], header_problems: list[Problem]) -> Report:
    """Parse every cell, run the importer's checks, and build the report (nothing is written)."""
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
        for row in rows:
            importer.check_row(row)
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


def validate_file(importer: Importer, file_path: Path) -> tuple[list[Row], Report]:
    """Inspect, read and validate a stored file."""
    inspect_workbook(file_path)
    rows, header_problems = read_rows(importer, file_path)
    return rows, validate_rows(importer, rows, header_problems)


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
                batch: ImportBatch | None = None) -> tuple[Report, ImportBatch | None]:
    """Validate every row of ``upload``; then, unless ``dry_run``, write them in one transaction.

    Nothing is written when any row has a problem, unless ``valid_only`` (then exactly the valid
    rows are). The rows, the ``ImportBatch`` (status imported, with the counts) and the audit
    entries commit together: a failure or a kill at any row leaves nothing (REL-06). The same
    file is refused once imported (checked first, and held by a unique constraint).
    Returns the report and the imported batch (``None`` when nothing was written).
    """
    if dry_run:
        refuse_if_imported(upload.sha256)
        _rows, report = validate_file(importer, upload.path)
        _describe(report, upload)
        return report, None
    try:
        with transaction.atomic():
            refuse_if_imported(upload.sha256)
            rows, report = validate_file(importer, upload.path)
            _describe(report, upload)
            if report.valid_rows == 0 or (report.error_rows and not valid_only):
                return report, None
            written = 0
            for row in rows:
                if row.ok:
                    write_row(importer, row)
                    written += 1
            importer.finish()
            report.imported_rows = written
            batch = _record_batch(importer, upload, report, valid_only=valid_only, batch=batch)
            report.batch_id = batch.pk
    except IntegrityError as exc:
        refuse_if_imported(upload.sha256)  # a concurrent import of the same file won the race
        raise ImportRefused("conflict", gettext("Someone changed the same records while the file was being imported; nothing "
                                          "was imported. Please upload the file again.")) from exc
    return report, batch


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
    stale = list(ImportBatch.objects.filter(status=ImportBatch.Status.STAGED, created_at__lt=cutoff))
    for batch in stale:
        discard(batch)
    return len(stale)


def stage(importer_cls: type[Importer], user: Any, upload: UploadedFile) -> ImportBatch:
    """Store, inspect and validate an upload; keep it as a staged batch for the preview.

    Refused files leave nothing behind: no file, no batch.
    """
    purge_stale()
    stored = store_upload(upload)
    try:
        refuse_if_imported(stored.sha256)
        importer = importer_cls(user)
        _rows, report = validate_file(importer, stored.path)
        batch = ImportBatch(kind=importer_cls.kind, uploaded_by=user, file_name=stored.file_name,
                            stored_name=stored.path.name, sha256=stored.sha256, size=stored.size)
        _copy_counts(batch, report)
        batch.save()
    except BaseException:
        stored.remove()
        raise
    return batch


def confirm(importer_cls: type[Importer], user: Any, batch: ImportBatch, *, valid_only: bool) -> Report:
    """Import a staged batch (validated again: the database may have changed since)."""
    stored = stored_file(batch)
    importer = importer_cls(user)
    try:
        report, imported = import_file(importer, stored, valid_only=valid_only, batch=batch)
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
    if batch.status == ImportBatch.Status.STAGED:
        batch.status = ImportBatch.Status.DISCARDED
        batch.finished_at = timezone.now()
    batch.stored_name = ""
    batch.save(update_fields=["status", "finished_at", "stored_name"])


# --- files for users: the template and the report --------------------------------------------


def template_bytes(importer_cls: type[Importer]) -> bytes:
    """The .xlsx template of a kind: the data sheet (headers, text/date formats, drop-downs),
    the instructions sheet with one line per column and an example row, the options sheet."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    lim = limits()
    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False, "strings_to_numbers": False})
        required_fmt = workbook.add_format({"bold": True, "font_color": "#C00000", "bg_color": "#F2DEDE", "border": 1})
        optional_fmt = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        text_fmt = workbook.add_format({"num_format": "@"})
        date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
        title_fmt = workbook.add_format({"bold": True, "font_size": 14})
        wrap_fmt = workbook.add_format({"text_wrap": True, "valign": "top"})
        data = workbook.add_worksheet(importer_cls.sheet_name)
        guide = workbook.add_worksheet(INSTRUCTIONS_SHEET)
        options = workbook.add_worksheet(OPTIONS_SHEET)
        last_row = lim["max_rows"]
        for col, f in enumerate(importer_cls.fields):
            data.set_column(col, col, f.width, date_fmt if f.kind == "date" else text_fmt if f.kind != "choice" else None)
            data.write_string(0, col, f.header, required_fmt if f.required else optional_fmt)
            if f.kind == "choice":
                labels = f.labels()
                letter = xl_col_to_name(col)
                options.write_string(0, col, f.header)
                options.write_column(1, col, labels)
                data.data_validation(1, col, last_row, col, {
                    "validate": "list", "source": f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}",
                    "error_title": f.header, "error_message": gettext("Choose a value from the drop-down list."),
                })
        data.freeze_panes(1, 0)
        options.hide()

        guide.set_column(0, 0, 16)
        guide.set_column(1, 1, 8)
        guide.set_column(2, 2, 70)
        guide.set_column(3, 3, 24)
        guide.write_string(0, 0, gettext("How to fill in the %(title)s import file") % {"title": importer_cls.title()}, title_fmt)
        notes = [
            gettext("Fill in one row per record on the sheet “%(sheet)s”, from row 2 on; do not change the header row.")
            % {"sheet": importer_cls.sheet_name},
            gettext("Columns with a red header are required."),
            gettext("Dates may be entered as Excel dates or written as 2020-01-05, 2020/1/5, 2020年1月5日 or 20200105."),
            gettext("Choose enumerated values from the drop-down lists."),
            gettext("The whole file is checked before anything is written: if any row has a problem, nothing is imported, "
              "unless you choose to import only the valid rows."),
            gettext("The same file cannot be imported twice."),
            gettext("At most %(rows)d rows and %(mb)s MB per file; only .xlsx workbooks without macros.")
            % {"rows": lim["max_rows"], "mb": _mb(lim["max_bytes"])},
            *(str(n) for n in importer_cls.notes),
        ]
        for i, note in enumerate(notes, start=2):
            guide.write_string(i, 0, f"{i - 1}. {note}")
        top = len(notes) + 3
        guide.write_row(top, 0, [gettext("Column"), gettext("Required"), gettext("Format and meaning"), gettext("Example")], optional_fmt)
        for i, f in enumerate(importer_cls.fields, start=top + 1):
            meaning = str(f.help)
            if f.kind == "choice":
                meaning = (meaning + " " if meaning else "") + gettext("One of: %(choices)s.") % {"choices": "、".join(f.labels())}
            elif f.kind == "date":
                meaning = (meaning + " " if meaning else "") + gettext("A date.")
            guide.write_string(i, 0, f.header, required_fmt if f.required else None)
            guide.write_string(i, 1, gettext("Yes") if f.required else "")
            guide.write_string(i, 2, meaning, wrap_fmt)
            guide.write_string(i, 3, f.example)
        example_top = top + len(importer_cls.fields) + 2
        guide.write_string(example_top, 0, gettext("Example row (copy it to the sheet “%(sheet)s” only as a model):")
                           % {"sheet": importer_cls.sheet_name}, title_fmt)
        for col, f in enumerate(importer_cls.fields):
            guide.write_string(example_top + 1, col, f.header, required_fmt if f.required else optional_fmt)
            guide.write_string(example_top + 2, col, f.example)
        workbook.close()
    return buffer.getvalue()


REPORT_COLUMNS = (Column("工作表", "sheet", 12), Column("行号", "row", 8), Column("列", "column", 14),
                  Column("问题", "message", 80))


def report_response(importer_cls: type[Importer], problems: Sequence[Sequence[Any]]) -> HttpResponseBase:
    """The problems as an .xlsx download (texts neutralized against formula injection)."""
    rows = [Problem(*p) for p in problems]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response, _count = xlsx_response(f"{importer_cls.title()}-导入问题-{stamp}.xlsx", "导入问题", REPORT_COLUMNS, rows)
    return response


# --- screens ---------------------------------------------------------------------------------


class CappedUploadHandler(FileUploadHandler):
    """Stops receiving a file beyond the size cap while it streams in, so an oversized upload
    never fills the disk; the view then reports it as too large."""

    def __init__(self, request: Any = None, limit: int = 0) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def cap_uploads(request: HttpRequest) -> CappedUploadHandler:
    """Put the size-capping handler first, before anything parses the request body."""
    handler = CappedUploadHandler(request, limits()["max_bytes"])
    request.upload_handlers = [handler, *request.upload_handlers]
    return handler


def declared_too_large(request: HttpRequest) -> bool:
    """The request announces a body far beyond the cap (refused without reading it)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limits()["max_bytes"] + 64 * 1024


class ImportView(View):
    importer: type[Importer] = Importer

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.importer.allowed(request.user):
            raise Http404  # no role of this user may add this kind of row
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra: Any) -> dict[str, Any]:
        importer = self.importer
        return {
            "importer": importer, "title": importer.title(), "fields": importer.fields,
            "list_url": reverse(importer.list_url_name), "upload_url": importer.url(),
            "template_url": importer.url("template"), "limits": limits(), "max_mb": _mb(limits()["max_bytes"]),
            **extra,
        }

    def batch(self, request: HttpRequest, pk: int) -> ImportBatch:
        """A batch of this kind uploaded by this user (404 for anyone else's)."""
        batch = ImportBatch.objects.filter(  # scope-ok: only the uploader's own batches
            pk=pk, kind=self.importer.kind, uploaded_by=request.user.pk).first()
        if batch is None:
            raise Http404
        return batch


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload cap is in place
class ImportUploadView(ImportView):
    """Step 1: the upload form, the template link, the user's recent imports of this kind."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def page(self, request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
        recent = ImportBatch.objects.filter(  # scope-ok: only the uploader's own batches
            kind=self.importer.kind, uploaded_by=request.user.pk).exclude(status=ImportBatch.Status.DISCARDED)[:5]
        recent_links = [(batch, self.importer.url("batch", batch)) for batch in recent]
        return render(request, "core/import_upload.html", self.context(error=error, recent=recent_links), status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        if declared_too_large(request):
            return self.refused(request, "", too_large())  # without reading the body
        handler = cap_uploads(request)
        return self._post(request, handler)

    def refused(self, request: HttpRequest, file_name: str, exc: ImportRefused) -> HttpResponse:
        audit_refusal(self.importer, file_name, exc)
        return self.page(request, exc.message, status=400)

    @method_decorator(csrf_protect)
    def _post(self, request: HttpRequest, handler: CappedUploadHandler) -> HttpResponse:
        upload = request.FILES.get("file")
        if handler.exceeded:
            return self.refused(request, "", too_large())
        if upload is None:
            return self.page(request, gettext("Choose the .xlsx file to upload."), status=400)
        try:
            batch = stage(self.importer, request.user, upload)
        except ImportRefused as exc:
            return self.refused(request, upload.name or "", exc)
        return HttpResponseRedirect(self.importer.url("batch", batch))


class ImportTemplateView(ImportView):
    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_bytes(self.importer), content_type=XLSX_CONTENT_TYPE)
        filename = f"{self.importer.title()}导入模板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
        return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


class ImportBatchView(ImportView):
    """Step 2 and 3: the preview with the report; confirm (all rows / valid rows) or discard."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(request, self.batch(request, pk))

    def page(self, request: HttpRequest, batch: ImportBatch, status: int = 200) -> HttpResponse:
        problems = [Problem(*p) for p in batch.problems[:SHOWN_PROBLEMS]]
        return render(request, "core/import_preview.html", self.context(
            batch=batch, problems=problems, more_problems=max(len(batch.problems) - SHOWN_PROBLEMS, 0),
            headers=[f.header for f in self.importer.fields], staged=batch.status == ImportBatch.Status.STAGED,
            report_url=self.importer.url("report", batch),
        ), status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(request, pk)
        action = request.POST.get("action", "")
        if batch.status != ImportBatch.Status.STAGED:
            messages.error(request, gettext("This upload was already imported or discarded."))
            return HttpResponseRedirect(self.importer.url())
        if action == "discard":
            discard(batch)
            messages.info(request, gettext("The upload was discarded; nothing was imported."))
            return HttpResponseRedirect(self.importer.url())
        if action not in ("all", "valid"):
            return self.page(request, batch, status=400)
        valid_only = action == "valid"
        if not valid_only and batch.error_rows:
            messages.error(request, gettext("Some rows have problems: fix the file and upload it again, or import only the "
                                      "valid rows."))
            return self.page(request, batch, status=400)
        try:
            report = confirm(self.importer, request.user, batch, valid_only=valid_only)
        except ImportRefused as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(self.importer.url())
        if not report.written:
            batch.refresh_from_db()
            messages.error(request, gettext("The data changed since the preview and some rows now have problems; nothing was "
                                      "imported. Check the report below."))
            return self.page(request, batch, status=409)
        messages.success(request, gettext("Imported %(n)d rows from %(file)s.") % {"n": report.imported_rows,
                                                                            "file": batch.file_name})
        return HttpResponseRedirect(reverse(self.importer.list_url_name))


class ImportReportView(ImportView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return report_response(self.importer, self.batch(request, pk).problems)
