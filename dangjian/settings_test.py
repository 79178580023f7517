"""Settings for the test suite: the normal settings with the test profile switched on."""

import os

os.environ["DANGJIAN_TESTING"] = "1"

from dangjian.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; policy tests use validators
