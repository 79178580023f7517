"""The member portal in the demo bureau."""

from __future__ import annotations

from typing import Any


def build(ctx: Any) -> None:
    """Nothing of its own: the portal shows what the other modules' demo steps made."""
