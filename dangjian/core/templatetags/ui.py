"""Template helpers of the UI shell: values for display, form widgets with error state,
the active menu entry."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext_lazy

register = template.Library()

EMPTY = "—"


#: Dates where people read them (2026年12月1日, the catalog's format); inputs, exports and
#: tables keep ISO dates.
READ_DATE = pgettext_lazy("date format where read", "F j, Y")
READ_DATETIME = pgettext_lazy("date format where read", "F j, Y H:i")


@register.filter
def cn_date(value: Any) -> str:
    """A date (or datetime, shown with its local time) as it is read: 2026年12月1日 (09:00)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, str(READ_DATETIME))
    if isinstance(value, dt.date):
        return date_format(value, str(READ_DATE))
    return str(value)


@register.filter
def money(value: Any) -> str:
    """An amount of money as it is read: two decimals, thousands separated, with 元 (right-align
    the cell with the ``money`` class)."""
    if value is None or value == "":
        return EMPTY
    try:
        amount = decimal.Decimal(value)
    except (decimal.InvalidOperation, TypeError, ValueError):
        return str(value)
    return gettext("%(amount)s yuan") % {"amount": f"{amount.quantize(decimal.Decimal('0.01')):,}"}


@register.filter
def display(value: Any) -> Any:
    """A detail-page value: dates as read (2026年12月1日), booleans as 是/否, empty as a dash,
    rows of other screens as links to their detail pages (which check scope themselves)."""
    if value is None or value == "":
        return EMPTY
    if value is True:
        return gettext("Yes")
    if value is False:
        return gettext("No")
    if isinstance(value, dt.date):
        return cn_date(value)
    url_of = getattr(value, "get_absolute_url", None)
    if callable(url_of):
        url = url_of()
        if url:
            return format_html('<a href="{}">{}</a>', url, value)
    return value


@register.filter
def nav_badge(badges: Any, url: str) -> Any:
    """The count shown beside a menu entry (``nav_badges`` of the navigation context), or ''."""
    return (badges or {}).get(url, "")


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
