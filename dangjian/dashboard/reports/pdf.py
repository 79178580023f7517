"""PDF on the server: the Word file converted by LibreOffice headless (Debian's
libreoffice-writer-nogui, with fonts-noto-cjk for the Chinese text).

Why LibreOffice rather than WeasyPrint: the reports are Word documents first (the 公文 layout of
core.documents: A4, margins, red header, 文号); converting that same file keeps one layout and
one set of numbers for both formats, where WeasyPrint would need a second HTML/CSS rendering of
every document. Each conversion runs in its own temporary profile directory, so conversions in
parallel (two workers) do not fight over LibreOffice's user profile lock.
"""

from __future__ import annotations

import shutil
import subprocess  # noqa: S404  (a fixed program with fixed arguments; no shell)
import tempfile
from pathlib import Path

from django.utils.translation import gettext

from dangjian.core.jobs import JobError


def renderer() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(content: bytes, *, timeout: int = 120) -> bytes:
    program = renderer()
    if program is None:
        raise JobError(gettext("The PDF renderer (LibreOffice) is not installed on this server."))
    with tempfile.TemporaryDirectory(prefix="dash-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(content)
        profile = Path(tmp) / "profile"
        subprocess.run(  # noqa: S603
            [program, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=timeout)
        return (Path(tmp) / "report.pdf").read_bytes()
