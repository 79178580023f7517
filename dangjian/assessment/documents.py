"""Documents of the assessment module (issue 17 item 9), Word through the core's
``OfficialDocument`` and Excel through ``core.excel``:

- ``result`` — the 考核 result sheet of one organization and year (each list, each line);
- ``tally`` — the 述职评议 ballot (blank, for the session) and the tally sheet (after the close);
- ``registration`` — the 民主评议党员 registration form of one member;
- ``publicity`` — the grade 公示 list of a subtree.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET

from dangjian.assessment import pages, services
from dangjian.assessment.choices import ResultState
from dangjian.assessment.models import GradeResult, MemberReview, ReviewRound
from dangjian.core import audit
from dangjian.core.documents import OfficialDocument, cn_date, docx_response
from dangjian.core.excel import Column, xlsx_response
from dangjian.core.scoping import chosen_subtree, covers, get_scoped_or_404
from dangjian.orgs.models import Organization


def _result_doc(org: Organization, year: int) -> tuple[str, list[list[Any]], list[str]]:
    result = GradeResult.objects.filter(org=org, year=year, state=ResultState.PUBLISHED).first() \
        or pages.fresh_live(org, year)
    [gettext("list"), gettext("item"), gettext("points"), gettext("evidence")]
    rows: list[list[Any]] = []
    for block in pages.explain(result):
        for line in block["total"].entries:
            rows.append([block["total"].label, line.label, f"{line.points:.2f}", line.evidence])
    title = gettext("Assessment result of %(org)s, %(year)s") % {"org": org.name, "year": year}
    total = f"{result.total:.2f}" if result else "0.00"
    grade = result.level.name if result and result.level else "—"
    return title, rows, [gettext("Total: %(total)s; grade: %(grade)s") % {"total": total, "grade": grade}]


@require_GET
def document(request: HttpRequest, kind: str, fmt: str, pk: int) -> Any:
    if fmt not in ("docx", "xlsx"):
        raise Http404
    year = pages._year(request)
    if kind == "result":
        org = get_scoped_or_404(request.user, Organization, "view", pk=pk)
        if not covers(request.user, "assessment", "export", org):
            raise Http404
        title, rows, foot = _result_doc(org, year)
        headers = [gettext("list"), gettext("item"), gettext("points"), gettext("evidence")]
    elif kind == "tally":
        round_ = get_scoped_or_404(request.user, ReviewRound, "export", pk=pk)
        org = round_.org
        tally = services.tally(round_)
        if tally:
            options = [o.name for o, _n in tally[0][1]]
            headers = [gettext("organization reviewed"), gettext("secretary"), *options, gettext("ballots"),
                       gettext("average score"), gettext("rating")]
            rows = [[r.org.name, r.secretary.name, *[n for _o, n in counts], total, r.average or "",
                     r.rating.name if r.rating else ""] for r, counts, total in tally]
            title = gettext("Tally of %(round)s") % {"round": round_.title}
        else:  # the blank ballot of the session
            from dangjian.assessment.models import ReviewOption, ReviewReport

            options = [o.name for o in ReviewOption.rows_in_force(round_.year).order_by("order")]
            headers = [gettext("organization reviewed"), gettext("secretary"), *options]
            rows = [[r.org.name, r.secretary.name, *["□"] * len(options)]
                    for r in ReviewReport.objects.filter(round=round_).select_related("org", "secretary")]
            title = gettext("Ballot of %(round)s") % {"round": round_.title}
        foot = [gettext("Ballots are anonymous: write no name on them.")]
    elif kind == "registration":
        review = get_scoped_or_404(request.user, MemberReview, "export", pk=pk)
        org = review.round.org
        title = gettext("Registration form of the democratic evaluation of members, %(year)s") % {
            "year": review.round.year}
        headers = [gettext("field"), gettext("value")]
        rows = [[gettext("member"), review.member.name], [gettext("branch"), org.name],
                [gettext("self-assessment"), review.self_assessment], [gettext("peer review"), review.peer_review],
                [gettext("votes: excellent"), review.votes_excellent],
                [gettext("votes: qualified"), review.votes_qualified],
                [gettext("votes: basically qualified"), review.votes_basic],
                [gettext("votes: unqualified"), review.votes_unqualified],
                [gettext("proposal of the branch committee"), review.get_proposal_display()],
                [pgettext("assessment", "grade"), review.get_grade_display()],
                [gettext("decision (meeting, document)"), review.decision_ref]]
        foot = []
    elif kind == "publicity":
        org = get_scoped_or_404(request.user, Organization, "view", pk=pk)
        paths, _chosen = chosen_subtree(request.user, "assessment", org.pk, "export")
        ranked = pages.table_rows(request, year, paths)
        headers = [gettext("rank"), gettext("organization"), pgettext("assessment", "total"), pgettext("assessment", "grade"), gettext("note")]
        rows = [[r.rank, r.key.org.name, f"{r.total:.2f}", r.level.name if r.level else "—", r.why] for r in ranked]
        title = gettext("Public notice of the grades of %(org)s, %(year)s") % {"org": org.name, "year": year}
        foot = [gettext("Objections may be raised with the committee within five working days.")]
    else:
        raise Http404
    audit.record("export", object_type=f"assessment.{kind}", object_repr=title, org_path=org.path,
                 changes={"format": fmt, "rows": len(rows)})
    filename = f"{title}.{fmt}"
    if fmt == "xlsx":
        columns = [Column(h, (lambda i: (lambda row: row[i]))(n), 18) for n, h in enumerate(headers)]
        response, _count = xlsx_response(filename, title[:28], columns, rows, title=title)
        return response
    doc = OfficialDocument(title, landscape=len(headers) > 6)
    if kind == "registration":
        doc.fields([(r[0], r[1]) for r in rows])
    else:
        doc.table(headers, rows)
    for text in foot:
        doc.paragraph(text)
    doc.signature(org.name, timezone.localdate())
    return docx_response(filename, doc.to_bytes())


__all__ = ["cn_date", "document"]
