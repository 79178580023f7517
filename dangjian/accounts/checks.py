"""System checks of the accounts app: the role matrix the modules declare is well formed."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from dangjian.core.scoping import ACTIONS


@register()
def declared_areas_name_known_roles_and_actions(app_configs: Any = None, declared: dict[str, Any] | None = None,
                                                **kwargs: Any) -> list[Error]:
    """Every role and action in a module's ``Area`` declaration exists (a typo would silently
    grant nothing)."""
    from dangjian.accounts.roles import Role
    from dangjian.core.modules import areas

    roles = set(Role.values)
    errors = []
    for code, area in (areas() if declared is None else declared).items():
        for role, actions in area.roles.items():
            if role not in roles:
                errors.append(Error(f"permission area {code!r} names unknown role {role!r}", id="dangjian.E007"))
            for action in sorted(set(actions) - set(ACTIONS)):
                errors.append(Error(f"permission area {code!r} gives {role} unknown action {action!r}",
                                    id="dangjian.E007"))
    return errors
