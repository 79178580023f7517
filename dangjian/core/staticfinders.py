"""Serve the front-end libraries npm installed, file by file (no CDN; intranets are offline)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

#: static path -> file under node_modules (see package.json)
VENDOR_FILES = {
    "vendor/tabler/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "vendor/tabler/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "vendor/htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}


class VendorFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.root = settings.BASE_DIR / "node_modules"

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        target = VENDOR_FILES.get(path)
        if target is None:
            return [] if find_all else None
        full = str(self.root / target)
        if not os.path.exists(full):
            return [] if find_all else None
        return [full] if find_all else full

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static_path, target in VENDOR_FILES.items():
            full = self.root / target
            if full.exists():
                storage = FileSystemStorage(location=str(full.parent))
                storage.prefix = os.path.dirname(static_path)  # type: ignore[attr-defined]
                yield full.name, storage
