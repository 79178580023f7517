"""Bench of study and tests (issue 15 item 6): a test taken by ``--attempts`` members (100,000 by
default, 20 questions each: 2 million saved answers), each figure beside its hand SQL.

    .venv/bin/python bench/study.py [--attempts 100000] [--db postgres]

It builds its own throwaway database (SQLite under bench/out/study, or the PostgreSQL database
``dangjian_bench_study``): the test personas, a published test of 20 questions of the root
organization, and the submitted attempts with their answers written directly (synthetic member
ids, foreign keys off, spread over the three branches). Then it times, median of repeated runs:

- ``services.save_answer`` of one live attempt (the member's request minus HTTP), against the
  floor: the one ``UPDATE study_answer ... WHERE attempt_id = ? AND question_id = ?``;
- ``services.submit`` (grading one attempt of 20 answers and closing it), against the floor: the
  hand ``SELECT`` of its answers with their keys and one ``UPDATE``;
- ``stats.question_stats`` + ``stats.org_stats`` over every attempt (the next morning's page),
  against the floor: the two bare ``GROUP BY`` queries of correct counts and per-branch counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import median_ms, prepare  # noqa: E402


def setup(db: str, pg_name: str = "dangjian_bench_study") -> None:
    prepare("study", db, pg_name)


def build(attempts: int, rng: random.Random) -> tuple[Any, Any]:
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from dangjian.core.context import acting_as
    from dangjian.core.testing.personas import build_personas
    from dangjian.study.models import Exam, ExamQuestion, Question

    p = build_personas()
    now = timezone.now()
    with acting_as(None, reason="bench"):
        questions = []
        for i in range(20):
            kind = ("single", "multiple", "judge", "fill")[i % 4]
            options = "甲\n乙\n丙\n丁" if kind in ("single", "multiple") else ""
            key = {"single": "B", "multiple": "ACD", "judge": "T", "fill": "共产"}[kind]
            q = Question(org=p.root, kind=kind, text=f"题{i}", options=options, answer=key, tags="党章")
            q.save()
            questions.append(q)
        exam = Exam(org=p.root, title="全省理论测试", opens_at=now - dt.timedelta(days=7),
                    closes_at=now + dt.timedelta(days=1), time_limit_minutes=600, published=True, attempts_allowed=1000)
        exam.save()
        for i, q in enumerate(questions):
            ExamQuestion(exam=exam, question=q, points=Decimal("5"), position=i).save()
    orgs = [p.b1.pk, p.b2.pk, p.b3.pk]
    qids = [q.pk for q in questions]
    layout = "[" + ",".join(f"[{q},[]]" for q in qids) + "]"
    started = now - dt.timedelta(days=2)
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA foreign_keys=OFF")
            cur.execute("PRAGMA synchronous=OFF")  # the build only; measurements run with the default again
        else:
            cur.execute("SET session_replication_role = replica")
        attempt_rows, answer_rows = [], []
        aid = 1_000_000
        for n in range(attempts):
            aid += 1
            right = [rng.random() < 0.7 for _ in qids]
            score = 5 * sum(right)
            attempt_rows.append((aid, exam.pk, 2_000_000 + n, orgs[n % 3], 1, 1, layout, "submitted", started, started,
                                 started, "", score, 100, score, score >= 60, "", now, now, 1))
            answer_rows.extend((aid, qid, "B" if ok else "A", started, 5 if ok else 0, ok) for qid, ok in zip(qids, right, strict=True))
            if len(attempt_rows) >= 5000 or n == attempts - 1:
                cur.executemany(
                    "INSERT INTO study_attempt (id, exam_id, member_id, org_id, number, seed, layout, status, started_at, "
                    "deadline, submitted_at, session, score, max_score, percent, passed, flags, created_at, updated_at, "
                    "version) VALUES (" + ",".join(["%s"] * 20) + ")", attempt_rows)
                cur.executemany("INSERT INTO study_answer (attempt_id, question_id, response, saved_at, points, correct) "
                                "VALUES (%s, %s, %s, %s, %s, %s)", answer_rows)
                attempt_rows, answer_rows = [], []
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")
            cur.execute("ANALYZE")
        else:
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("ANALYZE")
    return p, exam


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--attempts", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pg-name", default="dangjian_bench_study", help="throwaway database (dropped and created)")
    args = parser.parse_args()
    setup(args.db, args.pg_name)
    rng = random.Random(15)
    t0 = time.perf_counter()
    p, exam = build(args.attempts, rng)
    print(f"built {args.attempts} submitted attempts ({args.attempts * 20} answers) in {time.perf_counter() - t0:.0f} s")

    from django.db import connection, transaction
    from django.utils import timezone

    from dangjian.core.context import acting_as
    from dangjian.study import services, stats
    from dangjian.study.models import Attempt

    user = p.user("member_b1")
    with acting_as(user, reason="bench"):
        live = services.start_attempt(actor=user, exam=exam)
    qid = live.layout[0][0]
    letters = iter(range(10**9))

    def app_save() -> None:
        with acting_as(user, reason="bench"):
            services.save_answer(actor=user, attempt_id=live.pk, question_id=qid, shown="ABCD"[next(letters) % 4])

    def hand_save() -> None:
        with connection.cursor() as cur:
            cur.execute("UPDATE study_answer SET response = %s, saved_at = %s WHERE attempt_id = %s AND question_id = %s",
                        ["ABCD"[next(letters) % 4], timezone.now(), live.pk, qid])  # autocommit, as the service

    save_app, save_hand = median_ms(app_save, args.repeat), median_ms(hand_save, args.repeat)

    def fresh_attempt() -> int:
        Attempt.objects.filter(pk=live.pk).update(status="active", deadline=timezone.now() + dt.timedelta(hours=1))
        return live.pk

    def app_grade() -> None:
        pk = fresh_attempt()
        with acting_as(user, reason="bench"):
            services.submit(actor=user, attempt_id=pk)

    def hand_grade() -> None:
        pk = fresh_attempt()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SELECT a.id, a.response, q.kind, q.answer, i.points FROM study_answer a "
                        "JOIN study_question q ON q.id = a.question_id "
                        "JOIN study_examquestion i ON i.question_id = a.question_id AND i.exam_id = %s "
                        "WHERE a.attempt_id = %s", [exam.pk, pk])
            rows = cur.fetchall()
            score = sum(r[4] for r in rows if r[1] == r[3])
            cur.execute("UPDATE study_attempt SET status = 'submitted', score = %s WHERE id = %s", [score, pk])

    grade_app, grade_hand = median_ms(app_grade, args.repeat), median_ms(hand_grade, args.repeat)

    def app_stats() -> None:
        stats.question_stats(exam, None)
        stats.org_stats(exam, None)

    def hand_stats() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT a.question_id, COUNT(*), SUM(CASE WHEN a.correct THEN 1 ELSE 0 END) FROM study_answer a "
                        "JOIN study_attempt t ON t.id = a.attempt_id WHERE t.exam_id = %s AND t.status IN "
                        "('submitted', 'auto') GROUP BY a.question_id", [exam.pk])
            cur.fetchall()
            cur.execute("SELECT t.org_id, COUNT(DISTINCT t.member_id), SUM(CASE WHEN t.passed THEN 1 ELSE 0 END) "
                        "FROM study_attempt t WHERE t.exam_id = %s AND t.status IN ('submitted', 'auto') "
                        "GROUP BY t.org_id", [exam.pk])
            cur.fetchall()

    repeat_stats = max(3, args.repeat // 10)
    stats_app, stats_hand = median_ms(app_stats, repeat_stats), median_ms(hand_stats, repeat_stats)
    print(f"{'figure':<34}{'app ms':>10}{'hand SQL ms':>14}{'ratio':>8}")
    for name, app, hand in (("answer save (one)", save_app, save_hand), ("grading one attempt (20 answers)", grade_app,
                            grade_hand), (f"statistics over {args.attempts} attempts", stats_app, stats_hand)):
        print(f"{name:<34}{app:>10}{hand:>14}{app / hand if hand else 0:>8.2f}")
    print(f"grading {args.attempts} attempts at that rate: {grade_app * args.attempts / 1000 / 60:.1f} min of one process")


if __name__ == "__main__":
    main()
