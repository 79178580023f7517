"""The 18-character resident identity number (GB 11643-1999, ISO 7064 MOD 11-2)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘＸ", "0123456789XXX")


def normalize(value: str) -> str:
    """Upper-case, half-width, without spaces (what people type or paste from Excel)."""
    return re.sub(r"\s+", "", str(value)).translate(_FULLWIDTH).upper()


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def birth_date(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender(number: str) -> str:
    """'M' or 'F' from the sequence digit (odd = male)."""
    return "M" if int(number[16]) % 2 else "F"


def validate(value: str) -> str:
    """Return the normalized number or raise ValidationError with a Chinese message."""
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(gettext("The ID number must have 18 characters."), code="length")
    if not _SHAPE.match(number):
        raise ValidationError(gettext("The ID number may contain only digits and a final X."), code="shape")
    try:
        born = birth_date(number)
    except ValueError as exc:
        raise ValidationError(gettext("The birth date inside the ID number is not a real date."), code="birth") from exc
    if born.year < 1900 or born > dt.date.today():  # noqa: DTZ011
        raise ValidationError(gettext("The birth date inside the ID number is not plausible."), code="birth")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(gettext("The ID number's check digit is wrong; please check the number."), code="checksum")
    return number


def mask(number: str | None) -> str:
    """``1101**********1234``: first 4 and last 4 visible (DP-02)."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
