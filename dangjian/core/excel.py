"""Streamed .xlsx export with constant memory (xlsxwriter) and formula-injection guard (IO-04)."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import xlsxwriter
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext

#: Leading characters a spreadsheet may treat as a formula (ASVS 1.2.10).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralize(value: str) -> str:
    """Prefix a text that would start a formula with an apostrophe, so it stays text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


class Column:
    """One export column: a Chinese header and how to get the cell from a row.

    ``getter`` is a callable, or an attribute path ``"org__name"``; a path ending in
    ``get_<field>_display`` reads the raw value and looks its label up in a table built once
    per export (translating the label for each of 100,000 rows costs more than the query).
    ``transform`` is applied to the value (e.g. masking an ID number).

    When every column of an export is a path of model fields, the export reads tuples with
    ``values_list`` instead of building model instances (see :func:`tuple_columns`).
    """

    def __init__(self, header: Any, getter: str | Callable[[Any], Any], width: int = 14,
                 transform: Callable[[Any], Any] | None = None) -> None:
        self.header = header
        self.getter = getter
        self.width = width
        self.transform = transform
        self._parts: list[str] = getter.split("__") if isinstance(getter, str) else []
        self._display_field = ""
        if self._parts and self._parts[-1].startswith("get_") and self._parts[-1].endswith("_display"):
            self._display_field = self._parts.pop()[4:-8]
        self._labels: dict[Any, str] | None = None

    def value(self, row: Any) -> Any:
        if callable(self.getter):
            return self._out(self.getter(row))
        obj = row
        for part in self._parts:
            obj = getattr(obj, part, None)
            if obj is None:
                return ""
            if callable(obj) and not isinstance(obj, type):
                obj = obj()
        if self._display_field:
            raw = getattr(obj, self._display_field, None)
            if self._labels is None:
                self._labels = self._choice_labels(obj._meta.get_field(self._display_field))
            return self._labels.get(raw, raw if raw is not None else "")
        return self._out(obj)

    def _out(self, value: Any) -> Any:
        return self.transform(value) if self.transform is not None and value not in (None, "") else value

    @staticmethod
    def _choice_labels(field: Any) -> dict[Any, str]:
        return {value: str(label) for value, label in field.flatchoices}

    def orm_path(self, model: type[models.Model]) -> tuple[str, Any] | None:
        """``(values_list path, field)`` when the column reads a model field, else None."""
        if callable(self.getter):
            return None
        names = [*self._parts, self._display_field] if self._display_field else list(self._parts)
        current: Any = model
        field: Any = None
        for i, name in enumerate(names):
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            if field.is_relation:
                if i == len(names) - 1:
                    return None  # a related object, shown through its str()
                current = field.related_model
        return "__".join(names), field


class _TupleColumn:
    """A column reading position ``index`` of a ``values_list`` row."""

    def __init__(self, column: Column, index: int, field: Any) -> None:
        self.header, self.width, self.index, self.column = column.header, column.width, index, column
        self.labels = Column._choice_labels(field) if column._display_field else None

    def value(self, row: tuple[Any, ...]) -> Any:
        raw = row[self.index]
        if self.labels is not None:
            return self.labels.get(raw, raw if raw is not None else "")
        return self.column._out(raw)


def tuple_columns(model: type[models.Model], columns: Sequence[Column]) -> tuple[list[str], list[Any]] | None:
    """The values_list paths and tuple readers for ``columns``, or None if one needs the model."""
    resolved = [c.orm_path(model) for c in columns]
    if any(r is None for r in resolved):
        return None
    paths = [r[0] for r in resolved if r is not None]
    readers = [_TupleColumn(c, i, r[1]) for i, (c, r) in enumerate(zip(columns, resolved, strict=True)) if r]
    return paths, readers


class _TempFileResponse(FileResponse):
    """A FileResponse that deletes its temporary file once sent (DP-04)."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        self._temp_path = path
        super().__init__(open(path, "rb"), **kwargs)  # noqa: SIM115  (closed by the response)

    def close(self) -> None:
        super().close()
        try:
            os.unlink(self._temp_path)
        except FileNotFoundError:
            pass


def write_cell(ws: Any, r: int, c: int, value: Any, *, money: Any = None, date: Any = None, text: Any = None) -> None:
    """Write one typed cell: the one place where values become spreadsheet cells.

    Text is formula-neutralized (IO-04). A Decimal becomes a number cell (Excel stores every
    number as a double; the exact amount stays in the application); empty values are skipped.
    """
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", text)
    elif isinstance(value, decimal.Decimal):
        ws.write_number(r, c, float(value), money)  # display only; exact value in the app
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    elif isinstance(value, dt.datetime):
        ws.write_string(r, c, timezone.localtime(value).strftime("%Y-%m-%d %H:%M"), text)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)  # noqa: DTZ001
    else:
        ws.write_string(r, c, neutralize(str(value)), text)


#: Layout of every export: a title row, the header row, then the data rows from this row on.
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2


def write_xlsx(path: str, sheet: str, columns: Sequence[Any], rows: Iterable[Any],
               progress: Callable[[int], object] | None = None, *, title: str | None = None) -> int:
    """Write rows to ``path``; returns the number of data rows. ``progress(rows written)`` is
    called every 500 rows and at the end (a background export's progress bar).

    The sheet reads like an office table: a title row (``title``, else the sheet's name and
    the export date), the header row with an autofilter, a 序号 column, numbers and dates as
    typed cells, header and title frozen."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                          "strings_to_urls": False, "tmpdir": tempfile.gettempdir()})
    title_fmt = workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header_fmt = workbook.add_format({"bold": True, "bg_color": "#F2DEDE", "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = workbook.add_format({"num_format": "#,##0.00"})
    ws = workbook.add_worksheet(sheet[:31])
    heading = title or gettext("%(title)s (exported %(date)s)") % {
        "title": sheet, "date": timezone.localdate().strftime("%Y-%m-%d")}
    ws.set_row(TITLE_ROW, 24)
    if columns:
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, len(columns), neutralize(str(heading)), title_fmt)
    else:
        ws.write_string(TITLE_ROW, 0, neutralize(str(heading)), title_fmt)
    ws.set_column(0, 0, 6)
    ws.write_string(HEADER_ROW, 0, gettext("No."), header_fmt)
    for c, col in enumerate(columns, start=1):
        ws.set_column(c, c, col.width)
        ws.write_string(HEADER_ROW, c, str(col.header), header_fmt)  # a lazy msgid is translated here
    count = 0
    for count, row in enumerate(rows, start=1):
        r = FIRST_DATA_ROW + count - 1
        ws.write_number(r, 0, count)
        for c, col in enumerate(columns, start=1):
            write_cell(ws, r, c, col.value(row), money=money_fmt, date=date_fmt)
        if progress is not None and count % 500 == 0:
            progress(count)
    if progress is not None:
        progress(count)
    ws.autofilter(HEADER_ROW, 0, HEADER_ROW + max(count, 1), len(columns))
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    workbook.close()
    return count


def xlsx_response(filename: str, sheet: str, columns: Sequence[Any], rows: Iterable[Any], *,
                  title: str | None = None) -> tuple[FileResponse, int]:
    """Write the rows to a temporary file and stream it back as an attachment."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    os.close(fd)
    try:
        count = write_xlsx(path, sheet, columns, rows, title=title)
    except Exception:
        os.unlink(path)
        raise
    response = _TempFileResponse(
        path, as_attachment=True, filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return response, count
