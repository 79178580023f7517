"""Cells as users type them: text, names, number-like codes and dates in every usual spelling."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.utils import translation

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


def label_text(value: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)
