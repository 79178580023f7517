"""Table base of the core (django-tables2, Tabler styling)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables


class BaseTable(tables.Table):
    """Every list's table: Tabler classes, empty text in Chinese, sortable headers."""

    class Meta:
        attrs: dict[str, Any] = {"class": "table table-vcenter card-table table-striped"}
        empty_text = "没有符合条件的记录"
        template_name = "core/_tables2.html"
