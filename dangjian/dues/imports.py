"""Import of yearly dues bases (F-dues; DUES08 art. 2-6) on the core import framework.

The generic work — the hostile-file inspection, the once-per-file rule, the staged preview with
its row-by-row report, the all-or-nothing write in one transaction, the background job — is in
``dangjian.core.imports``; this module says what a base row is. The pay-item columns come from
the ``PayItem`` table (rules as data), so the columns are built per import (``columns``); the
year is an option given with the file and kept on the batch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.errors import RuleError
from dangjian.core.imports import Importer, ImportField, ImportRefused, Row, normalize_code, normalize_text
from dangjian.dues import rules, services
from dangjian.dues.choices import DuesKind
from dangjian.dues.forms import dues_members
from dangjian.dues.models import DuesAssessment, FixedDuesAmount, PayItem

#: The file's words for the kinds of dues (the template's drop-down).
KIND_CHOICES = ((DuesKind.EMPLOYED, "在职"), (DuesKind.RETIRED, "离退休"), (DuesKind.FIXED, "定额"),
                (DuesKind.AUXILIARY, "辅警"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))


def money(text: str) -> Decimal | None:
    """An amount of yuan with at most two decimals, not negative (``ValueError`` with the reason)."""
    text = normalize_code(text).replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(gettext("“%(value)s” is not a valid amount.") % {"value": text[:30]}) from None
    if not amount.is_finite():
        raise ValueError(gettext("“%(value)s” is not a valid amount.") % {"value": text[:30]})
    if amount < 0:
        raise ValueError(gettext("An amount cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(gettext("At most two decimal places: “%(value)s”.") % {"value": text[:30]})
    return amount.quantize(Decimal("0.01"))


def pay_items() -> list[PayItem]:
    return list(PayItem.objects.filter(is_active=True).order_by("order", "code"))


class DuesBaseImporter(Importer):
    """党费基数导入: one row per member and year; every row becomes an assessment (核定)."""

    kind = "dues_bases"
    model = DuesAssessment
    namespace = "dues"
    name = "base"
    list_url_name = "dues:assessment_list"
    sheet_name = "党费基数"
    options_form = YearForm
    notes = (_("Pay item columns carry the monthly amounts in yuan (at most two decimals); their names must be those "
                "of the system's pay items."),
             _("A member assessed for the year already is reassessed one at a time, with a reason, not by import."))
    head = (
        ImportField("police_number", "警号", required=True, kind="code", max_length=20, example="010123", width=10),
        ImportField("name", "姓名", kind="name", max_length=50, example="张三", width=10,
                    help=_("Optional; when given it must be the member's name.")),
        ImportField("kind", "党费类别", required=True, kind="choice", choices=KIND_CHOICES, example="在职", width=10),
    )
    tail = (
        ImportField("fixed_category", "定额类别", max_length=50, width=16,
                    help=_("For 定额 only: a fixed-amount category of the dues standard.")),
        ImportField("fixed_amount", "定额金额", kind="code", max_length=20, width=10,
                    help=_("For 定额 only, when the category leaves the amount open.")),
        ImportField("note", "备注", max_length=200, width=24),
    )
    fields = head + tail

    @classmethod
    def columns(cls) -> tuple[ImportField, ...]:
        items = tuple(ImportField(f"item_{item.pk}", item.name, kind="code", max_length=20, width=12,
                                  example="3000.00" if i == 0 else "")
                      for i, item in enumerate(pay_items()))
        return cls.head + items + cls.tail

    @classmethod
    def options_initial(cls) -> dict[str, Any]:
        return {"year": timezone.localdate().year}

    def __init__(self, user: Any, *, year: int | None = None, **options: Any) -> None:
        super().__init__(user, year=year, **options)
        self.year = int(year or timezone.localdate().year)

    def prepare(self, rows: list[Row]) -> None:
        self.items = {f"item_{item.pk}": item for item in pay_items()}
        numbers = {r.values["police_number"] for r in rows if r.values.get("police_number")}
        members = dues_members(self.user, "add").filter(police_number__in=numbers).select_related("org")
        self.by_number = {m.police_number: m for m in members}
        self.assessed = set(DuesAssessment.objects.filter(year=self.year, member__in=list(self.by_number.values()))
                            .values_list("member_id", flat=True))
        self.first_day = dt.date(self.year, 1, 1)
        self.standard = rules.standard_in_force(self.first_day)
        self.fixed = {normalize_text(f.category): f for f in FixedDuesAmount.objects.filter(
            standard=rules.standard_in_force(dt.date(self.year, 12, 31)))}
        self.seen: dict[Any, int] = {}
        self.pending = 0

    def check_row(self, row: Row) -> None:
        v = row.values
        number, member = v["police_number"], None
        if number and self.unique_in_file(row, "police_number", number, self.seen,
                                          gettext("Same police number as row %(row)d of this file.")):
            member = self.by_number.get(number)
            if member is None:
                self.problem(row, "police_number", gettext("Police number %(number)s does not exist or is not in an "
                                                     "organization you manage.") % {"number": number})
            elif v["name"] and member.name != v["name"]:
                self.problem(row, "name", gettext("The member with police number %(number)s is %(name)s, not “%(given)s”.")
                             % {"number": number, "name": member.name, "given": v["name"][:50]})
            elif member.pk in self.assessed:
                self.problem(row, "police_number", gettext("%(name)s is already assessed for %(year)d; a mid-year "
                                                     "reassessment is done one member at a time.")
                             % {"name": member.name, "year": self.year})
        components = []
        for key, item in self.items.items():
            try:
                amount = money(v.get(key) or "")
            except ValueError as exc:
                self.problem(row, key, str(exc))
                continue
            if amount is not None:
                components.append(services.ComponentInput(item, amount))
        kind, fixed, fixed_amount = v["kind"], None, None
        if kind == DuesKind.FIXED:
            fixed = self.fixed.get(v["fixed_category"] or "")
            if fixed is None:
                self.problem(row, "fixed_category", gettext("Choose a fixed-amount category: %(choices)s.")
                             % {"choices": "、".join(self.fixed)})
            try:
                fixed_amount = money(v["fixed_amount"] or "")
            except ValueError as exc:
                self.problem(row, "fixed_amount", str(exc))
        elif kind is not None and not components:
            self.problem(row, "", gettext("No pay item amount is filled in."))
        if not row.ok or member is None or kind is None:
            return
        try:
            base = Decimal("0") if kind == DuesKind.FIXED else rules.compute_base(
                rules.BaseLine(c.item.name, c.amount, c.item.treatment) for c in components).base
            rules.compute_for_kind(kind=kind, standard=self.standard, base=base, org=member.org, day=self.first_day,
                                   fixed=fixed, fixed_amount=fixed_amount)
        except (RuleError, ValidationError) as exc:
            self.problem(row, "", " ".join(getattr(exc, "messages", [str(exc)])))
            return
        row.instance = {"member": member, "kind": kind, "components": tuple(components), "fixed": fixed,
                        "fixed_amount": fixed_amount, "note": v["note"] or ""}

    def write_row(self, row: Row) -> Any:
        """Assess the member (audited by the service), inside the import's one transaction."""
        try:
            return services.assess_member(actor=self.user, year=self.year, **row.instance)
        except (RuleError, ValidationError) as exc:
            message = " ".join(getattr(exc, "messages", [str(exc)]))
            raise ImportRefused("conflict", gettext("Row %(row)d could not be assessed (%(why)s); nothing was imported.")
                                % {"row": row.number, "why": message}) from exc
