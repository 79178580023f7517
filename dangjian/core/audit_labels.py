"""How the audit log's codes read in the interface: event, object type and source names.

Event codes and non-model object types are declared by the module that records them
(``audit_events`` / ``audit_object_types`` in its ``declarations.py``); the system check
``dangjian.E004`` fails when a recorded code has no label.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.core.modules import audit_event_labels, audit_object_type_labels

SOURCE_LABELS: dict[str, Any] = {
    "web": _("Web"),
    "api": _("Interface"),
    "command": _("Command"),
    "system": _("System"),
    "anonymous": _("Anonymous"),
    "job": _("Background job"),
}


def event_labels() -> dict[str, Any]:
    """Every declared event code and its label."""
    return audit_event_labels()


def event_label(code: str) -> Any:
    """The event's name for people (unknown codes show as they are)."""
    return audit_event_labels().get(code, code)


def object_type_extra_label(object_type: str) -> Any:
    """The declared label of a non-model object type, or ``None``."""
    return audit_object_type_labels().get(object_type)
