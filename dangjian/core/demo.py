"""The demo bureau's year of work, one step per module (``ModuleParts.demo``).

``manage.py demo`` builds the organizations, members and accounts (``members/demo.py``), then
runs every module's declared step in one transaction, acting as the demo command, so a failing
step leaves an empty database. A step adds the module's year of work up to ``ctx.today``
through the module's own services (so rows are audited and obey the rules), uses ``ctx.rng``
for every random choice (same seed, same bureau) and may read what earlier steps built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    #: the demo's "today": the story runs from 1 January of ``year`` up to this day
    today: dt.date
    root: Any
    #: demo users by username (``zhibu`` the branch secretary, ``shi`` the bureau staff ...)
    users: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], Any] = lambda _line: None

    @property
    def year(self) -> int:
        return self.today.year

    def user(self, username: str) -> Any:
        return self.users[username]


def _steps() -> list[tuple[str, Any]]:
    from dangjian.core.modules import all_parts

    found = [(parts.demo.order, index, label, parts.demo) for index, (label, parts) in enumerate(all_parts())
             if parts.demo is not None]
    return [(label, step) for _o, _i, label, step in sorted(found, key=lambda t: (t[0], t[1]))]


@contextlib.contextmanager
def building_bureau() -> Iterator[None]:
    """Hold every step's ``bureau`` context while the organizations and members are built."""
    with contextlib.ExitStack() as stack:
        for _label, step in _steps():
            if step.bureau is not None:
                stack.enter_context(step.bureau())
        yield


def run_steps(ctx: DemoContext) -> list[str]:
    """Run every declared demo step, by ``order`` then app order; return the app labels that ran."""
    ran = []
    for label, step in sorted(_steps(), key=lambda pair: pair[1].order):
        started = time.monotonic()
        ctx.log(f"demo: {label}")
        step.build(ctx)
        ctx.log(f"demo: {label} {time.monotonic() - started:.1f} s")
        ran.append(label)
    return ran
