"""What a module declares: an :class:`Importer` with its columns (:class:`ImportField`) and
hooks, and the shapes the framework hands it (:class:`Row`, :class:`Problem`, :class:`Report`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext

from dangjian.core.fieldmessages import FIELD_MESSAGES, INVALID_BY_TYPE, REQUIRED_CHOICE, REQUIRED_TEXT
from dangjian.core.imports.cells import label_text, normalize_code, normalize_name, normalize_text, parse_date
from dangjian.core.models import ImportBatch
from dangjian.core.scoping import scope_for

#: The forms' sentence for a date that is not one (“入党日期”不是有效的日期，请按 2026-12-01 的格式填写。).
INVALID_DATE = dict(INVALID_BY_TYPE)[forms.DateField]


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
        return [label_text(label) for _value, label in self.choices]

    def choice_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for value, label in self.choices:
            lookup[normalize_code(value).lower()] = value
            lookup[normalize_code(label_text(label)).lower()] = value
        return lookup

    def parse(self, raw: Any, lookup: dict[str, str] | None = None) -> Any:
        """The cell's value, or ``None`` when empty; ``ValidationError`` in Chinese otherwise."""
        if self.kind == "date":
            if raw is None or normalize_text(raw) == "":
                return self._empty()
            try:
                return parse_date(raw)
            except (ValueError, OverflowError, TypeError):
                raise ValidationError(self._sentence(INVALID_DATE)) from None
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
                raise ValidationError(self._sentence(FIELD_MESSAGES["invalid_choice"]) + gettext(
                    "Options: %(choices)s.") % {"choices": "、".join(self.labels())})
            return value
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(self._sentence(FIELD_MESSAGES["max_length"], params=True)
                                  % {"limit_value": self.max_length, "show_value": len(text)})
        return text

    def _empty(self) -> Any:
        if self.required:
            raise ValidationError(self._sentence(REQUIRED_CHOICE if self.kind == "choice" else REQUIRED_TEXT))
        return None

    def _sentence(self, template: Any, *, params: bool = False) -> str:
        """The forms' and the API's sentence naming this column (请填写“姓名”。), so a clerk reads
        the same words on the screen, in the API and in the import report (``params``: the
        validator's values are formatted in afterwards)."""
        return str(template).replace("%(field)s", self.header.replace("%", "%%") if params else self.header)


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
    #: A form of options the user gives with the file (e.g. the year); its cleaned data is kept on
    #: the batch (JSON) and handed to the importer as keyword arguments.
    options_form: ClassVar[type[forms.Form] | None] = None
    do_not_call_in_templates: ClassVar[bool] = True  # templates receive the class itself

    def __init__(self, user: Any, **options: Any) -> None:
        self.user = user
        self.options = options
        self.sheet = self.sheet_name
        self.fields = self.columns()  # type: ignore[misc]
        self._headers = {f.key: f.header for f in self.fields}

    @classmethod
    def columns(cls) -> tuple[ImportField, ...]:
        """The columns of the file: ``fields``, or columns that depend on data (override)."""
        return cls.fields

    @classmethod
    def options_initial(cls) -> dict[str, Any]:
        """Initial values of the options form on the upload screen."""
        return {}

    @classmethod
    def clean_options(cls, data: Any) -> tuple[dict[str, Any], Any]:
        """Validate the options the user sent with the file: (options, None) or ({}, bound form with errors)."""
        if cls.options_form is None:
            return {}, None
        form = cls.options_form(data)
        if not form.is_valid():
            return {}, form
        return {k: v for k, v in form.cleaned_data.items() if isinstance(v, str | int | bool | None)}, None

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
        from dangjian.core.imports.views import (
            ImportBatchView,
            ImportReportView,
            ImportTemplateView,
            ImportUploadView,
        )

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
