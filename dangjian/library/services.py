"""Writes of the library: importing a regulation version (upload), deciding a quality flag,
checking the records of a period. Keyword-only, actor first, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import ensure_in_scope
from dangjian.library import quality, signals, split
from dangjian.library.models import Article, Document, FlagStatus, QualityFlag, Version
from dangjian.library.search import index_articles

MAX_UPLOAD = 10 * 1024 * 1024


@dataclass
class Imported:
    version: Version
    articles: int
    chapters: int


def import_version(*, actor: Any, document: Document | None, code: str = "", title: str = "", label: str,
                   effective_from: dt.date, file_name: str, data: bytes, source: str = "") -> Imported:
    """Split an uploaded regulation (docx, pdf, txt) into its articles and index them as a new
    version of ``document`` (or of a new document ``code``/``title``)."""
    if len(data) > MAX_UPLOAD:
        raise RuleError(gettext("The file is larger than 10 MB."), field="file")
    try:
        parsed = split.split_text(split.file_text(file_name, data))
    except split.SplitError as exc:
        raise RuleError(gettext("No article (a line starting with an article number) was found in this file."),
                        field="file") from exc
    except Exception as exc:  # a damaged Word or PDF file
        raise RuleError(gettext("The file could not be read as Word, PDF or text."), field="file") from exc
    numbers = [a.number for a in parsed.articles]
    if len(set(numbers)) != len(numbers):
        raise RuleError(gettext("The file numbers an article twice; check the article numbers."), field="file")
    with transaction.atomic():
        if document is None:
            if not code or not title:
                raise RuleError(gettext("Name the new regulation (code and title)."), field="title")
            if Document.objects.filter(code=code).exists():
                raise RuleError(gettext("A regulation with this code already exists."), field="code")
            document = Document(code=code, title=title or parsed.title)
            document.save()
        if document.versions.filter(label=label).exists():
            raise RuleError(gettext("This regulation already has a version with this label."), field="label")
        version = Version(document=document, label=label, effective_from=effective_from, source=source,
                          file_name=file_name[:200], uploaded_by=actor)
        version.save()
        ensure_in_scope(actor, version, "add")
        articles = Article.objects.bulk_create([
            Article(edition=version, number=a.number, label=a.label[:20], chapter=a.chapter[:60], text=a.text,
                    items=a.items) for a in parsed.articles])
        index_articles(Article.objects.filter(edition=version))
        audit.record("import", obj=version, changes={"articles": len(articles), "file": file_name[:200]})
    return Imported(version=version, articles=len(articles), chapters=len(parsed.chapters))


def decide_flag(*, actor: Any, flag: QualityFlag, status: str, note: str = "") -> QualityFlag:
    """The reviewer confirms or dismisses a flag (a dismissal needs a reason)."""
    if status not in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED):
        raise RuleError(gettext("Confirm or dismiss the flag."), field="status")
    if status == FlagStatus.DISMISSED and not note.strip():
        raise RuleError(gettext("Say why the flag is dismissed."), field="note")
    with transaction.atomic():
        flag = QualityFlag.objects.select_for_update().get(pk=flag.pk)
        ensure_in_scope(actor, flag, "change")
        if flag.status != FlagStatus.OPEN:
            raise RuleError(gettext("This flag has already been decided."))
        flag.status, flag.decision_note = status, note.strip()[:300]
        flag.decided_by, flag.decided_at = actor, timezone.now()
        flag.save()
        if status == FlagStatus.CONFIRMED:
            signals.flag_confirmed.send(actor=actor, evidence=flag)
    return flag


@dataclass
class Checked:
    records: int
    flags: int


def check_records(*, actor: Any, meetings: Any, progress: Any = None) -> Checked:
    """Check every record of ``meetings`` (a queryset already limited to the actor's scope), oldest
    first, so a copy is flagged against the record it copied."""
    rows = list(meetings.order_by("starts_at", "pk"))
    flags = 0
    seen = quality.Seen.for_batch([m.pk for m in rows])
    for done, meeting in enumerate(rows, start=1):
        flags += len(quality.check_meeting(meeting, seen=seen))
        if progress is not None:
            progress(done, len(rows))
    return Checked(records=len(rows), flags=flags)


__all__ = ["check_records", "decide_flag", "import_version"]
