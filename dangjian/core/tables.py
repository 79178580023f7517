"""Table base of the core (django-tables2, Tabler styling): dates as read, money as read."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db import models
from django_tables2.columns import library

from dangjian.core.templatetags.ui import cn_date, money


@library.register
class ReadDateColumn(tables.Column):
    """Every date and datetime field of a table reads as a date (2026年12月1日, 2026年12月1日
    09:00); inputs and exports keep ISO dates. Registered for model date fields, so a table
    gets it without declaring it (``Meta.fields``)."""

    def render(self, value: Any) -> str:
        return cn_date(value)

    def value(self, value: Any, **kwargs: Any) -> Any:  # what an export of the table holds
        return value.isoformat() if hasattr(value, "isoformat") else value

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> ReadDateColumn | None:
        if isinstance(field, models.DateField):  # DateTimeField too
            return cls(**kwargs)
        return None


class MoneyColumn(tables.Column):
    """An amount of money: right-aligned, two decimals, thousands separated, with 元."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        attrs = kwargs.pop("attrs", {})
        attrs.setdefault("td", {}).setdefault("class", "money")
        attrs.setdefault("th", {}).setdefault("class", "money")
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value: Any) -> str:
        return money(value)


class BaseTable(tables.Table):
    """Every list's table: Tabler classes, empty text in Chinese, sortable headers."""

    class Meta:
        attrs: dict[str, Any] = {"class": "table table-vcenter card-table table-striped"}
        empty_text = "没有符合条件的记录"
        template_name = "core/_tables2.html"
