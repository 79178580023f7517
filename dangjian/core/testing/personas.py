"""Fixed test personas over a small tree (HealthChecks style: owner / team member / outsider).

    root committee R (市局党委)
      ├─ committee C1 (单位党委)
      │    ├─ branch B1  ── group G1
      │    └─ branch B2
      └─ committee C2
           └─ branch B3

Users: ``root_staff`` (committee staff at R), ``c1_staff`` (committee staff at C1),
``officer_b1`` / ``officer_b2`` (branch officers of the sibling branches), ``inspector_c1``,
``member_b1`` (a plain member of B1), the three admins ``sysadmin`` / ``secadmin`` /
``auditadmin``. Every user's password is :data:`PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dangjian.core import idcard
from dangjian.core.context import acting_as

PASSWORD = "Test#Pw-2026x"  # noqa: S105
#: the TOTP key of the three admin personas (they must use a second factor, AUTH-03)
TOTP_KEY = "3132333435363738393031323334353637383930"
ADMINS = ("sysadmin", "secadmin", "auditadmin")
MFA_URL = "/accounts/login/code/"
ENROL_URL = "/accounts/mfa/setup/"
_seq = itertools.count(1)


def valid_id_number(birth: dt.date = dt.date(1985, 6, 15), gender: str = "M", seq: int | None = None) -> str:
    """A valid 18-character ID number for ``birth`` and ``gender`` (unique per call by default)."""
    n = next(_seq) if seq is None else seq
    order = (n * 2 + (1 if gender == "M" else 0)) % 1000
    body = f"110101{birth:%Y%m%d}{order:03d}"
    if (int(body[-1]) % 2 == 1) != (gender == "M"):
        body = body[:-1] + str((int(body[-1]) + 1) % 10)
    return body + idcard.check_digit(body)


def make_member(org: Any, **fields: Any) -> Any:
    """Create a valid member in ``org`` (any field may be overridden)."""
    from dangjian.members.models import Member

    gender = fields.pop("gender", "M")
    birth = fields.pop("birth_date", dt.date(1970 + next(_seq) % 20, 3, 14))
    n = next(_seq)
    values: dict[str, Any] = {
        "name": f"测试党员{n}", "gender": gender, "birth_date": birth,
        "id_number": valid_id_number(birth, gender), "police_number": f"T{n:06d}",
        "personnel_type": "police", "joined_party_on": dt.date(2010, 7, 1), "full_member_on": dt.date(2011, 7, 1),
        "status": "full", "org": org,
    }
    values.update(fields)
    member = Member(**values)
    member.save()
    return member


@dataclass
class Personas:
    root: Any
    c1: Any
    c2: Any
    b1: Any
    b2: Any
    b3: Any
    g1: Any
    users: dict[str, Any]
    members: dict[str, Any]

    def user(self, name: str) -> Any:
        return self.users[name]


def build_personas() -> Personas:
    """Build the tree, members and users (inside ``acting_as`` so every row is audited)."""
    from dangjian.accounts.models import RoleGrant, User
    from dangjian.orgs.models import Organization

    with acting_as(None, reason="test personas"):
        root = Organization.objects.add_root({"name": "测试市公安局党委", "code": "R", "kind": "committee"})
        c1 = Organization.objects.add_child(root, {"name": "刑侦支队党委", "code": "C1", "kind": "committee"})
        c2 = Organization.objects.add_child(root, {"name": "交警支队党委", "code": "C2", "kind": "committee"})
        c1.refresh_from_db()
        b1 = Organization.objects.add_child(c1, {"name": "刑侦一大队党支部", "code": "B1", "kind": "branch"})
        c1.refresh_from_db()
        b2 = Organization.objects.add_child(c1, {"name": "刑侦二大队党支部", "code": "B2", "kind": "branch"})
        b3 = Organization.objects.add_child(c2, {"name": "交警一大队党支部", "code": "B3", "kind": "branch"})
        b1.refresh_from_db()
        g1 = Organization.objects.add_child(b1, {"name": "第一党小组", "code": "B1G1", "kind": "group"})
        members = {
            "m_b1": make_member(b1, name="张三"),
            "m_b1_2": make_member(b1, name="李四"),
            "m_b2": make_member(b2, name="王五"),
            "m_b3": make_member(b3, name="赵六"),
        }
        grants = {
            "root_staff": ("committee_staff", root, None),
            "c1_staff": ("committee_staff", c1, None),
            "officer_b1": ("branch_officer", b1, None),
            "officer_b2": ("branch_officer", b2, None),
            "inspector_c1": ("inspector", c1, None),
            "member_b1": (None, None, members["m_b1"]),
            "sysadmin": ("system_admin", root, None),
            "secadmin": ("security_admin", root, None),
            "auditadmin": ("audit_admin", root, None),
        }
        users: dict[str, Any] = {}
        for username, (role, org, member) in grants.items():
            user = User(username=username, member=member, password_changed_at=timezone.now())
            user.set_password(PASSWORD)
            user.save()
            if role:
                RoleGrant.objects.create(user=user, role=role, org=org)
            if username in ADMINS:
                from dangjian.accounts import mfa

                mfa.enrol_with_secret(user, TOTP_KEY)
            users[username] = user
    for node in (root, c1, c2, b1, b2, b3, g1):
        node.refresh_from_db()
    return Personas(root, c1, c2, b1, b2, b3, g1, users, members)


def one_time_code(username: str) -> str:
    """A fresh backup code of ``username`` when the account has or needs a second factor, else
    ``""`` (what a test passes as the token endpoint's ``otp`` or posts on the code page). An
    account that needs one and has none (an administrator made by a test) is enrolled with
    :data:`TOTP_KEY` first, as its user would on the enrolment page."""
    from dangjian.accounts import mfa
    from dangjian.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return ""
    if not mfa.is_enrolled(user):
        if not mfa.is_required(user):
            return ""
        mfa.enrol_with_secret(user, TOTP_KEY)
    return mfa.backup_code_for(user)


def finish_login(client: Any, response: Any, username: str) -> Any:
    """After the password step of a login through the page: give the second factor when the
    page asks for it (or for an enrolment), returning the final response."""
    if response.status_code == 302 and response["Location"] in (MFA_URL, ENROL_URL):
        response = client.post(MFA_URL, {"code": one_time_code(username)})
    return response
