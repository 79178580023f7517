"""The expanding workbook of issue 8 — 1 MB on the wire, a worksheet that inflates far beyond
the expanded-size limit — is refused on every import screen and API path before anything
parses it: the request's memory stays small and nothing is written (SECURITY.md IO-04).

The dues import parsed workbooks itself, skipping the inspection; a worker reached 2 GB.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from dangjian.core.models import ImportBatch
from dangjian.core.testing import imports as corpus
from dangjian.core.testing.personas import Personas
from dangjian.core.views import REGISTRY
from dangjian.dues.models import DuesAssessment
from dangjian.members.models import Member
from tests.imports.conftest import api_client, leftover_files, post_import
from tests.security.conftest import all_routes

EXPANDED_MB = 150


@pytest.fixture(scope="module")
def expanding_workbook() -> bytes:
    """A valid workbook whose first worksheet inflates to ~150 MB of XML (whitespace)."""
    base = corpus.minimal()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"<sheetData>", 1)
                data = head + b"<sheetData>" + b" " * (EXPANDED_MB * 1024 * 1024) + tail
            dst.writestr(info.filename, data)
    content = out.getvalue()
    assert len(content) < 1024 * 1024  # small on the wire
    return content


def screen_import_urls() -> list[str]:
    urls = {spec.importer.url() for spec in REGISTRY.values() if spec.importer is not None}
    urls |= {r.url() for r in all_routes() if r.name.endswith(":base_import")}
    return sorted(urls)


def api_import_kinds() -> list[str]:
    return sorted(r.url().split("/imports/")[1].strip("/") for r in all_routes() if r.name.startswith("api:import_"))


def test_every_import_path_is_walked() -> None:
    urls = screen_import_urls()
    assert "/members/import/" in urls and any(u.startswith("/dues/") for u in urls), urls
    assert {"members", "organizations"} <= set(api_import_kinds())


def _peak_mb(call: Any) -> tuple[Any, float]:
    tracemalloc.start()
    try:
        result = call()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / (1024 * 1024)


def test_each_import_screen_refuses_it_before_parsing(personas: Personas, media: Path, client_for: Any,
                                                      expanding_workbook: bytes) -> None:
    clients = {"root_staff": client_for("root_staff"), "secadmin": client_for("secadmin")}
    members, assessments = Member.objects.count(), DuesAssessment.objects.count()
    for url in screen_import_urls():
        data = {"file": corpus.upload(expanding_workbook, "名单.xlsx"), "year": "2026"}
        client = clients["secadmin" if "grant" in url else "root_staff"]  # role grants are the security admin's
        response, peak = _peak_mb(lambda url=url, data=data, client=client: client.post(url, data))
        assert response.status_code == 400, (url, response.status_code)
        assert "压缩炸弹" in response.content.decode(), url
        assert peak < 40, f"{url}: {peak:.0f} MB allocated while refusing"
    assert Member.objects.count() == members and DuesAssessment.objects.count() == assessments
    assert not ImportBatch.objects.exists()
    assert leftover_files(media) == []


def test_each_import_api_path_refuses_it_before_parsing(personas: Personas, media: Path,
                                                        expanding_workbook: bytes) -> None:
    clients = {"root_staff": api_client("root_staff"), "secadmin": api_client("secadmin")}
    for kind in api_import_kinds():
        client = clients["secadmin" if "grant" in kind else "root_staff"]
        response, peak = _peak_mb(lambda kind=kind, client=client: post_import(client, expanding_workbook, kind=kind))
        assert response.status_code == 400, (kind, response.content)
        assert response.json()["code"] == "zip_bomb", kind
        assert peak < 40, f"{kind}: {peak:.0f} MB allocated while refusing"
    assert not ImportBatch.objects.exists()
    assert leftover_files(media) == []
