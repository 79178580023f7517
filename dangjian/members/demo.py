"""The demo bureau (modeled on seed 001): a city bureau committee, 12 unit committees,
81 branches (some with 党小组), about 2,000 members, posts, terms and one account per role.

Deterministic for a given seed: the same seed builds the same bureau.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction

from dangjian.accounts.models import RoleGrant, User
from dangjian.accounts.roles import ADMIN_ROLES, Role
from dangjian.core import idcard
from dangjian.core.context import acting_as
from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType, Post
from dangjian.members.models import CommitteePost, Member
from dangjian.orgs.choices import OrgKind, UnitKind
from dangjian.orgs.models import Organization, OrganizationTerm, PoliceUnit

DEMO_REASON = "演示数据"
DEMO_PASSWORD = "Hongqi#2026"  # noqa: S105  (demo database only; printed by the run command)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅林峰波宁斌浩凯亮志新海燕雪晨宇航俊博文武晓琳佳欣怡子涵浩然思远振东卫东海涛德胜永刚春华"

UNITS = (
    ("机关党委", "市局机关", UnitKind.ORGAN, 9),
    ("刑事侦查支队党委", "刑事侦查支队", UnitKind.CRIMINAL, 7),
    ("交通警察支队党委", "交通警察支队", UnitKind.TRAFFIC, 8),
    ("治安管理支队党委", "治安管理支队", UnitKind.PUBLIC_ORDER, 5),
    ("特警支队党委", "特警支队", UnitKind.OTHER, 5),
    ("网络安全保卫支队党委", "网络安全保卫支队", UnitKind.OTHER, 4),
    ("襄城分局党委", "襄城分局", UnitKind.COUNTY, 8),
    ("樊城分局党委", "樊城分局", UnitKind.COUNTY, 8),
    ("襄州分局党委", "襄州分局", UnitKind.COUNTY, 8),
    ("高新分局党委", "高新分局", UnitKind.COUNTY, 7),
    ("东津分局党委", "东津分局", UnitKind.COUNTY, 6),
    ("鱼梁洲分局党委", "鱼梁洲分局", UnitKind.COUNTY, 6),
)  # branches add up to 81

BRANCH_NAMES = {
    UnitKind.ORGAN: ("办公室", "政治部", "警务保障处", "法制支队", "督察支队", "指挥中心", "出入境管理支队", "人口管理支队", "离退休干部"),
    UnitKind.CRIMINAL: ("一大队", "二大队", "三大队", "技术大队", "情报大队", "禁毒大队", "综合大队"),
    UnitKind.TRAFFIC: ("一大队", "二大队", "三大队", "四大队", "高速大队", "车管所", "事故处理大队", "秩序大队"),
    UnitKind.PUBLIC_ORDER: ("行动大队", "管理大队", "内保大队", "综合室", "巡防大队"),
    UnitKind.OTHER: ("一大队", "二大队", "三大队", "综合室", "技术大队"),
    UnitKind.COUNTY: ("机关", "城区派出所", "东门派出所", "西门派出所", "南关派出所", "北街派出所", "刑侦大队", "治安大队"),
}


@dataclass
class DemoResult:
    orgs: int = 0
    members: int = 0
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)


def make_id_number(rng: random.Random, birth: dt.date, gender: str, used: set[str]) -> str:
    while True:
        seq = rng.randint(0, 99) * 10 + rng.randrange(1 if gender == "M" else 0, 10, 2)
        body = f"420602{birth:%Y%m%d}{seq:03d}"
        number = body + idcard.check_digit(body)
        if number not in used:
            used.add(number)
            return number


def chinese_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def build_demo(seed: int = 2026) -> DemoResult:
    """Build the demo bureau in one transaction, every row audited as the demo command."""
    rng = random.Random(seed)
    result = DemoResult()
    used_ids: set[str] = set()
    with acting_as(None, reason=DEMO_REASON, source="command"), transaction.atomic():
        root_unit = PoliceUnit.objects.create(name="示范市公安局", kind=UnitKind.ORGAN)
        root = Organization.objects.add_root({
            "name": "中共示范市公安局委员会", "short_name": "市局党委", "code": "SJ", "kind": OrgKind.COMMITTEE,
            "unit": root_unit, "founded_on": dt.date(1985, 7, 1),
        })
        OrganizationTerm.objects.create(org=root, number=8, started_on=dt.date(2022, 3, 1), ends_on=dt.date(2027, 3, 1))
        branches: list[Organization] = []
        police_seq = 100000
        for u_idx, (committee_name, unit_name, unit_kind, n_branches) in enumerate(UNITS, start=1):
            unit = PoliceUnit.objects.create(name=unit_name, kind=unit_kind)
            committee = Organization.objects.add_child(root, {
                "name": committee_name, "code": f"SJ{u_idx:02d}", "kind": OrgKind.COMMITTEE, "unit": unit,
                "founded_on": dt.date(1990 + u_idx, 7, 1),
            })
            OrganizationTerm.objects.create(
                org=committee, number=3, started_on=dt.date(2021 + u_idx % 4, 1 + u_idx % 12, 1),
                ends_on=dt.date(2026 + u_idx % 4, 1 + u_idx % 12, 1),
            )
            names = BRANCH_NAMES[unit_kind]
            parent = committee
            if u_idx == 1:  # the headquarters committee has a general branch over three branches
                parent = Organization.objects.add_child(committee, {
                    "name": "机关第一党总支部委员会", "code": "SJ01Z1", "kind": OrgKind.GENERAL_BRANCH, "unit": unit,
                    "founded_on": dt.date(2001, 7, 1),
                })
            for b_idx in range(n_branches):
                label = names[b_idx % len(names)]
                host = parent if (u_idx != 1 or b_idx < 3) else committee
                branch = Organization.objects.add_child(host, {
                    "name": f"{unit_name}{label}党支部", "code": f"SJ{u_idx:02d}B{b_idx + 1:02d}", "kind": OrgKind.BRANCH,
                    "unit": unit, "founded_on": dt.date(2000 + rng.randint(0, 20), rng.randint(1, 12), 1),
                })
                start = dt.date(2023 + rng.randint(0, 2), rng.randint(1, 12), 1)
                OrganizationTerm.objects.create(
                    org=branch, number=rng.randint(2, 6), started_on=start,
                    ends_on=dt.date(start.year + 3, start.month, 1),
                )
                branches.append(branch)
        for b_idx, branch in enumerate(branches):
            groups: list[Organization] = []
            if b_idx % 5 == 0:
                for g in range(2):
                    groups.append(Organization.objects.add_child(branch, {
                        "name": f"第{'一二'[g]}党小组", "code": f"{branch.code}G{g + 1}", "kind": OrgKind.GROUP, "unit": branch.unit,
                    }))
            size = 2 if b_idx % 27 == 13 else rng.randint(14, 36)
            members: list[Member] = []
            for _ in range(size):
                gender = Gender.MALE if rng.random() < 0.82 else Gender.FEMALE
                birth = dt.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
                joined = dt.date(birth.year + rng.randint(20, 30), rng.randint(1, 12), rng.randint(1, 28))
                joined = min(joined, dt.date(2026, 6, 30))
                probationary = joined > dt.date(2025, 10, 1)
                police = rng.random() < 0.8
                if police:
                    police_seq += rng.randint(1, 7)
                member = Member(
                    name=chinese_name(rng), gender=gender, birth_date=birth,
                    id_number=make_id_number(rng, birth, gender, used_ids),
                    police_number=str(police_seq) if police else None,
                    personnel_type=PersonnelType.POLICE if police else PersonnelType.AUXILIARY,
                    rank=rng.choice(["一级警司", "二级警司", "三级警司", "一级警督", "二级警督", "三级警长", "四级警长"]) if police else "",
                    job_title=rng.choice(["民警", "副大队长", "大队长", "教导员", "科员", "副所长", "所长"]) if police else "辅警",
                    education=rng.choice([Education.BACHELOR] * 5 + [Education.COLLEGE] * 3 + [Education.POSTGRADUATE, Education.HIGH_SCHOOL]),
                    phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                    joined_party_on=joined,
                    full_member_on=None if probationary else dt.date(joined.year + 1, joined.month, joined.day),
                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                    org=branch, group=rng.choice(groups) if groups else None,
                )
                member.save()
                members.append(member)
            full = [m for m in members if m.status == MemberStatus.FULL]
            if full:
                CommitteePost.objects.create(org=branch, member=full[0], post=Post.SECRETARY, started_on=dt.date(2023, 1, 1))
            if len(full) >= 7 and b_idx % 9 != 4:  # a few branches lack a committee: a structure warning
                for member, post in zip(full[1:4], (Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE), strict=False):
                    CommitteePost.objects.create(org=branch, member=member, post=post, started_on=dt.date(2023, 1, 1))
            result.members += len(members)
        result.orgs = Organization.objects.count()
        result.accounts = _demo_accounts(root, branches)
    return result


def _demo_accounts(root: Organization, branches: list[Organization]) -> dict[str, tuple[str, str]]:
    """One account per role, all with the printed demo password (demo databases only)."""
    first_committee = Organization.objects.filter(depth=2).order_by("path").first()
    assert first_committee is not None
    branch_a, branch_b = branches[10], branches[11]  # siblings under the same committee
    unit_committee = Organization.objects.get_parent(branch_a)
    plain = Member.objects.filter(org=branch_a).exclude(posts__isnull=False).order_by("id").first()
    secretary_a = Member.objects.filter(org=branch_a, posts__post=Post.SECRETARY).first()
    secretary_b = Member.objects.filter(org=branch_b, posts__post=Post.SECRETARY).first()
    spec = [
        ("sysadmin", "系统管理员", None, Role.SYSTEM_ADMIN, root, "系统管理员（三员）"),
        ("secadmin", "安全管理员", None, Role.SECURITY_ADMIN, root, "安全管理员（三员）"),
        ("auditadmin", "审计管理员", None, Role.AUDIT_ADMIN, root, "审计管理员（三员）"),
        ("shi", "市局党委党务干部", None, Role.COMMITTEE_STAFF, root, f"党委党务干部：{root.name}"),
        ("danwei", "单位党委党务干部", None, Role.COMMITTEE_STAFF, unit_committee, f"党委党务干部：{unit_committee}"),
        ("zhibu", secretary_a.name if secretary_a else "支部书记", secretary_a, Role.BRANCH_OFFICER, branch_a, f"支部书记：{branch_a.name}"),
        ("zhibu2", secretary_b.name if secretary_b else "支部书记", secretary_b, Role.BRANCH_OFFICER, branch_b, f"支部书记：{branch_b.name}"),
        ("ducha", "督察组成员", None, Role.INSPECTOR, first_committee, f"督察组成员：{first_committee.name}"),
        ("dangyuan", plain.name if plain else "党员", plain, None, None, f"普通党员：{plain.name if plain else ''}（{branch_a.name}）"),
    ]
    accounts: dict[str, tuple[str, str]] = {}
    for username, display, member, role, org, description in spec:
        user = User(username=username, display_name=display, member=member)
        user.set_password(DEMO_PASSWORD)
        from django.utils import timezone

        user.password_changed_at = timezone.now()
        user.save()
        if role is not None and org is not None:
            RoleGrant.objects.create(user=user, role=role, org=org)
        if role in ADMIN_ROLES:
            # The 三员 must use a second factor (AUTH-03): enrolled here with a random key of
            # this demo database, printed with the account so that a first look is not locked out.
            import secrets

            from dangjian.accounts import mfa

            device = mfa.enrol_with_secret(user, secrets.token_hex(20))
            description = f"{description}；动态口令密钥 {mfa.secret_base32(device)}（添加到身份验证器应用）"
        accounts[username] = (DEMO_PASSWORD, description)
    return accounts
