"""Tests (理论测试): grading per type, the key never reaching the client, one active attempt, resume
after a dropped connection, auto-submission by the server's clock, points once per passed test."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.testing.personas import Personas
from dangjian.points.models import PointEntry
from dangjian.study import rules, services
from dangjian.study.models import Answer, Attempt
from dangjian.study.tests.conftest import exam, key_answers, question

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(("kind", "key", "response", "partial", "points", "correct"), [
    ("single", "B", "B", False, "2", True),
    ("single", "B", "A", False, "0", False),
    ("single", "B", "", False, "0", False),
    ("multiple", "ACD", "DCA", False, "2", True),
    ("multiple", "ACD", "AC", False, "0", False),        # all or nothing by default
    ("multiple", "ACD", "AC", True, "1", False),         # partial credit when configured: a correct subset
    ("multiple", "ACD", "ACB", True, "0", False),        # a wrong option chosen: nothing
    ("multiple", "ACD", "ABCD", True, "0", False),
    ("judge", "T", "T", False, "2", True),
    ("judge", "T", "F", False, "0", False),
    ("judge", "F", "错", False, "2", True),
    ("fill", "共产|共产主义", " 共 产 ", False, "2", True),
    ("fill", "共产|共产主义", "社会", False, "0", False),
])
def test_grading_of_each_question_type(kind: str, key: str, response: str, partial: bool, points: str,
                                       correct: bool) -> None:
    mark = rules.grade(kind, key, response, D("2"), partial=partial)
    assert (mark.points, mark.correct) == (D(points), correct)


def test_a_key_that_does_not_fit_the_type_is_refused_beside_the_field(personas: Personas, client_for: Any) -> None:
    c = client_for("c1_staff")
    response = c.post(reverse("study:question_add"), {"org": personas.c1.pk, "kind": "single", "text": "题目",
                                                     "options": "甲\n乙", "answer": "C", "difficulty": "2"})
    assert response.status_code == 400
    assert "A 到 B" in response.content.decode() or "A to B" in response.content.decode()


def _start(client: Any, row: Any) -> Attempt:
    response = client.post(reverse("study:exam_start", args=[row.pk]))
    assert response.status_code == 302, response.content
    return Attempt.objects.get(exam=row, status="active")


def _save(client: Any, attempt: Attempt, qid: int, value: str) -> Any:
    return client.post(reverse("study:answer", args=[attempt.pk]), json.dumps({"question": qid, "answer": value}),
                       content_type="application/json")


def test_the_answer_key_never_reaches_the_client_before_submission(personas: Personas, client_for: Any) -> None:
    marker_key = "唯一正确答案甲乙"
    qs = [question(personas.c1, "fill", "填空：答案是？", "", marker_key),
          question(personas.c1, "single", "单选", "选项一\n选项二\n选项三", "B")]
    qs[1].explanation = "解析内容丁戊"
    with acting_as(None, reason="test"):
        qs[1].save()
    row = exam(personas.c1, qs)
    c = client_for("member_b1")
    attempt = _start(c, row)
    bodies = [c.get(reverse("study:take", args=[attempt.pk])).content.decode(),
              _save(c, attempt, qs[0].pk, "猜").content.decode(),
              c.get(reverse("study:mine")).content.decode(),
              c.get(reverse("study:result", args=[attempt.pk]), follow=True).content.decode()]
    for body in bodies:
        assert marker_key not in body and "解析内容丁戊" not in body
        assert "answer_key" not in body and '"key"' not in body
    # the shuffled single-choice options are shown, but nothing tells which is right
    page = bodies[0]
    assert "选项一" in page and "选项二" in page
    # after submission the key and the explanation are shown
    c.post(reverse("study:submit", args=[attempt.pk]))
    after = c.get(reverse("study:result", args=[attempt.pk])).content.decode()
    assert marker_key in after and "解析内容丁戊" in after


def test_a_full_test_through_the_screens_is_graded_and_earns_points_once(personas: Personas, client_for: Any) -> None:
    row = exam(personas.c1)
    c = client_for("member_b1")
    attempt = _start(c, row)
    for qid, value in key_answers(attempt).items():
        assert _save(c, attempt, qid, value).status_code == 200
    c.post(reverse("study:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (
        "submitted", D("8"), D("8"), D("100"), True)
    entries = PointEntry.objects.filter(evidence=f"study.attempt:{attempt.pk}", live=True)
    assert [(e.rule.code, e.points) for e in entries] == [("exam_passed", 1)]
    page = c.get(reverse("study:result", args=[attempt.pk])).content.decode()
    assert 'id="points"' in page
    # the event delivered a second time: still one entry
    from dangjian.study import signals
    with acting_as(None, reason="test"), transaction.atomic():
        signals.exam_passed.send(actor=None, evidence=attempt)
    assert PointEntry.objects.filter(evidence=f"study.attempt:{attempt.pk}", live=True).count() == 1


def test_options_are_shuffled_per_attempt_and_answers_map_back(personas: Personas) -> None:
    order = rules.layout([1, 2, 3], {1: 4, 2: 4}, seed=7, shuffle=True)
    assert order == rules.layout([1, 2, 3], {1: 4, 2: 4}, seed=7, shuffle=True)  # seeded: a resume shows the same
    orders = {tuple(tuple(o) for _q, o in rules.layout([1, 2, 3], {1: 4, 2: 4}, seed=s, shuffle=True)) for s in range(20)}
    assert len(orders) > 5
    for _qid, opts in order:
        for letter in "ABCD"[:len(opts)]:
            stored = rules.shown_to_original(letter, opts)
            assert rules.original_to_shown(stored, opts) == letter


def test_a_second_concurrent_attempt_is_refused(personas: Personas, client_for: Any) -> None:
    first, second = exam(personas.c1), exam(personas.c1)
    c = client_for("member_b1")
    _start(c, first)
    response = c.post(reverse("study:exam_start", args=[second.pk]), follow=True)
    assert "正在进行的测试" in response.content.decode()
    assert Attempt.objects.filter(member=personas.members["m_b1"]).count() == 1
    # the database refuses a second active attempt even past the service's check
    a = Attempt.objects.get(exam=first)
    with pytest.raises(IntegrityError), transaction.atomic(), acting_as(None, reason="test"):
        Attempt(exam=second, member=a.member, org=a.org, seed=1, started_at=a.started_at, deadline=a.deadline).save()


def test_a_resumed_attempt_after_a_dropped_connection_keeps_its_answers(personas: Personas, client_for: Any) -> None:
    row = exam(personas.c1)
    c = client_for("member_b1")
    attempt = _start(c, row)
    qid, _order = attempt.layout[0]
    value = key_answers(attempt)[qid]
    assert _save(c, attempt, qid, value).status_code == 200
    # the phone reconnects with a new session: starting again resumes the same attempt
    c2 = client_for("member_b1")
    c2.post(reverse("study:exam_start", args=[row.pk]))
    assert Attempt.objects.filter(exam=row).count() == 1
    page = c2.get(reverse("study:take", args=[attempt.pk])).content.decode()
    assert 'checked' in page or f'value="{value}"' in page
    assert Answer.objects.get(attempt=attempt, question_id=qid).response != ""
    # answers from a second session are flagged for the organizer, not silently scored
    _save(c2, attempt, attempt.layout[1][0], key_answers(attempt)[attempt.layout[1][0]])
    attempt.refresh_from_db()
    assert "sessions" in attempt.flag_list


def test_auto_submit_at_the_time_limit_keeps_the_answers_saved_so_far(personas: Personas, client_for: Any) -> None:
    row = exam(personas.c1, minutes=10)
    c = client_for("member_b1")
    attempt = _start(c, row)
    answers = key_answers(attempt)
    first_two = attempt.layout[:2]
    for qid, _o in first_two:
        _save(c, attempt, qid, answers[qid])
    # the server's clock passes the deadline: the next save is refused and the attempt submitted
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    late = _save(c, attempt, attempt.layout[2][0], answers[attempt.layout[2][0]])
    assert late.status_code == 409
    attempt.refresh_from_db()
    assert attempt.status == "auto"
    assert attempt.score == D("4")  # two questions of 2 points answered before the limit
    assert Answer.objects.get(attempt=attempt, question_id=attempt.layout[2][0]).response == ""


def test_the_scheduled_job_submits_attempts_past_their_deadline(personas: Personas) -> None:
    row = exam(personas.c1, minutes=5)
    user = personas.user("member_b1")
    with acting_as(user, reason="test"):
        attempt = services.start_attempt(actor=user, exam=row)
    later = timezone.now() + dt.timedelta(minutes=6)
    with acting_as(None, reason="test"):
        assert services.submit_due(now=later) == 1
    attempt.refresh_from_db()
    assert attempt.status == "auto" and attempt.percent == D("0")


def test_rapid_fire_answering_is_flagged(personas: Personas) -> None:
    row = exam(personas.c1)
    user = personas.user("member_b1")
    now = timezone.now()
    with acting_as(user, reason="test"):
        attempt = services.start_attempt(actor=user, exam=row, now=now)
        for i, (qid, value) in enumerate(key_answers(attempt).items()):
            services.save_answer(actor=user, attempt_id=attempt.pk, question_id=qid, shown=value,
                                 now=now + dt.timedelta(seconds=1 + i))
        attempt = services.submit(actor=user, attempt_id=attempt.pk, now=now + dt.timedelta(seconds=10))
    assert "rapid" in attempt.flag_list and attempt.passed  # flagged for the organizer; the score stands


def test_attempts_allowed_and_the_window(personas: Personas) -> None:
    row = exam(personas.c1, attempts=1)
    user = personas.user("member_b1")
    with acting_as(user, reason="test"):
        a = services.start_attempt(actor=user, exam=row)
        services.submit(actor=user, attempt_id=a.pk)
        with pytest.raises(RuleError):
            services.start_attempt(actor=user, exam=row)
    late = exam(personas.c1)
    with acting_as(None, reason="test"):
        late.closes_at = timezone.now() - dt.timedelta(minutes=1)
        late.save()
    with acting_as(user, reason="test"), pytest.raises(RuleError):
        services.start_attempt(actor=user, exam=late)


def test_a_test_of_another_committee_is_not_open(personas: Personas, client_for: Any) -> None:
    row = exam(personas.c2)
    c = client_for("member_b1")
    assert c.post(reverse("study:exam_start", args=[row.pk])).status_code == 404
    assert row.title not in c.get(reverse("study:mine")).content.decode()


def wrong(value: str) -> str:
    return {"A": "B", "T": "F", "F": "T"}.get(value, "A" if len(value) > 1 and value.isalpha() and value.isascii()
                                              else "错误")


def test_results_statistics_in_sql(personas: Personas, client_for: Any, django_assert_max_num_queries: Any) -> None:
    from dangjian.core.testing.personas import make_member
    from dangjian.points.tests.conftest import member_user

    row = exam(personas.c1, shuffle=False)
    users = [personas.user("member_b1")]
    with acting_as(None, reason="test"):
        for org in (personas.b1, personas.b2, personas.b2):
            users.append(member_user(make_member(org)))
    for i, user in enumerate(users):
        with acting_as(user, reason="test"):
            attempt = services.start_attempt(actor=user, exam=row)
            answers = key_answers(attempt)
            for j, (qid, _o) in enumerate(attempt.layout):
                shown = answers[qid] if j < 4 - i else wrong(answers[qid])
                services.save_answer(actor=user, attempt_id=attempt.pk, question_id=qid, shown=shown)
            services.submit(actor=user, attempt_id=attempt.pk)
    from dangjian.study import stats
    with django_assert_max_num_queries(12):
        qs = stats.question_stats(row, None)
        orgs = stats.org_stats(row, None)
    assert [q.answered for q in qs] == [4, 4, 4, 4]
    assert [q.correct for q in qs] == [4, 3, 2, 1]  # question j is right for members 0 .. 3 - j
    assert [q.correct_rate for q in qs] == [D("100"), D("75"), D("50"), D("25")]
    single = qs[0]
    assert dict(single.options)["A"] == 4
    by_org = {o.org.code: o for o in orgs}
    assert (by_org["B1"].took, by_org["B2"].took) == (2, 2)
    assert by_org["B2"].members == 3  # 王五 has not taken it
    assert by_org["B2"].participation == D("66.7")
    page = client_for("c1_staff").get(reverse("study:exam_results", args=[row.pk]))
    assert page.status_code == 200 and "66.7" in page.content.decode()
    # a branch officer sees only the branch's share
    other = client_for("officer_b2").get(reverse("study:exam_results", args=[row.pk]))
    assert other.status_code == 404  # the test is the committee's, outside the branch officer's scope


def test_question_bank_import_and_export_round_trip(personas: Personas, client_for: Any, tmp_path: Any) -> None:
    import io

    import openpyxl
    from django.test import override_settings

    from dangjian.core.testing.api import SchemaValidatingClient
    from dangjian.core.testing.imports import upload, workbook
    from dangjian.core.testing.personas import PASSWORD
    from dangjian.study.imports import QuestionImporter
    from dangjian.study.models import Question

    headers = [f.header for f in QuestionImporter.fields]

    def row(**cells: Any) -> list[Any]:
        return [cells.get(h) for h in headers]

    rows = [row(题型="单选题", 题目="党的根本宗旨是？", 选项A="全心全意为人民服务", 选项B="发展经济", 答案="A", 标签="党章", 难度="易", 所属组织="C1"),
            row(题型="多选题", 题目="四个意识包括？", 选项A="政治意识", 选项B="大局意识", 选项C="市场意识", 答案="AB", 所属组织="C1"),
            row(题型="判断题", 题目="党员可以不交党费。", 答案="F", 所属组织="C1"),
            row(题型="单选题", 题目="答案越界", 选项A="甲", 选项B="乙", 答案="D", 所属组织="C1"),        # row 5
            row(题型="填空题", 题目="别处的题", 答案="共产", 所属组织="C2")]                              # row 6
    api = SchemaValidatingClient()
    token = api.post("/api/v1/auth/token/", {"username": "c1_staff", "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        response = api.post("/api/v1/imports/questions/", {"file": upload(workbook(headers, rows, sheet="题库"), "题库.xlsx"),
                                                           "valid_only": "true"}, format="multipart")
    assert response.status_code in (200, 201), response.content
    problems = {(p["row"], p["column"]) for p in response.json()["problems"]}
    assert problems == {(5, "答案"), (6, "所属组织")}
    bank = Question.objects.filter(org=personas.c1).order_by("id")
    assert [(q.kind, q.answer, q.difficulty) for q in bank] == [("single", "A", 1), ("multiple", "AB", 2), ("judge", "F", 2)]
    # the export writes the same columns, so the exported bank imports again
    export = client_for("c1_staff").get(reverse("study:question_export"))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = list(sheet.values)
    header_row = next(i for i, r in enumerate(values) if r and "题型" in r)
    first = list(values[header_row]).index("题型")  # after the export's own 序号 column
    assert list(values[header_row])[first:first + len(headers)] == headers
    assert tuple(values[header_row + 2][first:first + 5]) == ("多选题", "四个意识包括？", "政治意识", "大局意识", "市场意识")
