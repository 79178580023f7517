"""Organization options tell same-named organizations apart by their parent path."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import Personas
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def options(client: Any, url: str, name: str) -> list[str]:
    import re

    html = client.get(url).content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name} on {url}"
    return [re.sub(r"&[^;]+;", lambda m: {"&rsaquo;": "›", "&#x27;": "'"}.get(m.group(0), m.group(0)), o)
            for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1))]


def test_labels_leave_out_shared_ancestors_and_show_at_most_two(personas: Personas) -> None:
    p = personas
    with acting_as(None, reason="test"):
        g2 = Organization.objects.add_child(p.b2,
                                            {"name": "第一党小组", "code": "B2G1", "kind": "group"})
    rows = list(Organization.objects.filter(pk__in=[p.b1.pk, p.g1.pk, p.b2.pk, g2.pk]).order_by("path"))
    labels = Organization.choice_labels(rows)
    assert labels[p.b1.pk] == "刑侦一大队党支部"  # 市公安局党委 › 刑侦支队党委 are shared by all
    assert labels[p.g1.pk] == "刑侦一大队党支部 › 第一党小组"
    assert labels[g2.pk] == "刑侦二大队党支部 › 第一党小组"
    everything = list(Organization.objects.order_by("path"))
    wide = Organization.choice_labels(everything)
    assert wide[p.g1.pk] == "刑侦支队党委 › 刑侦一大队党支部 › 第一党小组"  # the nearest two ancestors
    assert wide[p.root.pk] == p.root.name
    assert Organization.choice_labels([p.b3]) == {p.b3.pk: "交警一大队党支部"}


def test_a_form_offers_the_labelled_options(personas: Personas, client_for: Any) -> None:
    p = personas
    with acting_as(None, reason="test"):
        Organization.objects.add_child(p.b2, {"name": "第一党小组", "code": "B2G1", "kind": "group"})
    shown = options(client_for("c1_staff"), "/meetings/add/", "org")
    assert shown[1:] == ["刑侦支队党委", "刑侦支队党委 › 刑侦一大队党支部", "刑侦支队党委 › 刑侦一大队党支部 › 第一党小组",
                         "刑侦支队党委 › 刑侦二大队党支部", "刑侦支队党委 › 刑侦二大队党支部 › 第一党小组"]
    assert "第一党小组" not in shown  # never bare


def test_plain_forms_label_their_options_and_preselect_the_one_branch(personas: Personas, client_for: Any) -> None:
    """Labels and the preselected branch come from the field, not the form class: a plain form
    (the move screen's, a dues report's) shows the same as a model form."""
    import re

    p = personas
    with acting_as(None, reason="test"):
        Organization.objects.add_child(p.b2, {"name": "第一党小组", "code": "B2G1", "kind": "group"})
    shown = options(client_for("root_staff"), f"/orgs/{p.b3.pk}/move/", "target")
    assert "刑侦支队党委 › 刑侦二大队党支部 › 第一党小组" in shown and "第一党小组" not in shown
    html = client_for("officer_b1").get("/dues/reports/collection/").content.decode()
    select = re.search(r'<select name="org"[^>]*>(.*?)</select>', html, re.S)
    assert select and re.search(rf'<option value="{p.b1.pk}" selected>刑侦一大队党支部</option>', select.group(1))
    html = client_for("c1_staff").get("/dues/reports/collection/").content.decode()
    select = re.search(r'<select name="org"[^>]*>(.*?)</select>', html, re.S)
    assert select and not re.search(r'value="\d+" selected', select.group(1))  # staff of many branches choose
    assert '<option value="" selected>请选择</option>' in select.group(1)
