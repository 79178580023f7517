"""Generated screen suite of the audit log (read-only: list, detail, export)."""

from __future__ import annotations

import itertools

from dangjian.core import audit
from dangjian.core.auditviews import AuditViews
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "core.idempotencyrecord": "Internal replay cache of API writes (REL-02), no screens and no organization; "
                              "covered by tests/api.",
}


class TestAuditEntrySuite(ModelSuite):
    views = AuditViews
    extra_users = {"auditadmin_c1": ("audit_admin", "c1"), "auditadmin_c2": ("audit_admin", "c2")}
    allowed = "auditadmin_c1"
    outsider = "auditadmin_c2"
    marker = "object_repr"

    @classmethod
    def make_row(cls, p: Personas) -> AuditEntry:
        return audit.record("test", object_repr=f"测试事件{next(_n)}", org_path=p.b1.path)
