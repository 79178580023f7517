"""Template helpers of the UI shell: values for display, form widgets with error state,
the active menu entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()

EMPTY = "—"


@register.filter
def display(value: Any) -> Any:
    """A detail-page value: dates as YYYY-MM-DD, booleans as 是/否, empty as a dash, rows of
    other screens as links to their detail pages (which check scope themselves)."""
    if value is None or value == "":
        return EMPTY
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "Y-m-d H:i")
    if isinstance(value, dt.date):
        return date_format(value, "Y-m-d")
    url_of = getattr(value, "get_absolute_url", None)
    if callable(url_of):
        url = url_of()
        if url:
            return format_html('<a href="{}">{}</a>', url, value)
    return value


@register.filter
def widget(field: BoundField) -> SafeString:
    """Render a form field's widget, marked ``is-invalid`` when the field has errors."""
    attrs: dict[str, Any] = {}
    if field.errors:
        css = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{css} is-invalid".strip()
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def active_nav_url(nav_groups: Any, path: str) -> str:
    """The menu URL that is the longest prefix of the current path ("" when none), so
    /members/12/ highlights 党员名册 and /members/transfers/ 组织关系转接."""
    best = ""
    for _label, items in nav_groups or ():
        for _item, url in items:
            if (path == url or (url != "/" and path.startswith(url))) and len(url) > len(best):
                best = url
    return best


@register.simple_tag
def nav_entries(nav_groups: Any, limit: int = 0, exclude: str = "") -> list[tuple[Any, str]]:
    """The menu entries of all groups in order (``exclude``: a URL to leave out)."""
    entries = [(item, url) for _label, items in nav_groups or () for item, url in items if url != exclude]
    return entries[:limit] if limit else entries
