"""Settings for the test suite: the normal settings with the test profile switched on."""

import os

os.environ["DANGJIAN_TESTING"] = "1"

from dangjian.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; policy tests use validators

# The audit chain's head anchors (core/audit.py) of a test run: one file per process, emptied
# before every test (conftest.py), since each test's audit entries are rolled back.
import tempfile as _tempfile  # noqa: E402

DANGJIAN["AUDIT_ANCHOR_FILE"] = os.path.join(_tempfile.mkdtemp(prefix="dangjian-test-anchors-"), "anchors.jsonl")  # noqa: F405
