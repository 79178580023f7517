"""Splitting a regulation into chapters, articles and numbered items.

Regulations are written to one pattern: ``第X章 标题`` (and optionally ``第X节``) headings,
``第X条`` starting an article at the beginning of a line, ``（一）`` / ``1.`` items inside an
article. The splitter reads the plain text of a Word file (paragraph by paragraph), a PDF
(pypdf's text layer) or a text file and returns exactly those articles; text before the first
article (title, issuing note) is the preamble.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from dangjian.library.text import NUMERAL, chinese_number

NUM = r"[0-9" + NUMERAL + r"]+"
# zh-ok: patterns of the regulation text, not messages
CHAPTER = re.compile(r"^\s*\u7b2c\s*(" + NUM + r")\s*[\u7ae0\u7f16]\s*(.*)$")  # 第X章 / 第X编
SECTION = re.compile(r"^\s*\u7b2c\s*(" + NUM + r")\s*\u8282\s*(.*)$")  # 第X节
ARTICLE = re.compile(r"^\s*\u7b2c\s*(" + NUM + r")\s*\u6761[\s\u3000]*(.*)$")  # 第X条
ITEM = re.compile(r"^\s*(?:[（(]\s*(" + NUM + r")\s*[）)]|([0-9]+)\s*[.．、])")  # （一） / 1.  # zh-ok: text pattern of regulations, not a message


class SplitError(ValueError):
    """The text holds no article (``第X条``) at the start of a line."""


@dataclass
class ParsedArticle:
    number: int
    label: str
    chapter: str
    text: str
    items: int = 0


@dataclass
class ParsedDocument:
    title: str
    preamble: str
    articles: list[ParsedArticle] = field(default_factory=list)

    @property
    def chapters(self) -> list[str]:
        return list(dict.fromkeys(a.chapter for a in self.articles if a.chapter))


def split_text(text: str) -> ParsedDocument:
    """The articles of ``text`` in order. Raises :class:`SplitError` when there are none."""
    lines = [line.strip().replace("\u3000", " ") for line in text.replace("\r\n", "\n").split("\n")]  # zh-ok: text pattern of regulations, not a message
    preamble: list[str] = []
    articles: list[ParsedArticle] = []
    chapter = ""
    current: list[str] | None = None

    def close() -> None:
        if current is not None and articles:
            articles[-1].text = "\n".join(x for x in current if x).strip()
            articles[-1].items = sum(1 for x in current[1:] if ITEM.match(x))

    for line in lines:
        if not line:
            continue
        if (m := CHAPTER.match(line)) and len(line) <= 40:
            close()
            current = None
            chapter = re.sub(r"\s+", " ", line)
            continue
        if SECTION.match(line) and len(line) <= 40:
            continue
        if m := ARTICLE.match(line):
            number = chinese_number(m.group(1))
            if number is not None:
                close()
                label = line[: m.start(2)].strip().replace(" ", "") if m.group(2) else line.strip()
                articles.append(ParsedArticle(number=number, label=label, chapter=chapter, text=""))
                current = [m.group(2).strip()] if m.group(2) else []
                continue
        if current is None:
            preamble.append(line)
        else:
            current.append(line)
    close()
    if not articles:
        raise SplitError("no article")
    title = preamble[0] if preamble else ""
    return ParsedDocument(title=title, preamble="\n".join(preamble[1:]), articles=articles)


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word (.docx) file, one per line (tables' cells too)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (a scanned PDF without one yields nothing)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def file_text(name: str, data: bytes) -> str:
    """The text of an uploaded regulation file by its extension (docx, pdf, txt)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "docx":
        return docx_text(data)
    if ext == "pdf":
        return pdf_text(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SplitError("encoding")
