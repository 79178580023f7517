"""Member import (F2): the columns of the member workbook and the checks of one member row.

The generic work (file checks, parsing, report, one transaction, ImportBatch) is in
``dangjian.core.imports``; this module says what a member row is. Rows are checked with the
model's own ``Member.clean()`` (ID check digit, birth date and gender against the ID number,
full-member date, party group), plus what only a whole file can tell: duplicates inside the
file, police numbers already taken, and organizations the importing user may add to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import idcard
from dangjian.core.imports import CodeOrNameLookup, Importer, ImportField, Row, normalize_code, normalize_name
from dangjian.core.scoping import orgs_where
from dangjian.members import services
from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.imports import lookup_problem
from dangjian.orgs.models import Organization

#: The organizations a member may belong to (as in MemberCreateForm).
MEMBER_ORG_KINDS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)
_EXAMPLE_ID = "11010119850615001" + idcard.check_digit("11010119850615001")
WRITE_BATCH = 500


class MemberImporter(Importer):
    """党员导入: one row per member, into branches the importing user may add members to."""

    kind = "members"
    model = Member
    namespace = "members"
    name = "member"
    list_url_name = "members:member_list"
    sheet_name = "党员"
    fields = (
        ImportField("name", "姓名", required=True, kind="name", max_length=50, example="张三", width=10,
                    help=_("As on the ID card; traditional characters are kept exactly as typed.")),
        ImportField("gender", "性别", kind="choice", choices=Gender.choices, example="男", width=6,
                    help=_("Taken from the ID number when empty; otherwise it must match it.")),
        ImportField("ethnicity", "民族", max_length=20, example="汉族", width=8, help=_("Empty means 汉族.")),
        ImportField("birth_date", "出生日期", kind="date", example="1985-06-15", width=12,
                    help=_("Taken from the ID number when empty; otherwise it must match it.")),
        ImportField("id_number", "身份证号", required=True, kind="code", example=_EXAMPLE_ID, width=22, masked=True,
                    help=_("18 characters with a valid check digit. Keep the column formatted as text, otherwise "
                            "Excel turns the number into a rounded number.")),
        ImportField("police_number", "警号", kind="code", max_length=20, example="010123", width=10,
                    help=_("Unique; may stay empty (e.g. auxiliary police without a number).")),
        ImportField("personnel_type", "人员类别", required=True, kind="choice", choices=PersonnelType.choices,
                    example="民警", width=10),
        ImportField("rank", "警衔", max_length=30, example="一级警司"),
        ImportField("job_title", "职务", max_length=50, example="副大队长"),
        ImportField("education", "学历", kind="choice", choices=Education.choices, example="大学本科"),
        ImportField("phone", "手机号码", kind="code", max_length=20, example="13800000000"),
        ImportField("joined_party_on", "入党日期", required=True, kind="date", example="2010-07-01", width=12),
        ImportField("full_member_on", "转正日期", kind="date", example="2011-07-01", width=12,
                    help=_("Required for full members; not before the date of joining.")),
        ImportField("status", "党员状态", required=True, kind="choice", choices=MemberStatus.choices,
                    example="正式党员", width=10),
        ImportField("org", "所在支部", required=True, kind="name", max_length=100, example="刑侦一大队党支部", width=28,
                    help=_("The organization code or the exact name of the member's branch (or general branch, "
                            "committee); it must be one you manage.")),
        ImportField("group", "党小组", kind="name", max_length=100, example="第一党小组", width=16,
                    help=_("Optional: the code or name of a party group of that branch.")),
    )

    def prepare(self, rows: list[Row]) -> None:
        orgs = orgs_where(self.user, Member.scope_area, "add", Organization.objects.filter(kind__in=MEMBER_ORG_KINDS))
        self.orgs = CodeOrNameLookup(orgs, (r.values.get("org") or "" for r in rows))
        wanted = {r.values["group"] for r in rows if r.values.get("group")}
        self.groups: list[Organization] = []
        if wanted:
            groups = orgs_where(self.user, Member.scope_area, "add", Organization.objects.filter(kind=OrgKind.GROUP))
            codes = {normalize_code(v).upper() for v in wanted}
            self.groups = [g for g in groups if normalize_code(g.code).upper() in codes
                           or normalize_name(g.name) in wanted]
        numbers = sorted({r.values["police_number"] for r in rows if r.values.get("police_number")})
        self.taken_police: set[str] = set()
        for start in range(0, len(numbers), 500):
            self.taken_police.update(Member.objects.filter(  # the whole roll: police numbers are unique
                police_number__in=numbers[start:start + 500]).values_list("police_number", flat=True))
        self.seen_ids: dict[Any, int] = {}
        self.seen_police: dict[Any, int] = {}
        self.today = timezone.localdate()
        self.pending: list[Member] = []

    def find_group(self, org: Organization, value: str) -> Organization | None:
        for group in self.groups:
            if group.path.startswith(org.path) and group.depth == org.depth + 1 and (
                    normalize_code(group.code).upper() == normalize_code(value).upper()
                    or normalize_name(group.name) == value):
                return group
        return None

    def check_row(self, row: Row) -> None:
        v = row.values
        org = group = None
        if v["org"]:
            org, why = self.orgs.find(v["org"])
            if org is None:
                self.problem(row, "org", lookup_problem(v["org"], why))
        if v["group"] and org is not None:
            group = self.find_group(org, v["group"])
            if group is None:
                self.problem(row, "group", gettext("Party group “%(value)s” was not found under %(org)s.")
                             % {"value": v["group"][:60], "org": org.name})
        number = v["id_number"]
        raw_id = row.raw.get("id_number")
        if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
            self.problem(row, "id_number", gettext("Excel stored the ID number as a number and may have changed its last "
                                             "digits; format the column as text and type the number again."))
            number = None
        elif number:
            try:
                number = idcard.validate(number)
            except ValidationError:
                pass  # reported by Member.clean() below, with its own message
            else:
                self.unique_in_file(row, "id_number", number, self.seen_ids,
                                    gettext("Same ID number as row %(row)d of this file."))
                if v["birth_date"] is None and not any(p.column == "出生日期" for p in row.problems):
                    v["birth_date"] = idcard.birth_date(number)
                if v["gender"] is None and not any(p.column == "性别" for p in row.problems):
                    v["gender"] = idcard.gender(number)
        police = v["police_number"]
        if police and self.unique_in_file(row, "police_number", police, self.seen_police,
                                          gettext("Same police number as row %(row)d of this file.")):
            if police in self.taken_police:
                self.problem(row, "police_number", gettext("A member with this police number already exists."))
        # dates in the future, phone, branch, police number: Member.clean() (members.models.clerk_checks)
        member = Member(
            name=v["name"] or "", gender=v["gender"] or "", ethnicity=v["ethnicity"] or "汉族",
            birth_date=v["birth_date"], id_number=number or "", police_number=police or None,
            personnel_type=v["personnel_type"] or "", rank=v["rank"] or "", job_title=v["job_title"] or "",
            education=v["education"] or "", phone=v["phone"] or "", joined_party_on=v["joined_party_on"],
            full_member_on=v["full_member_on"], status=v["status"] or "", org=org, group=group,
        )
        try:
            member.clean()  # the model's rules: ID checks, dates, group, ID already on the roll
        except ValidationError as exc:
            self.model_errors(row, exc)
        if row.ok:
            row.instance = member

    def write_row(self, row: Row) -> Any:
        self.pending.append(row.instance)
        if len(self.pending) >= WRITE_BATCH:
            self.finish()
        return row.instance

    def finish(self) -> None:
        if self.pending:
            services.import_members(actor=self.user, members=self.pending)
            self.pending = []
