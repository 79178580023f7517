"""The grade: lines, total, thresholds, percentage caps, vetoes, freezing (issue 17 item 5, 8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dangjian.assessment import grading, services
from dangjian.assessment.choices import ResultState
from dangjian.assessment.models import BonusEntry, GradeLevel, GradeResult, ListItem, VetoCase, VetoRule
from dangjian.assessment.tests.conftest import YEAR, evaluate, full_marks, item, lines, live
from dangjian.core.context import acting_as
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_the_total_is_the_sum_of_the_lines_and_each_list_counts(p: Any) -> None:
    evaluate(p.b1, "sec_lead", score=3)
    evaluate(p.b1, "sec_meetings", self_score="2.5")      # no committee score yet: the self-assessment
    evaluate(p.b1, "m_theme", score=20)                   # above the item's 8: capped at 8
    result = live(p.b1)
    assert result.total == sum(line.points for line in lines(result))
    basic = {line.label: line.points for line in lines(result, "basic")}
    assert sorted(basic.values()) == [Decimal("2.50"), Decimal("3.00")]
    assert [line.points for line in lines(result, "mandated")] == [Decimal("8.00")]
    routine = lines(result, "routine")
    assert routine[0].points == Decimal("20.00")          # the base, before any deduction


def test_thresholds_and_the_project_condition_of_five_stars(p: Any) -> None:
    full_marks(p.b1)
    result = live(p.b1, today=dt.date(2026, 1, 2))        # nothing overdue yet: 30 + 15 + 25 + 20
    assert result.total == Decimal("90.00")
    assert result.level.code == "star5"  # type: ignore[union-attr]
    from dangjian.assessment.models import Project

    with acting_as(None, reason="test"):
        row = Project.objects.get(org=p.b1)
        row.score = Decimal("11")                          # below the innovation project's 12
        row.save()
    result = live(p.b1, today=dt.date(2026, 1, 2))
    assert result.total == Decimal("86.00")
    assert result.level.code == "star4"  # type: ignore[union-attr]


def _ranked(totals: list[tuple[str, str, str]], level_code: str = "star5") -> list[grading.Ranked]:
    level = GradeLevel.objects.get(scheme__year=YEAR, code=level_code)
    return [grading.Ranked(key, Decimal(total), Decimal(mandated), key, level) for key, total, mandated in totals]


def test_a_percentage_cap_demotes_the_lowest_ranked_above_it() -> None:
    levels = list(GradeLevel.objects.filter(scheme__year=YEAR))
    # 20 organizations at 5★ by total: at most 10 % = 2 keep it; 4★ at most 30 % = 6
    rows = _ranked([(f"0001{n:04d}", str(100 - n), "40") for n in range(20)])
    grading.apply_caps(rows, levels)
    by_key = {r.key: r.level.code for r in rows}  # type: ignore[union-attr]
    assert [by_key[f"0001{n:04d}"] for n in range(20)] == ["star5"] * 2 + ["star4"] * 6 + ["star3"] * 12
    assert "demoted" in rows[5].why or rows[5].why


def test_ties_at_a_cap_are_split_by_the_mandated_lists_then_the_place_in_the_tree() -> None:
    levels = list(GradeLevel.objects.filter(scheme__year=YEAR))
    # ten at 5★ allow one: three tie on 95; the mandated lists decide first, then the path
    rows = _ranked([("00010003", "95", "40"), ("00010001", "95", "39"), ("00010002", "95", "40")]
                   + [(f"0002{n:04d}", "91", "40") for n in range(7)])
    grading.apply_caps(rows, levels)
    keep = [r.key for r in rows if r.level.code == "star5"]  # type: ignore[union-attr]
    assert keep == ["00010002"]                            # 40 beats 39; then 0001-0002 before 0001-0003


def test_caps_are_a_maximum_not_a_quota() -> None:
    levels = list(GradeLevel.objects.filter(scheme__year=YEAR))
    rows = _ranked([(f"0001{n:04d}", "75", "30") for n in range(10)], "star3")
    grading.apply_caps(rows, levels)
    assert {r.level.code for r in rows} == {"star3"}       # type: ignore[union-attr]  # nobody is promoted to fill 5★ or 4★


def test_a_veto_caps_the_grade_whatever_the_total(p: Any) -> None:
    full_marks(p.b1)
    assert live(p.b1, today=dt.date(2026, 1, 2)).level.code == "star5"  # type: ignore[union-attr]
    with acting_as(None, reason="test"):
        VetoCase(org=p.b1, year=YEAR, rule=VetoRule.objects.get(code="v_decision"), reason="重大安全责任事故",
                 decision_ref="党委会议纪要第3号").save()
    result = live(p.b1, today=dt.date(2026, 1, 2))
    assert result.total == Decimal("90.00")
    assert result.level_by_total.code == "star5"  # type: ignore[union-attr]
    assert result.level.code == "star1"  # type: ignore[union-attr]
    assert "严重违纪" in result.why or result.why


def test_a_score_of_the_committee_above_is_refused_from_the_branch_itself(p: Any, client_for: Any) -> None:
    client = client_for("officer_b1")
    response = client.post("/assessment/evaluations/add/", {"org": p.b1.pk, "item": item("sec_lead").pk,
                                                            "self_score": "2", "score": "3"})
    assert response.status_code in (200, 400)
    assert not p.b1.pk or not __import__("dangjian.assessment.models", fromlist=["x"]).ItemEvaluation.objects.filter(
        org=p.b1).exists()
    response = client_for("c1_staff").post("/assessment/evaluations/add/", {
        "org": p.b1.pk, "item": item("sec_lead").pk, "self_score": "2", "score": "3"})
    assert response.status_code == 302


def test_publication_freezes_the_result_and_the_live_preview_moves_on(p: Any) -> None:
    full_marks(p.b1)
    full_marks(p.b2)
    staff = p.user("c1_staff")
    with acting_as(staff, reason="test"):
        n = services.publish(actor=staff, org=p.c1, year=YEAR, decision_ref="党委会议纪要第9号",
                             today=dt.date(2026, 1, 2))
    assert n == 2
    frozen = GradeResult.objects.get(org=p.b1, year=YEAR, state=ResultState.PUBLISHED)
    before = (frozen.total, frozen.level_id, [(ln.label, ln.points) for ln in lines(frozen)])
    # a rule changes and new evidence arrives
    with acting_as(None, reason="test"):
        rule = ListItem.objects.get(year=YEAR, code="sec_lead")
        rule.score = Decimal("1")
        rule.save()
        BonusEntry(org=p.b1, item=item("b_press"), year=YEAR, label="人民公安报刊发", on=dt.date(2026, 5, 1)).save()
    services.recompute(actor=None, year=YEAR, today=dt.date(2026, 1, 2))
    frozen.refresh_from_db()
    assert (frozen.total, frozen.level_id, [(ln.label, ln.points) for ln in lines(frozen)]) == before
    preview = GradeResult.objects.get(org=p.b1, year=YEAR, state=ResultState.LIVE)
    assert preview.total == before[0] - 2 + 2              # sec_lead 3 → 1, press +2
    assert any(ln.kind == "bonus" for ln in lines(preview))
    assert not any(ln.kind == "bonus" for ln in lines(frozen))
    # publishing again changes nothing already published
    with acting_as(staff, reason="test"), pytest.raises(Exception, match="已发布"):
        services.publish(actor=staff, org=p.c1, year=YEAR, decision_ref="再次发布")


def test_only_the_level_above_publishes(p: Any) -> None:
    from dangjian.core.errors import RuleError

    officer = p.user("officer_b2")
    with acting_as(officer, reason="test"), pytest.raises(RuleError):
        services.publish(actor=officer, org=p.c1, year=YEAR, decision_ref="x")


def test_explanation_equals_total_for_every_organization_of_a_generated_city(p: Any, client_for: Any) -> None:
    """A generated city: 3 committees × 4 branches with random evaluations, projects, bonuses;
    the grade page's items sum to the stored total and every line's evidence exists."""
    import random

    from django.apps import apps

    rng = random.Random(17)
    with acting_as(None, reason="test"):
        city = p.root
        branches = []
        for c in range(3):
            committee = Organization.objects.add_child(Organization.objects.get(pk=city.pk),
                                                       {"name": f"生成党委{c}", "code": f"G{c}", "kind": "committee"})
            for b in range(4):
                committee.refresh_from_db()
                branches.append(Organization.objects.add_child(committee, {"name": f"生成支部{c}-{b}",
                                                                           "code": f"G{c}B{b}", "kind": "branch"}))
    items = list(ListItem.objects.filter(year=YEAR, kind__in=("basic", "mandated")))
    for org in branches:
        for it in rng.sample(items, rng.randint(0, len(items))):
            evaluate(org, it.code, score=rng.randint(0, int(it.score)))
        if rng.random() < 0.5:
            from dangjian.assessment.tests.conftest import project

            project(org, rng.randint(5, 15))
        with acting_as(None, reason="test"):
            for _ in range(rng.randint(0, 4)):
                BonusEntry(org=org, item=item(rng.choice(["b_press", "b_city", "b_province"])), year=YEAR,
                           label="经验推广", on=dt.date(2026, 6, 1)).save()
    ids = list(services.graded().filter(path__startswith=p.root.path).values_list("id", flat=True))
    services.recompute(actor=None, year=YEAR, org_ids=ids)
    client = client_for("root_staff")
    for result in GradeResult.objects.filter(year=YEAR, state=ResultState.LIVE).select_related("org"):
        stored = lines(result)
        assert result.total == sum((ln.points for ln in stored), Decimal(0))
        for ln in stored:
            label, _, pk = ln.evidence.partition(":")
            if label and label != "assessment.gradescheme" and pk.isdigit():
                assert apps.get_model(label).objects.filter(pk=pk).exists(), ln.evidence
        page = client.get(f"/assessment/grades/org/{result.org_id}/?year={YEAR}").content.decode()
        shown = [Decimal(x) for x in __import__("re").findall(r'class="text-end line-points">(-?[\d.]+)<', page)]
        assert sum(shown, Decimal(0)) == result.total
        totals = [Decimal(x) for x in __import__("re").findall(r'class="ms-auto fw-bold list-total">(-?[\d.]+)<', page)]
        assert sum(totals, Decimal(0)) == result.total
