"""One rule error (core.errors.RuleError) and constraint sentences, as a user meets them.

A service's refusal shows on the screen as a Chinese error beside the field it names, with what
the user typed kept, and answers 400 in the API's one error shape; a database constraint a user
can trigger answers with its sentence, never its name. The dues payment screen and API are
covered in dangjian/dues/tests (test_views::test_payment_rule_error_is_shown_in_chinese,
test_api::test_rule_errors_and_bad_amounts_answer_400); here: meetings, constraints, the check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from dangjian.core.checks import constraints_declare_sentences
from dangjian.core.context import acting_as
from dangjian.core.errors import GENERIC_CONSTRAINT, RuleError, constraint_error
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.dues.models import DuesBudget, DuesBudgetLine, SpendingCategory
from dangjian.meetings.models import MeetingAmendment
from dangjian.meetings.tests.factories import at, make_meeting

pytestmark = pytest.mark.django_db

END_BEFORE_START = "结束时间须晚于开始时间。"


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


# --- a meetings service's rule error ---------------------------------------------------------------


def test_a_meetings_rule_error_stands_beside_its_field_with_the_input_kept(personas: Personas,
                                                                          client_for: Any) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    response = client_for("officer_b1").post(reverse("meetings:amend", args=[meeting.pk]), {
        "reason": "时间记错", "topic": "二月党课（更正）", "starts_at": "2026-02-10 09:00",
        "ends_at": "2026-02-10 08:00", "place": "三楼会议室", "minutes": "会议记录"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["ends_at"] == [END_BEFORE_START]  # the service named the field
    page = response.content.decode()
    assert END_BEFORE_START in page and "二月党课（更正）" in page and "三楼会议室" in page
    assert not MeetingAmendment.objects.filter(meeting=meeting).exists()


def test_a_meetings_rule_error_answers_400_in_the_error_shape(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    client = api_as("officer_b1")
    etag = client.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    response = client.post(f"/api/v1/meetings/{meeting.pk}/amend/", {
        "reason": "时间记错", "ends_at": "2026-02-10T08:00:00+08:00"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["errors"] == {"ends_at": [END_BEFORE_START]}
    assert not MeetingAmendment.objects.filter(meeting=meeting).exists()


# --- constraints a user can trigger -----------------------------------------------------------------


@pytest.fixture
def budget(personas: Personas) -> DuesBudget:
    with acting_as(None, reason="test fixture"):
        return DuesBudget.objects.create(org=personas.b1, year=2026)


def test_a_negative_budget_line_answers_a_sentence_not_the_constraint_name(personas: Personas, client_for: Any,
                                                                           budget: DuesBudget) -> None:
    category = SpendingCategory.objects.filter(is_active=True).first()
    assert category is not None
    response = client_for("officer_b1").post(reverse("dues:budgetline_add"), {
        "budget": budget.pk, "category": category.pk, "amount": "-5.00", "note": "负数"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "预算金额不能为负数。" in page and 'value="-5.00"' in page
    assert "dues_budget_line_not_negative" not in page
    assert not DuesBudgetLine.objects.filter(budget=budget).exists()


def test_a_violated_constraint_from_a_save_becomes_its_sentence(budget: DuesBudget) -> None:
    """What the core screens and the API handler do with an IntegrityError (a race, a
    resubmission, a service without its own check), on the real database."""
    category = SpendingCategory.objects.filter(is_active=True).first()
    with acting_as(None, reason="test"):
        DuesBudgetLine.objects.create(budget=budget, category=category, amount=Decimal("10.00"))
        cases = [
            ({"budget": budget, "category": category, "amount": Decimal("20.00")}, "该预算已有此类别的预算项。", None),
            ({"budget": budget, "category": SpendingCategory.objects.exclude(pk=category.pk).first(),
              "amount": Decimal("-1.00")}, "预算金额不能为负数。", "amount"),
        ]
        for values, sentence, field in cases:
            with pytest.raises(IntegrityError) as caught, transaction.atomic():
                DuesBudgetLine.objects.bulk_create([DuesBudgetLine(**values)])  # bypasses model validation
            error = constraint_error(caught.value)
            assert isinstance(error, RuleError) and str(error) == sentence
            assert error.field == field
            assert "dues_budget_line" not in str(error)


def test_a_duplicate_role_grant_over_the_api_answers_a_sentence(personas: Personas) -> None:
    client = api_as("secadmin")
    grant = {"user": personas.user("member_b1").pk, "role": "branch_officer", "org": personas.b1.pk}
    assert client.post("/api/v1/role-grants/", grant, format="json").status_code == 201
    again = client.post("/api/v1/role-grants/", grant, format="json")
    assert again.status_code == 400, again.content
    body = again.content.decode()
    assert again.json()["code"] == "invalid" and "one_active_grant" not in body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(again.json()["errors"]))  # a Chinese sentence


def test_an_unknown_constraint_still_answers_a_sentence() -> None:
    error = constraint_error(IntegrityError('duplicate key value violates unique constraint "nobody_knows"'))
    assert str(error) == str(GENERIC_CONSTRAINT) and "nobody_knows" not in str(error)


# --- the system check ---------------------------------------------------------------------------------


def test_check_fails_for_a_constraint_without_its_sentence() -> None:
    class Meta:
        label_lower = "example.thing"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="example_not_negative")]

    class Bad:
        __module__ = "dangjian.example.models"
        _meta = Meta

    class Good:
        __module__ = "dangjian.example.models"

        class _meta:  # noqa: N801 - stands in for a model's _meta
            label_lower = "example.other"
            constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="example_ok",
                                                  violation_error_message="金额不能为负数。")]

    errors = constraints_declare_sentences(models=[Bad, Good])
    assert [e.id for e in errors] == ["dangjian.E006"] and "example_not_negative" in errors[0].msg
    assert constraints_declare_sentences() == []

