#!/usr/bin/env python3
"""Write the release's software bill of materials: CycloneDX 1.6 JSON (standard library only).

    scripts/sbom.py [--version V] [--commit C] [-o sbom.cdx.json]

Components: every package of the hashed Python lock ``requirements.txt`` (name, exact version,
every SHA-256 the lock allows, its environment marker, purl ``pkg:pypi/...``) and every npm
package of ``package-lock.json`` (the libraries served to browsers from ``static/vendor/`` and
what their bundles contain; version, the lock's SRI integrity as a hash, purl ``pkg:npm/...``).
The dependency graph comes from the locks (``# via`` lines; npm ``dependencies``).
scripts/release writes it into the bundle as ``sbom.cdx.json``; tests/deploy/test_sbom.py checks
it against the lock and the CycloneDX schema.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVED = {"@tabler/core", "htmx.org", "echarts"}  # dangjian/core/vendor.py VENDOR_FILES

_REQ = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
_HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def python_lock(path: Path) -> list[dict[str, Any]]:
    """[{name, version, marker, hashes, via}] of a ``uv pip compile --generate-hashes`` file."""
    packages: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    via_block = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = _REQ.match(line)
        if match:
            current = {"name": canonical(match.group(1)), "version": match.group(3),
                       "marker": (match.group(4) or "").strip(), "hashes": [], "via": []}
            packages.append(current)
            via_block = False
            continue
        if current is None:
            continue
        current["hashes"].extend(_HASH.findall(line))
        if line.startswith("# via"):
            rest = line[len("# via"):].strip()
            via_block = not rest
            if rest:
                current["via"].append("-r" if rest.startswith("-r") else canonical(rest))
        elif via_block and line.startswith("#   "):
            name = line[4:].strip()
            current["via"].append("-r" if name.startswith("-r") else canonical(name.split()[0]))
        elif not line.startswith("--hash"):
            via_block = False
    return packages


def npm_lock(path: Path) -> list[dict[str, Any]]:
    """[{name, version, integrity, dependencies}] of package-lock.json (lockfile v2/v3)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    packages = []
    for where, info in sorted(data.get("packages", {}).items()):
        if not where:
            continue  # the project itself
        name = info.get("name") or where.rsplit("node_modules/", 1)[-1]
        packages.append({"name": name, "version": info["version"], "integrity": info.get("integrity", ""),
                         "dependencies": sorted(info.get("dependencies", {})), "dev": bool(info.get("dev"))})
    return packages


def sri_hash(integrity: str) -> dict[str, str] | None:
    """A CycloneDX hash from an npm SRI string ("sha512-<base64>")."""
    algorithm, _sep, digest = integrity.partition("-")
    names = {"sha512": "SHA-512", "sha384": "SHA-384", "sha256": "SHA-256", "sha1": "SHA-1"}
    if algorithm not in names or not digest:
        return None
    return {"alg": names[algorithm], "content": base64.b64decode(digest).hex()}


def npm_purl(name: str, version: str) -> str:
    return f"pkg:npm/{name.replace('@', '%40', 1) if name.startswith('@') else name}@{version}"


def build(version: str, commit: str, requirements: Path, package_lock: Path) -> dict[str, Any]:
    app_ref = f"pkg:generic/dangjian@{version}"
    components: list[dict[str, Any]] = []
    dependencies: dict[str, set[str]] = {app_ref: set()}
    python = python_lock(requirements)
    py_refs = {p["name"]: f"pkg:pypi/{p['name']}@{p['version']}" for p in python}
    seen: set[str] = set()
    for package in python:
        purl = f"pkg:pypi/{package['name']}@{package['version']}"
        ref = purl if purl not in seen else f"{purl}#{len(seen)}"  # one package locked twice (markers)
        seen.add(ref)
        properties = [{"name": "dangjian:lock", "value": requirements.name}]
        if package["marker"]:
            properties.append({"name": "dangjian:environment-marker", "value": package["marker"]})
        components.append({
            "type": "library", "bom-ref": ref, "name": package["name"], "version": package["version"], "purl": purl,
            "scope": "required", "hashes": [{"alg": "SHA-256", "content": h} for h in package["hashes"]],
            "properties": properties,
        })
        dependencies.setdefault(ref, set())
        parents = [py_refs[v] for v in package["via"] if v in py_refs]
        if "-r" in package["via"] or not parents:  # a direct dependency (requirements.in)
            parents.append(app_ref)
        for parent in parents:
            dependencies.setdefault(parent, set()).add(ref)
    npm = [p for p in npm_lock(package_lock) if not p["dev"]]
    npm_refs = {p["name"]: npm_purl(p["name"], p["version"]) for p in npm}
    for package in npm:
        ref = npm_refs[package["name"]]
        hashes = [h for h in [sri_hash(package["integrity"])] if h]
        component: dict[str, Any] = {
            "type": "library", "bom-ref": ref, "name": package["name"], "version": package["version"], "purl": ref,
            "scope": "required", "hashes": hashes,
            "properties": [{"name": "dangjian:lock", "value": package_lock.name},
                           {"name": "dangjian:served-to-browsers",
                            "value": "static/vendor" if package["name"] in SERVED else "bundled in a served file"}],
        }
        if package["name"].startswith("@"):
            component["group"], component["name"] = package["name"][1:].split("/", 1)
            component["group"] = "@" + component["group"]
        components.append(component)
        dependencies.setdefault(ref, set()).update(npm_refs[d] for d in package["dependencies"] if d in npm_refs)
        if package["name"] in SERVED:
            dependencies[app_ref].add(ref)
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "tools": {"components": [{"type": "application", "name": "dangjian scripts/sbom.py"}]},
            "component": {"type": "application", "bom-ref": app_ref, "name": "dangjian", "version": version,
                          "description": "Party-building work platform (zhihui dangjian)", "purl": app_ref,
                          "properties": [{"name": "dangjian:commit", "value": commit}] if commit else []},
        },
        "components": components,
        "dependencies": [{"ref": ref, "dependsOn": sorted(deps)} for ref, deps in sorted(dependencies.items())],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="")
    parser.add_argument("--commit", default="")
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    parser.add_argument("--package-lock", type=Path, default=ROOT / "package-lock.json")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    version = args.version
    if not version:
        import tomllib

        version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    text = json.dumps(build(version, args.commit, args.requirements, args.package_lock), ensure_ascii=False,
                      indent=1) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
