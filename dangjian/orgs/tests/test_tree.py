"""The organization tree as a secretary reads it: member counts per node, a search that opens the path."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas, make_member

pytestmark = pytest.mark.django_db


def row_of(html: str, pk: int) -> str:
    """The text of one node's row (its name, kind, counts), tags stripped."""
    match = re.search(rf'id="tree-node-{pk}">\s*<div class="tree-row">(.*?)</div>', html, re.S)
    assert match, f"node {pk} not shown"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_every_node_shows_its_members_and_its_subtree_total(personas: Personas, client_for: Any) -> None:
    p = personas
    with acting_as(None, reason="test"):
        make_member(p.c1, name="孙七")  # a committee's own member (机关)
        gone = p.members["m_b3"]
        gone.is_active = False
        gone.save()
        in_group = p.members["m_b1_2"]
        in_group.group = p.g1
        in_group.save()
    client = client_for("root_staff")
    roots = client.get("/orgs/tree/").content.decode()
    assert "4 名党员" in row_of(roots, p.root.pk)  # 张三 李四 王五 孙七; 赵六 has left the roll
    top = client.get(f"/orgs/tree/{p.root.pk}/children/").content.decode()
    assert "4 名党员 （本级 1 名）" in row_of(top, p.c1.pk)
    assert "0 名党员" in row_of(top, p.c2.pk)
    branches = client.get(f"/orgs/tree/{p.c1.pk}/children/").content.decode()
    assert "2 名党员" in row_of(branches, p.b1.pk) and "本级" not in row_of(branches, p.b1.pk)
    assert "1 名党员" in row_of(branches, p.b2.pk)
    groups = client.get(f"/orgs/tree/{p.b1.pk}/children/").content.decode()
    assert "1 名党员" in row_of(groups, p.g1.pk)  # 李四, counted once in 刑侦一大队党支部 above


def test_search_by_pinyin_initials_opens_the_path_to_the_hit(personas: Personas, client_for: Any) -> None:
    p = personas
    html = client_for("root_staff").get("/orgs/tree/", {"q": "XZYD"}).content.decode()
    assert "找到 1 个组织" in html
    assert re.search(rf'<li class="tree-node tree-hit" id="tree-node-{p.b1.pk}">', html)
    assert "<mark>刑侦一大队党支部</mark>" in html
    for ancestor in (p.root, p.c1):  # opened, with their children rendered
        assert re.search(rf'aria-expanded="true" aria-controls="tree-children-{ancestor.pk}"', html)
    assert f'id="tree-node-{p.b2.pk}"' in html  # the hit's siblings are shown too
    assert f'id="tree-node-{p.b3.pk}"' not in html  # 交警支队党委 stays closed
    assert re.search(rf'aria-expanded="false" aria-controls="tree-children-{p.c2.pk}"', html)
    assert "2 名党员" in row_of(html, p.b1.pk)


def test_search_by_name_labels_each_hit_with_its_path(personas: Personas, client_for: Any) -> None:
    p = personas
    with acting_as(None, reason="test"):
        p.b2.refresh_from_db()
        from dangjian.orgs.models import Organization

        g2 = Organization.objects.add_child(p.b2, {"name": "第一党小组", "code": "B2G1", "kind": "group"})
    html = client_for("c1_staff").get("/orgs/tree/", {"q": "第一党小组"}).content.decode()
    assert "找到 2 个组织" in html
    assert "刑侦一大队党支部 › 第一党小组" in html.replace("&rsaquo;", "›")
    assert "刑侦二大队党支部 › 第一党小组" in html.replace("&rsaquo;", "›")
    assert f'tree-hit" id="tree-node-{g2.pk}"' in html


def test_search_finds_nothing_outside_the_users_organizations(personas: Personas, client_for: Any) -> None:
    html = client_for("officer_b2").get("/orgs/tree/", {"q": "xzyd"}).content.decode()
    assert "没有与“xzyd”相符的组织" in html
    assert "刑侦一大队" not in html
