"""The dues module's reminder source: arrears (欠缴) — a member whose current run of unpaid
months reached the standard's ``reminder_months``, from the day after the bill that completed the
run fell due; for the member and for those who handle the branch's dues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from dangjian.core.reminders import Due
from dangjian.dues import rules
from dangjian.dues.models import DuesBill


def arrears(day: dt.date) -> Iterator[Due]:
    standard = rules.standard_in_force(day)
    months = int(standard.reminder_months)
    mine = reverse("dues:mine")
    bills = reverse("dues:bill_list")
    for info in rules.arrears_warnings(DuesBill.objects.all(), day, months=months):  # scope-ok: a job over every row
        run = info.unpaid[-info.consecutive:]
        reached = run[months - 1]
        key = f"dues.arrears:{info.member.pk}:{info.first_of_run}"
        text = {"name": info.member.name, "months": info.consecutive, "amount": info.outstanding}
        yield Due(object_key=key, due_on=reached.due_on, member_id=info.member.pk, url=mine,
                  title=gettext("Your party dues are unpaid for %(months)s months (%(amount)s yuan)") % text,
                  org_path=info.org.path, org_id=info.org.pk)
        yield Due(object_key=key, due_on=reached.due_on, area="dues", action="change",
                  url=f"{bills}?{urlencode({'member': info.member.pk})}",
                  title=gettext("%(name)s: dues unpaid for %(months)s months (%(amount)s yuan)") % text,
                  org_path=info.org.path, org_id=info.org.pk)
