"""Dues writes with their business rules: keyword-only, actor first, one transaction each.

Every row written is a ``ScopedModel`` (audited in the same transaction) and is re-read through
the actor's scope before commit (``ensure_in_scope``): a write that would land outside the
actor's organizations rolls back. Errors a user can fix raise
:class:`dangjian.core.errors.RuleError` with a gettext message (naming its field when it has
one); the core screens and the API show it.
"""

from __future__ import annotations

from dangjian.dues.services.assessment import (
    ComponentInput,
    assess_member,
    decide_relief,
    propose_relief,
    rebill,
)
from dangjian.dues.services.billing import (
    BillRun,
    BulkPaymentError,
    BulkRow,
    PaymentResult,
    generate_bills,
    record_bulk_payments,
    record_payment,
    void_payment,
)
from dangjian.dues.services.common import require
from dangjian.dues.services.ledger import (
    ScanResult,
    approve_budget,
    close_statement,
    decide_spending,
    record_case_decision,
    record_remittance,
    scan_arrears,
)

__all__ = [
    "BillRun", "BulkPaymentError", "BulkRow", "ComponentInput", "PaymentResult", "ScanResult", "approve_budget",
    "assess_member", "close_statement", "decide_relief", "decide_spending", "generate_bills", "propose_relief",
    "rebill", "record_bulk_payments", "record_case_decision", "record_payment", "record_remittance", "require",
    "scan_arrears", "void_payment"
]
