"""The front-end libraries npm installed (package.json, package-lock.json), staged for staticfiles.

No CDN: intranets are offline, so Tabler, htmx and ECharts are served by us. staticfiles collects
ordinary directories, so ``manage.py vendor_assets`` (run by scripts/setup after ``npm ci``)
copies each declared file *and the source map it references* from node_modules into
``build/vendor/``, which ``STATICFILES_DIRS`` serves as ``static/vendor/``. Nothing a collected
file points at is left out, so the production manifest storage can rewrite every reference
(``tabler.min.css`` names ``tabler.min.css.map``). The system check ``dangjian.E020`` fails while
the staged copy is missing or older than node_modules.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: static path under vendor/ -> file under node_modules
VENDOR_FILES = {
    "tabler/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "tabler/tabler.min.js": "@tabler/core/dist/js/tabler.min.js",
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "echarts/echarts.min.js": "echarts/dist/echarts.min.js",
}

_SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=([^\s*'\"]+)")


@dataclass(frozen=True)
class VendorCopy:
    source: Path
    target: Path

    @property
    def stale(self) -> bool:
        return not self.target.exists() or self.target.stat().st_mtime < self.source.stat().st_mtime


def node_modules() -> Path:
    return Path(settings.BASE_DIR) / "node_modules"


def staging_dir() -> Path:
    return Path(settings.VENDOR_STATIC_DIR)


def referenced_source_map(path: Path) -> str | None:
    """The relative source map a minified file names in its last comment, if any."""
    tail = path.read_bytes()[-2048:]
    matches = _SOURCE_MAP.findall(tail)
    if not matches:
        return None
    ref = matches[-1].decode()
    return None if ref.startswith(("data:", "http:", "https:", "/")) else ref


def plan() -> list[VendorCopy]:
    """Every file to stage: the declared ones and the source maps they reference.

    Raises FileNotFoundError when node_modules lacks a declared file or a referenced map
    (``npm ci`` not run, or a library release that stopped shipping its map).
    """
    copies: list[VendorCopy] = []
    root, out = node_modules(), staging_dir()
    for static_path, module_path in VENDOR_FILES.items():
        source = root / module_path
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing: run `npm ci` (scripts/setup)")
        target = out / static_path
        copies.append(VendorCopy(source, target))
        ref = referenced_source_map(source)
        if ref is not None:
            map_source = source.parent / ref
            if not map_source.exists():
                raise FileNotFoundError(f"{source.name} references {ref}, which {source.parent} lacks")
            copies.append(VendorCopy(map_source, target.parent / ref))
    return copies


def stage() -> list[VendorCopy]:
    """Copy what is missing or stale; returns what was copied."""
    copied = []
    for item in plan():
        if item.stale:
            item.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(item.source, item.target)
            copied.append(item)
    return copied


def problems() -> list[str]:
    """Why the staged copy cannot be served as it is (empty when it can)."""
    try:
        copies = plan()
    except FileNotFoundError as exc:
        return [str(exc)]
    return [f"{c.target} is missing or older than {c.source}" for c in copies if c.stale]
