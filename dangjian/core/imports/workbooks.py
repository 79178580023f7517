"""Files for users: the import template of a kind and the report of a file's problems."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpResponseBase
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.core.excel import Column, xlsx_response
from dangjian.core.imports.declare import Importer, Problem
from dangjian.core.imports.files import INSTRUCTIONS_SHEET, OPTIONS_SHEET, _mb, limits


def template_bytes(importer_cls: type[Importer]) -> bytes:
    """The .xlsx template of a kind: the data sheet (headers, text/date formats, drop-downs),
    the instructions sheet with one line per column and an example row, the options sheet."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    lim = limits()
    columns = importer_cls.columns()
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
        for col, f in enumerate(columns):
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
        for i, f in enumerate(columns, start=top + 1):
            meaning = str(f.help)
            if f.kind == "choice":
                meaning = (meaning + " " if meaning else "") + gettext("One of: %(choices)s.") % {"choices": "、".join(f.labels())}
            elif f.kind == "date":
                meaning = (meaning + " " if meaning else "") + gettext("A date.")
            guide.write_string(i, 0, f.header, required_fmt if f.required else None)
            guide.write_string(i, 1, gettext("Yes") if f.required else "")
            guide.write_string(i, 2, meaning, wrap_fmt)
            guide.write_string(i, 3, f.example)
        example_top = top + len(columns) + 2
        guide.write_string(example_top, 0, gettext("Example row (copy it to the sheet “%(sheet)s” only as a model):")
                           % {"sheet": importer_cls.sheet_name}, title_fmt)
        for col, f in enumerate(columns):
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
