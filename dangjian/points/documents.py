"""Downloads: the ranking and the publication list as Excel (core ``excel``: title row, 序号,
autofilter, typed cells), the 公示 list as an A4 Word notice (core ``OfficialDocument``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext

from dangjian.core.documents import OfficialDocument, cn_date
from dangjian.core.excel import Column, xlsx_response


def ranking_xlsx(year: int, org: Any, rows: Iterable[Any]) -> FileResponse:
    columns = [
        Column(gettext("rank"), "rank", 8), Column(gettext("member"), "member__name", 14),
        Column(gettext("branch"), "org__name", 30), Column(gettext("balance"), "score", 10),
        Column(gettext("base points"), "base", 10), Column(gettext("sum of final entries"), "ledger", 12),
        Column(gettext("pending points"), "pending", 12),
    ]
    title = gettext("Points ranking %(year)s") % {"year": year}
    response, _count = xlsx_response(f"points-ranking-{year}.xlsx", title, columns, rows,
                                     title=f"{org.name} {title}" if org is not None else title)
    return response


def _month(e: Any) -> str:
    return f"{e.month:%Y-%m}"


def _entry_columns() -> list[Column]:
    return [
        Column(gettext("member"), "member__name", 14), Column(gettext("month"), _month, 10),
        Column(gettext("rule"), "rule__description", 36), Column(gettext("points counted"), "points", 10),
        Column(gettext("status"), lambda e: e.get_status_display(), 16),
        Column(gettext("evidence"), lambda e: e.evidence_label or e.note, 36),
        Column(gettext("cap applied"), "capped_reason", 30),
    ]


def publication_xlsx(publication: Any, rows: list[Any]) -> FileResponse:
    response, _count = xlsx_response(f"points-publication-{publication.month:%Y-%m}.xlsx",
                                     gettext("Points publication"), _entry_columns(), rows, title=str(publication))
    return response


def publication_document(publication: Any, rows: list[Any], today: dt.date | None = None) -> bytes:
    """The 公示 list to print and post: the branch, the month, every entry with a 合计 of the
    points, the objection window, the branch and the date in Chinese."""
    doc = OfficialDocument(str(publication))
    doc.paragraph(gettext("Published on %(published)s. Objections to the branch until %(until)s.")
                  % {"published": cn_date(publication.published_on), "until": cn_date(publication.window_ends_on)})
    columns = _entry_columns()
    doc.table([str(c.header) for c in columns], [[c.value(e) for c in columns] for e in rows],
              total=["", "", sum(e.points for e in rows), "", "", ""])
    doc.signature(publication.org.name, today or publication.published_on)
    return doc.to_bytes()
