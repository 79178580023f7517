"""The dashboard's generated city: the test tree with members in every branch and a year of
every module's work from the modules' own demo steps (as ``manage.py demo`` runs them)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.core.testing.personas import Personas, make_member


def build_city(p: Personas, *, seed: int = 7, per_branch: int = 5) -> None:
    from dangjian.accounts.models import RoleGrant, User
    from dangjian.orgs.models import Organization

    rng = random.Random(seed)
    with acting_as(None, reason="dashboard test city"):
        extra = []
        for n in range(8):
            parent = Organization.objects.get(pk=(p.c1 if n % 2 else p.c2).pk)
            extra.append(parent.add_child(name=f"城区第{n + 1}党支部", code=f"CB{n}", kind="branch"))
        for branch in (p.b1, p.b2, p.b3, *extra):
            for n in range(per_branch):
                status = rng.choice(("full", "full", "probationary"))
                make_member(branch, name=f"{branch.code}党员{n}", gender=rng.choice("MF"), status=status,
                            full_member_on=None if status == "probationary" else dt.date(2015, 7, 1),
                            education=rng.choice(("bachelor", "college", "postgraduate", "")),
                            birth_date=dt.date(rng.randint(1966, 2000), rng.randint(1, 12), 10),
                            joined_party_on=dt.date(rng.randint(1990, 2024), 7, 1))
        dangyuan = User.objects.filter(member__isnull=False).first()
        ducha = User(username="ducha_city", password_changed_at=timezone.now())
        ducha.set_password("x-Unused-42!")
        ducha.save()
        RoleGrant.objects.create(user=ducha, role="inspector", org=p.root)
    users = {"zhibu": p.user("officer_b1"), "danwei": p.user("c1_staff"), "shi": p.user("root_staff"),
             "ducha": ducha, "dangyuan": dangyuan}
    ctx = DemoContext(seed=seed, rng=rng, today=timezone.localdate(), root=p.root, users=users)
    from dangjian.development import demo as development_demo

    with acting_as(None, reason="dashboard test city"):
        # the development step is the one cheap enough for every test (the whole demo year takes
        # minutes); the other modules' figures are checked on the rows their own tests build
        # and, on the demo bureau, by the lead's full run
        development_demo.build(ctx)


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas


@pytest.fixture
def city(personas: Personas) -> Personas:
    build_city(personas)
    return personas


def context_count(response: Any) -> int:
    """The number of rows a generic list page shows in total (all pages)."""
    table = response.context["table"]
    return int(table.page.paginator.count) if getattr(table, "page", None) else len(table.rows)


__all__ = ["build_city", "context_count"]
