"""The library's part of the demo bureau: the year's meeting records checked for quality (the
regulations themselves are seeded by migration), and a reviewer's decisions on a few flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.core.context import acting_as
from dangjian.library import services
from dangjian.library.models import FlagStatus, QualityFlag, QualityRule


def build(ctx: Any) -> None:
    from dangjian.meetings.choices import MeetingStatus
    from dangjian.meetings.models import Meeting

    shi = ctx.user("shi")
    # The demo's records are all typed in on the day the demo is built: the after-the-fact check
    # would flag every one of them, so the demo year runs without it (a real year keeps it).
    for rule in QualityRule.objects.filter(year__lte=ctx.year):
        rule.late_days = 0
        rule.save()
    meetings = Meeting.objects.filter(starts_at__date__gte=dt.date(ctx.year, 1, 1), starts_at__date__lte=ctx.today)\
        .exclude(status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED])  # scope-ok: demo over the whole bureau
    with acting_as(shi, reason="demo", source="demo"):
        result = services.check_records(actor=shi, meetings=meetings)
        flags = list(QualityFlag.objects.filter(status=FlagStatus.OPEN).order_by("pk")[:6])
        for index, flag in enumerate(flags):
            if ctx.rng.random() < 0.5:
                services.decide_flag(actor=shi, flag=flag, status=FlagStatus.CONFIRMED)
            elif index % 2:
                services.decide_flag(actor=shi, flag=flag, status=FlagStatus.DISMISSED,
                                     note="\u5df2\u6838\u5b9e\uff0c\u5185\u5bb9\u7cfb\u5408\u5e76\u53ec\u5f00\u7684\u4f1a\u8bae")
    ctx.log(f"library: {result.records} records checked, {result.flags} flags")
