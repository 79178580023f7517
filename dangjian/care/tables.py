"""Tables of the care fund lists (the circumstances are never a column)."""

from __future__ import annotations

import django_tables2 as tables

from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.core.tables import BaseTable


class CareReasonTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CareReason
        fields = ("order", "code", "name", "description", "is_active")


class DonationTable(BaseTable):
    donor = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = CareDonation
        fields = ("org", "received_on", "donor", "amount", "receipt_number", "note")


class VisitTable(BaseTable):
    beneficiary = tables.Column(linkify=lambda record: record.get_absolute_url())  # the visit, not the member

    class Meta(BaseTable.Meta):
        model = CareVisit
        fields = ("org", "visited_on", "beneficiary", "reason", "amount", "items", "visitor", "status")
