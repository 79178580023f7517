"""The Word disclosure: the built-in template renders; uploaded templates run in Jinja's sandbox."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.dues import documents


def _template(text: str) -> SimpleUploadedFile:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return SimpleUploadedFile("t.docx", out.getvalue())


def test_builtin_template_renders_the_sample() -> None:
    documents.check_template(io.BytesIO(documents.DEFAULT_TEMPLATE.read_bytes()))


def test_plain_template_is_accepted() -> None:
    documents.check_template(_template("{{ org_name }}党费收支公示 {{ balance }}"))


@pytest.mark.parametrize("payload", [
    "{{ org_name.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% for m in members %}{{ m.__class__.__init__.__globals__ }}{% endfor %}",
])
def test_template_injection_is_refused(payload: str) -> None:
    with pytest.raises(ValueError, match="模板无法生成"):
        documents.check_template(_template(payload))


def test_broken_template_is_refused() -> None:
    with pytest.raises(ValueError):
        documents.check_template(_template("{{ org_name "))
