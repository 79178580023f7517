"""One English word, two meanings: a short msgid that English uses as a status, a verb and a
noun ("Open", "Due", "No quorum") must carry a message context (pgettext) when more than one
file uses it, unless the reviewed allow-list below says every use means the same thing.

This is the class of error that showed "No quorum" as 无到会人数要求 on a red badge and "Open"
as 待整改 on a submit button (issue 11 item 2). A new use of one of these words in a second
file fails here until it gets a context or a reviewed entry."""

from __future__ import annotations

from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

#: English words and phrases whose meaning depends on where they stand.
AMBIGUOUS = {
    "open", "opened", "close", "closed", "due", "done", "present", "absent", "leave", "order", "post",
    "rate", "record", "recorded", "state", "check", "lead", "minutes", "second", "content", "number",
    "free", "clear", "reset", "run", "set", "match", "issue", "return", "charge", "balance", "account",
    "file", "form", "mark", "note", "point", "points", "report", "review", "round", "sign", "term",
    "draft", "current", "pending", "level", "type", "kind", "grade", "base", "share", "no quorum",
    "new", "back", "next", "last", "first", "other", "total", "from", "to", "show", "view", "end",
    "start", "cancel", "status", "period", "active", "excused", "overdue", "due soon", "paid",
}

#: Reviewed: every use of these msgids (without context) means the same thing. Keep the reason.
REVIEWED = {
    "Cancel": "the 取消 button of a form, everywhere",
    "active": "a row's in-force flag (有效), on rules and settings tables",
    "Total": "a 合计 row or column",
    "status": "a record's state column (状态)",
    "order": "the display order of a lookup row (排序)",
    "note": "a free-text remark field (备注)",
    "from": "the start of a date-range filter (起始日期)",
    "to": "the end of a date-range filter (截止日期)",
    "kind": "a record's category field (类别)",
    "Next": "the next page of a list",
    "Other": "the catch-all choice of a list of choices",
    "Show": "the submit button of a report's parameter form",
    "period": "the reporting period of a report (期间)",
    "check": "a reconciliation or quality check item (核对项)",
    "record": "a record of the library's quality check",
    "Done": "a finished state (已完成): meeting obligations and inspections",
    "minutes": "the minutes of a meeting (会议记录)",
    "leave": "a member's leave from a meeting (请假)",
    "Back": "the link back to the previous screen",
    "open": "a window that is open now (进行中): solicitations and points periods",
    "closed": "a window that has closed (已截止): solicitations and points periods",
    "post": "a member's post (职务)",
    "balance": "a member's points balance (积分), only in the points module",
    "points": "a points value (分值)",
    "round": "a round of filings or inspections (轮次)",
    "Due": "an obligation of organizational life still to be met (待开展)",
    "overdue": "past its deadline (已逾期): rectification, meetings, filings",
    "Overdue": "past its deadline (已逾期): obligations, terms, filings, rectification",
    "paid": "dues paid (已缴), on the payment form and bulk entry",
}


def _key(msgid: str) -> str:
    return msgid.strip().rstrip(".:：。").lower()


def test_ambiguous_words_carry_a_context_or_a_review() -> None:
    catalog = polib.pofile(str(CATALOG))
    unreviewed = []
    for entry in catalog:
        if entry.obsolete or entry.msgctxt or _key(entry.msgid) not in AMBIGUOUS:
            continue
        files = sorted({path for path, _line in entry.occurrences})
        if len(files) >= 2 and entry.msgid not in REVIEWED:
            unreviewed.append(f"{entry.msgid!r} → {entry.msgstr!r} in {', '.join(files)}")
    assert not unreviewed, (
        "A short word used in several places without a message context: give each use a "
        "pgettext context, or review it into REVIEWED with the reason:\n  " + "\n  ".join(unreviewed))


def test_the_reviewed_list_has_no_dead_entries() -> None:
    catalog = polib.pofile(str(CATALOG))
    uncontexted = {e.msgid for e in catalog if not e.obsolete and not e.msgctxt}
    assert not set(REVIEWED) - uncontexted, "remove reviewed entries the catalog no longer has"


def test_the_known_reversals_stay_fixed() -> None:
    """The reversals of the issue: each meaning has its own context and its own word."""
    catalog = polib.pofile(str(CATALOG))
    by_key = {(e.msgctxt, e.msgid): e.msgstr for e in catalog if not e.obsolete}
    assert by_key[("rectification status", "Open")] == "待整改"
    assert by_key[("open a form", "Open")] != "待整改" and by_key[("open a page", "Open")] != "待整改"
    assert "签到" in by_key[("check-in window", "Open from %(o)s to %(c)s.")]
    assert "签到" not in by_key[("solicitation period", "Open from %(o)s to %(c)s.")]
    assert by_key[("quorum rule", "No quorum required")] == "无到会人数要求"
    assert by_key[("rectification", "Due")] != by_key[(None, "Due")]  # 待整改, not 待开展
