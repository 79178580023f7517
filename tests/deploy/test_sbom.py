"""The release's SBOM (scripts/sbom.py, written into the bundle by scripts/release): valid
CycloneDX 1.6 JSON listing every package of the hashed Python lock with its exact version and
every hash the lock allows, and every npm package whose code is served to browsers."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sbom(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("sbom") / "sbom.cdx.json"
    subprocess.run([sys.executable, "scripts/sbom.py", "--version", "9.9.9", "--commit", "abc123", "-o", str(out)],
                   cwd=ROOT, check=True)
    return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def locked() -> dict[str, tuple[str, set[str]]]:
    """name -> (version, hashes), read straight from requirements.txt."""
    packages: dict[str, tuple[str, set[str]]] = {}
    name = ""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if match := re.match(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", line):
            name = match.group(1)
            packages[name] = (match.group(2), set())
        if name:
            packages[name][1].update(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
    return packages


def test_the_sbom_is_valid_cyclonedx(sbom: dict[str, Any]) -> None:
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation import make_schemabased_validator

    validator = make_schemabased_validator(OutputFormat.JSON, SchemaVersion.V1_6)
    assert validator.validate_str(json.dumps(sbom)) is None
    assert sbom["metadata"]["component"]["version"] == "9.9.9"
    refs = {c["bom-ref"] for c in sbom["components"]} | {sbom["metadata"]["component"]["bom-ref"]}
    assert all(d["ref"] in refs and set(d["dependsOn"]) <= refs for d in sbom["dependencies"])


def test_every_locked_python_package_with_its_version_and_hashes(sbom: dict[str, Any]) -> None:
    lock = locked()
    assert len(lock) > 40 and "django" in lock and "django-storages" in lock
    listed = {c["name"]: c for c in sbom["components"] if c["purl"].startswith("pkg:pypi/")}
    assert set(listed) == set(lock)
    for name, (version, hashes) in lock.items():
        component = listed[name]
        assert component["version"] == version and component["purl"] == f"pkg:pypi/{name}@{version}"
        assert {h["content"] for h in component["hashes"] if h["alg"] == "SHA-256"} == hashes and hashes, name
    direct = next(d for d in sbom["dependencies"] if d["ref"] == "pkg:generic/dangjian@9.9.9")["dependsOn"]
    assert f"pkg:pypi/django@{lock['django'][0]}" in direct


def test_every_npm_package_served_to_browsers(sbom: dict[str, Any]) -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    listed = {(c.get("group", "") + "/" + c["name"]).lstrip("/"): c for c in sbom["components"]
              if c["purl"].startswith("pkg:npm/")}
    from dangjian.core.vendor import VENDOR_FILES

    served = {"/".join(f.split("/")[:2]) if f.startswith("@") else f.split("/")[0] for f in VENDOR_FILES.values()}
    assert served == {"@tabler/core", "htmx.org", "echarts"}
    for where, info in lock.items():
        if not where or info.get("dev"):
            continue
        name = where.rsplit("node_modules/", 1)[-1]
        component = listed[name]
        assert component["version"] == info["version"]
        algorithm, digest = info["integrity"].split("-", 1)
        assert component["hashes"] == [{"alg": algorithm.upper().replace("SHA", "SHA-"),
                                        "content": base64.b64decode(digest).hex()}]
        place = {p["name"]: p["value"] for p in component["properties"]}["dangjian:served-to-browsers"]
        assert (place == "static/vendor") == (name in served)
    assert served <= set(listed)
