"""The core's own parts: the workbench menu, the audit events the generic machinery records
and its infrastructure tables (see dangjian/core/modules.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.core.modules import ModuleParts, PortalItem
from dangjian.core.navigation import core_menu
from dangjian.core.reminders import (
    ReminderSource,
    approval_scopes,
    approvals_waiting,
    rectification_deadlines,
    rectification_scopes,
)

parts = ModuleParts(
    audit_events={
        "create": _("Created"),
        "update": _("Changed"),
        "delete": _("Deleted"),
        "export": _("Exported"),
        "import": _("Imported"),
        "bulk_create": _("Created in bulk"),
        "backup": _("Backup made"),
        "restore": _("Backup restored"),
        "job_start": _("Background job started"),
        "job_done": _("Background job ended"),
        # decisions of the approvals facility (dangjian.core.approvals)
        "approve": pgettext_lazy("audit event", "Approved"),
        "reject": pgettext_lazy("audit event", "Rejected"),
        "withdraw": pgettext_lazy("audit event", "Withdrawn"),
    },
    audit_object_types={"system.backup": _("Backup archive")},
    navigation=core_menu,
    portal=(PortalItem(_("My reminders"), "core:inbox", "bell", order=40),),
    nav_order=0,
    unscoped_models={
        "core.idempotencyrecord": "an API client's idempotency keys, read only by the request that sent them",
        "core.throttlecounter": "attempt counters keyed by a digest, read only by the throttles",
        "core.importbatch": "reached only by its uploader (dangjian.core.imports), never through a list",
        "core.job": "reached only by the user who started it (dangjian.core.jobs), never through a list",
        "core.scheduledtask": "the schedule: infrastructure read by manage.py scheduler, no page",
    },
    reminders=(ReminderSource("approvals_waiting", _("Requests waiting for a decision"), approvals_waiting,
                              scopes=approval_scopes, order=10),
               ReminderSource("rectification_deadlines", _("Rectification deadlines"), rectification_deadlines,
                              scopes=rectification_scopes, order=65)),
)
