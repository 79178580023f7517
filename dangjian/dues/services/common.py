"""What every dues service shares: the rights check and today's date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers
from dangjian.orgs.models import Organization


def require(user: Any, action: str, org: Organization) -> None:
    if not covers(user, "dues", action, org):
        raise RuleError(gettext("You may not handle the dues of this organization."))


def _today() -> dt.date:
    return timezone.localdate()
