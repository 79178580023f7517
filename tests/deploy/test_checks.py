"""System checks that stop a server from running half-built: a missing or stale compiled
catalog (English interface), vendored libraries missing their source maps (collectstatic
fails), no static manifest; and the data directory is created on first start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from dangjian.core import checks, vendor
from dangjian.core.management.commands.compile_catalog import compile_catalogs

PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Log in"\nmsgstr "登录"\n'


@pytest.fixture
def locale_dir(tmp_path: Path, settings: Any) -> Path:
    po = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    return po


def catalog_errors() -> list[str]:
    return [e.msg for e in checks.compiled_catalogs_current() if e.id == "dangjian.E021"]


def test_a_missing_catalog_is_an_error_until_compiled(locale_dir: Path) -> None:
    assert catalog_errors() == [f"{locale_dir.with_suffix('.mo')} is missing"]
    with pytest.raises(SystemCheckError, match="dangjian.E021"):
        call_command("check")
    compile_catalogs([locale_dir.parents[2]])
    assert catalog_errors() == []


def test_a_catalog_older_than_its_po_is_an_error_until_recompiled(locale_dir: Path) -> None:
    compile_catalogs([locale_dir.parents[2]])
    mo = locale_dir.with_suffix(".mo")
    past = mo.stat().st_mtime - 60
    os.utime(mo, (past, past))
    assert catalog_errors() == []  # older, but the same content (a checkout touched the .po)
    locale_dir.write_text(PO.replace("登录", "登入"), encoding="utf-8")
    os.utime(mo, (past, past))
    assert catalog_errors() == [f"{mo} is older than django.po"]
    compile_catalogs([locale_dir.parents[2]])
    assert catalog_errors() == []


@pytest.fixture
def fake_npm(tmp_path: Path, settings: Any) -> Path:
    """node_modules holding the declared files; tabler's CSS names its source map."""
    settings.BASE_DIR = tmp_path
    settings.VENDOR_STATIC_DIR = tmp_path / "build" / "vendor"
    for module_path in vendor.VENDOR_FILES.values():
        (tmp_path / "node_modules" / module_path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "node_modules" / module_path).write_text("x{}\n")
    css = tmp_path / "node_modules" / vendor.VENDOR_FILES["tabler/tabler.min.css"]
    css.write_text("a{b:c}\n/*# sourceMappingURL=tabler.min.css.map */")
    css.with_name("tabler.min.css.map").write_text("{}")
    return tmp_path


def vendor_errors() -> list[str]:
    return [e.msg for e in checks.vendor_assets_staged()]


def test_vendored_files_are_staged_with_the_maps_they_reference(fake_npm: Path) -> None:
    assert len(vendor_errors()) == 5  # four declared files and one map, none staged yet
    call_command("vendor_assets", verbosity=0)
    assert vendor_errors() == []
    staged = fake_npm / "build" / "vendor" / "tabler"
    assert (staged / "tabler.min.css.map").read_text() == "{}"


def test_a_referenced_map_missing_from_npm_is_an_error(fake_npm: Path) -> None:
    css = fake_npm / "node_modules" / vendor.VENDOR_FILES["tabler/tabler.min.css"]
    css.with_name("tabler.min.css.map").unlink()
    assert vendor_errors() == [f"tabler.min.css references tabler.min.css.map, which {css.parent} lacks"]


def test_a_stale_staged_copy_is_an_error(fake_npm: Path) -> None:
    call_command("vendor_assets", verbosity=0)
    js = fake_npm / "node_modules" / vendor.VENDOR_FILES["htmx/htmx.min.js"]
    future = js.stat().st_mtime + 60
    os.utime(js, (future, future))
    assert vendor_errors() == [f"{fake_npm}/build/vendor/htmx/htmx.min.js is missing or older than {js}"]


def test_the_manifest_storage_without_collected_files_is_a_deploy_error(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.STATIC_ROOT = tmp_path
    assert [e.id for e in checks.static_manifest_collected()] == ["dangjian.E022"]
    (tmp_path / "staticfiles.json").write_text("{}")
    assert checks.static_manifest_collected() == []


def test_the_data_directory_is_created_on_first_start(tmp_path: Path) -> None:
    var_dir = tmp_path / "fresh" / "var"
    env = {**os.environ, "DEBUG": "1", "DANGJIAN_VAR_DIR": str(var_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert var_dir.is_dir()
