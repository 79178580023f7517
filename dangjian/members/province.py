"""The province builder: 10,000 organizations and 100,000 members with a year of history,
for benchmarks and load tests (issue 3). Bulk inserts, not per-row saves: the build is one
audited batch (one audit entry with the counts, written inside ``acting_as``), as
ARCHITECTURE.md allows for services that record explicitly.

Shape (deterministic for a seed):
    province committee (1) > city bureaus (20) > unit committees (25 each = 500)
      > branches (~17 each = 8,500) > party groups (to a total of 10,000 organizations)
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.context import acting_as
from dangjian.members import names
from dangjian.members.choices import Education, Gender, MemberStatus, PersonnelType, Post, TransferDirection
from dangjian.members.demo import DEMO_PASSWORD, GIVEN, SURNAMES, make_id_number
from dangjian.members.models import CommitteePost, Member, Transfer, id_number_index
from dangjian.orgs.choices import OrgKind, UnitKind
from dangjian.orgs.models import Organization, OrganizationTerm, PoliceUnit, name_initials

CITIES = ("武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州", "恩施",
          "仙桃", "潜江", "天门", "神农架", "汉江", "江夏", "蔡甸")
UNIT_NAMES = ("机关", "刑侦支队", "交警支队", "治安支队", "特警支队", "网安支队", "经侦支队", "禁毒支队", "出入境支队",
              "监管支队", "法制支队", "督察支队", "指挥中心", "警务保障处", "政治部")
BATCH = 2000


@dataclass
class ProvinceResult:
    orgs: int
    members: int
    seconds: float


def _name_factory(rng: random.Random) -> Callable[[], str]:
    def make() -> str:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    return make


def build_province(seed: int = 2026, *, orgs_total: int = 10_000, members_total: int = 100_000,
                   cities: int = 20, units_per_city: int = 25, log: Callable[[str], None] = print,
                   store_obligations: bool = True) -> ProvinceResult:
    """Build the province into an empty database; returns counts and the elapsed time.

    The bulk inserts bypass the upkeep of the stored compliance obligations, so the stored
    years are rebuilt at the end (``store_obligations=False``: the caller adds more first and
    rebuilds itself, as bench/compliance.py does after adding meetings)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    step = Organization._get_path  # treebeard's path encoding (steplen 4, base 36)
    with acting_as(None, reason="省级规模基准数据", source="command"), transaction.atomic():
        units = {kind: PoliceUnit.objects.create(name=f"省级基准-{kind.label}", kind=kind) for kind in UnitKind}
        orgs: list[Organization] = []
        root_path = step(None, 1, 1)
        orgs.append(Organization(name="中共省公安厅委员会", code="P", kind=OrgKind.COMMITTEE, path=root_path, depth=1,
                                 numchild=cities, unit=units[UnitKind.ORGAN], founded_on=dt.date(1980, 7, 1)))
        branch_paths: list[str] = []
        branches_needed = orgs_total - 1 - cities - cities * units_per_city
        # Roughly 10% of the remaining organizations are party groups inside the larger branches.
        n_groups = branches_needed // 10
        n_branches = branches_needed - n_groups
        per_unit = [n_branches // (cities * units_per_city)] * (cities * units_per_city)
        for i in range(n_branches - sum(per_unit)):
            per_unit[i] += 1
        unit_index = 0
        for c in range(1, cities + 1):
            city_path = step(root_path, 2, c)
            city = CITIES[(c - 1) % len(CITIES)]
            orgs.append(Organization(name=f"中共{city}市公安局委员会", code=f"P{c:02d}", kind=OrgKind.COMMITTEE,
                                     path=city_path, depth=2, numchild=units_per_city, unit=units[UnitKind.ORGAN]))
            for u in range(1, units_per_city + 1):
                unit_path = step(city_path, 3, u)
                label = UNIT_NAMES[(u - 1) % len(UNIT_NAMES)] + ("" if u <= len(UNIT_NAMES) else f"{u}")
                kind = UnitKind.COUNTY if u > len(UNIT_NAMES) else UnitKind.OTHER
                count = per_unit[unit_index]
                unit_index += 1
                orgs.append(Organization(name=f"{city}{label}党委", code=f"P{c:02d}U{u:02d}", kind=OrgKind.COMMITTEE,
                                         path=unit_path, depth=3, numchild=count, unit=units[kind]))
                for b in range(1, count + 1):
                    path = step(unit_path, 4, b)
                    orgs.append(Organization(
                        name=f"{city}{label}第{b}党支部", code=f"P{c:02d}U{u:02d}B{b:02d}", kind=OrgKind.BRANCH,
                        path=path, depth=4, numchild=0, unit=units[kind],
                        founded_on=dt.date(2000 + rng.randint(0, 25), rng.randint(1, 12), 1),
                    ))
                    branch_paths.append(path)
        # groups: two per chosen branch
        group_parents = rng.sample(range(len(branch_paths)), n_groups // 2 + n_groups % 2)
        by_path = {o.path: o for o in orgs}
        made = 0
        for index in group_parents:
            parent = by_path[branch_paths[index]]
            for g in range(1, 3):
                if made == n_groups:
                    break
                orgs.append(Organization(name=f"第{g}党小组", code=f"{parent.code}G{g}", kind=OrgKind.GROUP,
                                         path=step(parent.path, 5, g), depth=5, numchild=0, unit=parent.unit))
                parent.numchild += 1
                made += 1
        for org in orgs:  # what Organization.save() derives
            org.name_initials = name_initials(org.name)
        Organization.objects.bulk_create(orgs, batch_size=BATCH)
        log(f"organizations: {len(orgs)} ({time.perf_counter() - started:.1f}s)")

        ids = dict(Organization.objects.values_list("path", "id"))
        branch_ids = [ids[p] for p in branch_paths]
        groups_of: dict[int, list[int]] = {}
        for org in orgs:
            if org.kind == OrgKind.GROUP:
                groups_of.setdefault(ids[org.path[:-4]], []).append(ids[org.path])
        today = timezone.localdate()
        OrganizationTerm.objects.bulk_create([
            OrganizationTerm(org_id=ids[o.path], number=rng.randint(1, 6),
                             started_on=(start := dt.date(today.year - rng.randint(0, 4), rng.randint(1, 12), 1)),
                             ends_on=dt.date(start.year + (5 if o.kind == OrgKind.COMMITTEE else 3), start.month, 1))
            for o in orgs if o.kind != OrgKind.GROUP
        ], batch_size=BATCH)

        name = _name_factory(rng)
        initials_cache: dict[str, tuple[str, str]] = {}
        used_ids: set[str] = set()
        police_seq = 1_000_000
        members: list[Member] = []
        for i in range(members_total):
            branch_id = branch_ids[i % len(branch_ids)]
            gender = Gender.MALE if rng.random() < 0.82 else Gender.FEMALE
            birth = dt.date(rng.randint(1962, 2002), rng.randint(1, 12), rng.randint(1, 28))
            joined = min(dt.date(birth.year + rng.randint(20, 32), rng.randint(1, 12), rng.randint(1, 28)),
                         today - dt.timedelta(days=30))
            probationary = joined > today - dt.timedelta(days=365)
            police = rng.random() < 0.8
            police_seq += 1
            person = name()
            if person not in initials_cache:
                initials_cache[person] = (names.initials(person), names.sort_key(person))
            number = make_id_number(rng, birth, gender, used_ids)
            groups = groups_of.get(branch_id)
            members.append(Member(
                name=person, name_initials=initials_cache[person][0], name_pinyin=initials_cache[person][1],
                gender=gender, birth_date=birth,
                id_number=number, id_number_index=id_number_index(number),
                police_number=f"{police_seq}" if police else None,
                personnel_type=PersonnelType.POLICE if police else PersonnelType.AUXILIARY,
                education=rng.choice([Education.BACHELOR] * 5 + [Education.COLLEGE] * 3
                                     + [Education.POSTGRADUATE, Education.HIGH_SCHOOL]),
                joined_party_on=joined, full_member_on=None if probationary else joined + dt.timedelta(days=366),
                status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
                org_id=branch_id, group_id=rng.choice(groups) if groups else None,
                phone=f"13{rng.randint(100000000, 999999999)}",
            ))
            if len(members) == BATCH:
                Member.objects.bulk_create(members)
                members.clear()
        if members:
            Member.objects.bulk_create(members)
        log(f"members: {members_total} ({time.perf_counter() - started:.1f}s)")

        # A year of history: secretaries, transfers between sibling branches.
        first_member: dict[int, int] = {}
        for org_id, member_id in Member.objects.order_by("-id").values_list("org_id", "id").iterator(chunk_size=5000):
            first_member[org_id] = member_id  # the last seen is each branch's first member
        CommitteePost.objects.bulk_create([
            CommitteePost(org_id=org_id, member_id=member_id, post=Post.SECRETARY,
                          started_on=dt.date(today.year - 1, 1, 1))
            for org_id, member_id in first_member.items()
        ], batch_size=BATCH)
        movers = list(Member.objects.order_by("id").values_list("id", "org_id")[: members_total // 50])
        transfers: list[Transfer] = []
        moves: dict[int, list[int]] = {}
        position = {org_id: i for i, org_id in enumerate(branch_ids)}
        for member_id, org_id in movers:
            target = branch_ids[(position[org_id] + 1) % len(branch_ids)] if rng.random() < 0.9 else None
            day = today - dt.timedelta(days=rng.randint(1, 365))
            if target is None:
                transfers.append(Transfer(member_id=member_id, direction=TransferDirection.IN, to_org_id=org_id,
                                          external_org="外省公安厅机关党委", transferred_on=day))
            else:
                transfers.append(Transfer(member_id=member_id, direction=TransferDirection.INTERNAL, from_org_id=org_id,
                                          to_org_id=target, transferred_on=day))
                moves.setdefault(target, []).append(member_id)
        Transfer.objects.bulk_create(transfers, batch_size=BATCH)
        for target, member_ids in moves.items():
            Member.objects.filter(pk__in=member_ids).update(org_id=target, group_id=None)
        audit.record("bulk_create", object_type="members.member", object_repr="省级规模基准数据",
                     changes={"organizations": len(orgs), "members": members_total, "transfers": len(transfers)})
        _bench_accounts(ids[root_path], ids[step(root_path, 2, 1)], branch_ids[0])
    if store_obligations:
        from dangjian.meetings import stored

        rows = stored.rebuild(stored.stored_years() or stored.default_years())
        log(f"stored obligations: {rows} ({time.perf_counter() - started:.1f}s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after a bulk load (PostgreSQL: 1 s -> 50 ms per page)
    seconds = time.perf_counter() - started
    log(f"done in {seconds:.1f}s")
    return ProvinceResult(len(orgs), members_total, seconds)


def _bench_accounts(root_id: int, city_id: int, branch_id: int) -> None:
    """Accounts for the benchmark: province staff, a city's staff, a branch officer."""
    from dangjian.accounts.models import RoleGrant, User

    for username, role, org_id in (("sheng", "committee_staff", root_id), ("shi", "committee_staff", city_id),
                                   ("zhibu", "branch_officer", branch_id)):
        user = User(username=username, display_name=username, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleGrant.objects.create(user=user, role=role, org_id=org_id)
