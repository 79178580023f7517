#!/usr/bin/env bash
# Install this release bundle into ./.venv without any package registry (no network):
# every wheel comes from ./wheelhouse and must match its hash in requirements.txt.
#   PYTHON=python3.11 ./install.sh
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --no-index --find-links wheelhouse --require-hashes --no-deps \
  -r requirements.txt
.venv/bin/python -m pip check
(sha256sum --quiet -c SHA256SUMS) || { echo "install.sh: files differ from SHA256SUMS" >&2; exit 1; }
echo "installed: $(sed -n 's/^name: //p' BUILD-INFO) in $(pwd) (next: docs/deploy.md)"
