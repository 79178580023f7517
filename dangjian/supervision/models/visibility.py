"""Who reaches inspection rows: narrower than the organization tree.

The role matrix still decides first (``visible_to`` of the core: deny by default, the role's
actions in the area, the granted subtree). On top of it, for the ``inspection`` area:

- **leadership** — a non-inspector grant that covers the *inspecting committee* (the plan's
  committee or above): every row of its plans;
- **team** — the team leader and members of an inspection: that inspection's rows; an
  inspector grant reaches nothing else (the inspector role's scope is the targets assigned to
  its teams);
- **target** — a non-inspector grant inside the inspected organization's subtree: the
  inspection itself, its rectification items, and its findings once confirmed and fed back;
  never working notes or accountability records (``target_sees`` of the model).

A clue (``clues`` area) is reached only by its inspection's team, the plan's leadership group
(``InspectionPlan.leaders``) and users granted inside the receiving department, and only
while the role matrix gives them the action in that area.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q

from dangjian.accounts.roles import ROLE_MATRIX, Role
from dangjian.accounts.scopes import active_grants
from dangjian.core.scoping import ScopedQuerySet, scope_for

NOTHING = Q(pk__in=[])


def _grant_paths(user: Any, area: str, action: str, *, inspector: bool = False) -> list[str]:
    """Organization paths of the user's subtree grants whose role has ``action`` in ``area``
    (inspector grants only when ``inspector``)."""
    paths = []
    for role, path, _depth in active_grants(user):
        spec = ROLE_MATRIX.get(role)
        if spec is None or spec.reach != "subtree" or not path:
            continue
        if (role == Role.INSPECTOR) != inspector:
            continue
        if action in spec.areas.get(area, frozenset()):
            paths.append(path)
    return paths


def _any(field: str, prefixes: list[str]) -> Q:
    q = NOTHING
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


def team_inspections(user: Any) -> Any:
    """Ids of the inspections the user leads or is a member of."""
    inspection = apps.get_model("supervision", "Inspection")
    member_of = inspection.team.through.objects.filter(user_id=user.pk).values("inspection_id")
    return inspection._default_manager.filter(Q(pk__in=member_of) | Q(leader_id=user.pk)).values("pk")  # scope-ok: ids of the user's own teams


class InspectionQuerySet(ScopedQuerySet):
    """``visible_to`` of the inspection area's models (see the module docstring)."""

    def visible_to(self, user: Any, action: str = "view") -> Any:
        rows = super().visible_to(user, action)
        if not rows.query.is_empty() and getattr(user, "pk", None) is not None:
            model: Any = self.model
            staff = _grant_paths(user, model.scope_area, action)
            lead = _covering(model.committee_path, staff)
            team = Q(**{f"{model.team_path}pk__in": team_inspections(user)})
            target_field = f"{model.scope_path}__path" if model.scope_path else "path"
            target = _any(target_field, staff) & _released(model, action)
            return rows.filter(lead | team | target)
        return rows


def _covering(committee_path: str, grant_paths: list[str]) -> Q:
    """Rows whose inspecting committee lies in one of the granted subtrees."""
    return _any(f"{committee_path}__path", grant_paths)


def _released(model: Any, action: str) -> Q:
    """What the target's own staff reach of a row: they read their inspection and its released
    findings, and work only on their rectification items (``target_writes``)."""
    sees = getattr(model, "target_sees", "always")
    if sees == "never" or (action != "view" and not getattr(model, "target_writes", False)):
        return NOTHING
    if sees == "after_feedback":
        return Q(inspection__feedback_on__isnull=False, confirmed=True)
    return Q()


class ClueQuerySet(ScopedQuerySet):
    """A clue: its team, the plan's leadership group, the receiving department (see above)."""

    def visible_to(self, user: Any, action: str = "view") -> Any:
        model: Any = self.model
        if scope_for(user, model.scope_area, action).is_empty or getattr(user, "pk", None) is None:
            return self.none()
        plan = apps.get_model("supervision", "InspectionPlan")
        led = plan.leaders.through.objects.filter(user_id=user.pk).values("inspectionplan_id")
        inside: list[str] = []
        for path in _grant_paths(user, model.scope_area, action) + _grant_paths(user, model.scope_area, action,
                                                                                inspector=True):
            inside.extend(path[:end] for end in range(4, len(path) + 1, 4))
        return self.filter(Q(inspection__pk__in=team_inspections(user))
                           | Q(inspection__round__plan__pk__in=led)
                           | Q(department__path__in=sorted(set(inside))))
