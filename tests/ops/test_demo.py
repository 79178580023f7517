"""``manage.py demo``: the bureau, then every module's declared step in one transaction."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from dangjian.core import demo as core_demo
from dangjian.core.demo import DemoContext
from dangjian.core.modules import DemoStep
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_module_steps_run_in_order_with_the_bureau_and_its_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, Any]] = []

    def first(ctx: DemoContext) -> None:
        seen.append(("first", ctx.root.name, ctx.user("zhibu").member is not None, Member.objects.count() > 100))

    def second(ctx: DemoContext) -> None:
        seen.append(("second", ctx.year, ctx.rng.random()))

    monkeypatch.setattr(core_demo, "_steps", lambda: [("b", DemoStep(second, order=20)), ("a", DemoStep(first, order=10))])
    out = StringIO()
    call_command("demo", stdout=out)
    assert [s[0] for s in seen] == ["first", "second"]
    assert seen[0][1:] == ("中共示范市公安局委员会", True, True)
    assert "zhibu" in out.getvalue()


def test_a_failing_step_leaves_the_database_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("step failed")

    monkeypatch.setattr(core_demo, "_steps", lambda: [("x", DemoStep(broken))])
    with pytest.raises(RuntimeError):
        call_command("demo", stdout=StringIO())
    assert not Organization.objects.exists()
    assert not Member.objects.exists()
