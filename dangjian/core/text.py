"""Unicode hygiene of user input (SECURITY.md IO-01, issue 21).

Names, codes and titles (one-line text) are NFC-normalized and refused when they contain
bidirectional controls, zero-width or other invisible format characters, or control
characters: "张\u202e三" would be shown reversed in a roster and in the audit log, "张\u200b三"
would look like "张三" and be another person. Free text (multi-line) is normalized too and
refused only with the bidirectional embedding/override/isolate controls, the spoofing ones;
zero-width joiners are harmless there (emoji sequences) and every page escapes output.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext

# Embeddings, overrides and isolates: they reorder the text that follows them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def problem(value: str, *, one_line: bool) -> str | None:
    """A sentence saying what is wrong with ``value``, or ``None``."""
    if _BIDI_CONTROLS.search(value):
        return gettext("Contains invisible characters that change the direction of text; please retype it.")
    if not one_line:
        return None
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cf" or (category == "Cc" and ch not in "\t"):
            return gettext("Contains invisible or control characters; please retype it.")
    return None


def normalize(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def is_free_text(model: type | None, name: str) -> bool:
    """Multi-line text by the model's field type (``TextField``); everything else is one line."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    if model is None:
        return False
    try:
        field = model._meta.get_field(name)  # type: ignore[attr-defined]
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.TextField)
