"""Organization import (F1): the columns of the organization workbook and the checks of a row,
plus the organization lookups every import uses (by code or name, inside the user's scope).

A row's parent is an organization the user may add to, or an organization of an earlier row
of the same file, so a whole subtree imports from one workbook.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.imports import CodeOrNameLookup, Importer, ImportField, Row, normalize_code, normalize_name
from dangjian.core.scoping import ensure_in_scope, orgs_where
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization, PoliceUnit
from dangjian.orgs.structure import placement_problem


def not_yours(value: str) -> str:
    return gettext("Organization “%(value)s” was not found or is not one you manage.") % {"value": value[:60]}


def ambiguous(value: str) -> str:
    return gettext("Several organizations are named “%(value)s”; write the organization code instead.") % {"value": value[:60]}


def lookup_problem(value: str, why: str) -> str:
    return ambiguous(value) if why == "ambiguous" else not_yours(value)


class OrganizationImporter(Importer):
    """组织导入: one row per organization, under organizations the user may add to."""

    kind = "organizations"
    model = Organization
    namespace = "orgs"
    name = "organization"
    list_url_name = "orgs:organization_list"
    sheet_name = "党组织"
    fields = (
        ImportField("name", "组织名称", required=True, kind="name", max_length=100, example="刑侦三大队党支部", width=30),
        ImportField("short_name", "简称", kind="name", max_length=50, example="三大队支部"),
        ImportField("code", "组织代码", required=True, kind="code", max_length=32, example="XZ03",
                    help=_("Unique in the whole system.")),
        ImportField("kind", "组织类别", required=True, kind="choice", choices=OrgKind.choices, example="党支部"),
        ImportField("parent", "上级组织", required=True, kind="name", max_length=100, example="刑侦支队党委", width=30,
                    help=_("The code or exact name of an organization you manage, or of an organization in an "
                            "earlier row of this file.")),
        ImportField("unit", "所在单位", kind="name", max_length=100, example="", width=20,
                    help=_("Optional: the name of a police unit already in the system.")),
        ImportField("founded_on", "成立日期", kind="date", example="2021-07-01", width=12),
    )

    def prepare(self, rows: list[Row]) -> None:
        parents = [r.values.get("parent") or "" for r in rows]
        self.parents = CodeOrNameLookup(orgs_where(self.user, "orgs", "add"), parents)
        codes = sorted({r.values["code"] for r in rows if r.values.get("code")})
        self.taken_codes = {normalize_code(c).upper() for c in Organization.objects.filter(  # the whole tree
            code__in=codes + [c.upper() for c in codes]).values_list("code", flat=True)}
        self.file_codes = {normalize_code(r.values["code"]).upper(): r for r in rows if r.values.get("code")}
        self.done_codes: dict[str, Row] = {}
        self.done_names: dict[str, list[Row]] = {}
        self.seen_codes: dict[Any, int] = {}
        units = {r.values["unit"] for r in rows if r.values.get("unit")}
        self.units = {normalize_name(u.name): u for u in PoliceUnit.objects.filter(name__in=units)}

    def file_parent(self, value: str) -> Row | None:
        found = self.done_codes.get(normalize_code(value).upper())
        if found is not None:
            return found
        named = self.done_names.get(normalize_name(value), [])
        return named[0] if len(named) == 1 else None

    def check_row(self, row: Row) -> None:
        v = row.values
        code = normalize_code(v["code"]).upper() if v["code"] else ""
        if code and self.unique_in_file(row, "code", code, self.seen_codes,
                                        gettext("Same organization code as row %(row)d of this file.")):
            if code in self.taken_codes:
                self.problem(row, "code", gettext("An organization with this code already exists."))
        parent: Any = None
        parent_kind = None
        if v["parent"]:
            in_file = self.file_parent(v["parent"])
            if in_file is not None:
                if not in_file.ok:
                    self.problem(row, "parent", gettext("The parent organization is in row %(row)d, which has problems.")
                                 % {"row": in_file.number})
                parent, parent_kind = in_file, in_file.values.get("kind")
            elif normalize_code(v["parent"]).upper() in self.file_codes:
                self.problem(row, "parent", gettext("The parent organization must be in an earlier row than its children."))
            else:
                parent, why = self.parents.find(v["parent"])
                if parent is None:
                    self.problem(row, "parent", lookup_problem(v["parent"], why))
                else:
                    parent_kind = parent.kind
        if parent_kind is not None and v["kind"]:
            problem = placement_problem(v["kind"], Organization(kind=parent_kind))
            if problem:
                self.problem(row, "kind" if parent_kind != OrgKind.GROUP else "parent", problem)
        unit = None
        if v["unit"]:
            unit = self.units.get(v["unit"])
            if unit is None:
                self.problem(row, "unit", gettext("Police unit “%(value)s” does not exist.") % {"value": v["unit"][:60]})
        if code:
            self.done_codes.setdefault(code, row)
        if v["name"]:
            self.done_names.setdefault(v["name"], []).append(row)
        if row.ok:
            v["_parent"] = parent
            row.instance = Organization(name=v["name"], short_name=v["short_name"] or "", code=v["code"],
                                        kind=v["kind"], unit=unit, founded_on=v["founded_on"])

    def write_row(self, row: Row) -> Any:
        parent = row.values["_parent"]
        if isinstance(parent, Row):
            parent = parent.instance  # written earlier in this import
        org = Organization.objects.add_child(parent, instance=row.instance)
        ensure_in_scope(self.user, org, "add")
        return org
