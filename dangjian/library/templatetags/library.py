"""``{% load library %}{% citation row %}``: the "依据：《…》第X条" link of a rule row, for any page
that applies a rule (a dues band, a meeting kind, a requirement). Nothing when it cites none."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def citation(row: Any) -> str:
    from dangjian.library.answer import cited_article

    if row is None or not hasattr(row, "_meta"):
        return ""
    article = cited_article(row._meta.label_lower, row.pk)
    if article is None:
        return ""
    return format_html('<span class="rule-citation small text-secondary">{} <a href="{}">{}</a></span>',
                       gettext("Source:"), article.get_absolute_url(), article.citation_text)
