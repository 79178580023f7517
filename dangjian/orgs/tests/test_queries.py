"""Query counts of the organization screens do not grow with the number of organizations."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F
from django.test import Client

from dangjian.core.testing.personas import Personas
from dangjian.members.tests.test_queries import count_queries
from dangjian.orgs.models import Organization, PoliceUnit

ClientFor = Callable[[str], Client]


def bulk_children(parent: Organization, count: int, unit: PoliceUnit | None = None) -> None:
    """``count`` branches under ``parent``, written with treebeard paths in one bulk insert."""
    parent = Organization.objects.get(pk=parent.pk)
    first = parent.numchild + 1
    rows = [
        Organization(
            name=f"批量党支部{parent.code}-{step}", code=f"{parent.code}-K{step}", kind="branch", unit=unit,
            depth=parent.depth + 1, numchild=0, path=Organization._get_path(parent.path, parent.depth + 1, step),
        )
        for step in range(first, first + count)
    ]
    Organization.objects.bulk_create(rows, batch_size=500)
    Organization.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)


def bulk_roots(count: int) -> None:
    last = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    first = int(last, 36) + 1 if last else 1
    Organization.objects.bulk_create([
        Organization(name=f"批量党委{step}", code=f"ROOT-{step}", kind="committee", depth=1, numchild=0,
                     path=Organization._get_path(None, 1, step))
        for step in range(first, first + count)
    ])


def test_tree_and_list_cost_the_same_queries_for_few_and_many_organizations(
    personas: Personas, client_for: ClientFor,
) -> None:
    unit = PoliceUnit(name="刑侦支队")
    unit.save()
    c1 = personas.c1
    views = {
        "root_staff": ["/orgs/tree/", f"/orgs/tree/{c1.pk}/children/", "/orgs/", "/orgs/?page=2", "/orgs/terms/"],
        "c1_staff": ["/orgs/tree/", f"/orgs/tree/{c1.pk}/children/", "/orgs/", "/orgs/?kind=branch"],
        "officer_b1": ["/orgs/tree/", f"/orgs/tree/{personas.b1.pk}/children/", "/orgs/"],
    }
    clients = {name: client_for(name) for name in views}

    bulk_children(c1, 3, unit)
    bulk_roots(2)
    few = {(name, url): count_queries(clients[name], url)[0] for name, urls in views.items() for url in urls}

    bulk_children(c1, 400, unit)
    bulk_children(personas.b1, 50, unit)
    bulk_roots(200)
    assert Organization.objects.count() > 650
    for name, urls in views.items():
        for url in urls:
            many, sql = count_queries(clients[name], url)
            assert many == few[name, url], f"{name} {url}: {few[name, url]} queries with few organizations, " \
                                           f"{many} with many:\n{sql}"
