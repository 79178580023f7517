"""Operator logs (issue 9 item 6, SECURITY.md AUD-02): one JSON line per request and per job,
errors with tracebacks in the log and never on the page, no personal data in any line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from dangjian.core.context import acting_as
from dangjian.core.logs import JsonFormatter, job_log
from dangjian.core.testing.personas import PASSWORD

SENTINEL_PASSWORD = "Sentinel#Pw1"  # noqa: S105
SENTINEL_ID = "110101199003071234"


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines written while the test runs, formatted at emit time by the project's
    formatter on a handler of the root logger (where settings.LOGGING sends everything)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)

    def lines() -> list[dict[str, Any]]:
        raw = stream.getvalue().splitlines()
        return [json.loads(line) for line in raw]

    lines.raw = stream  # type: ignore[attr-defined]
    try:
        yield lines
    finally:
        root.removeHandler(handler)


def request_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["logger"] == "dangjian.request"]


def test_every_request_writes_one_line_with_request_id_user_status_and_duration(personas, log_lines) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "officer_b1", "password": PASSWORD})
    before = len(request_lines(log_lines()))
    response = client.get("/members/")
    assert response.status_code == 200
    lines = request_lines(log_lines())[before:]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == personas.user("officer_b1").pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/members/", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["time"][-6] in "+-"  # an explicit offset (AUD-02)


def test_anonymous_and_refused_requests_are_logged_with_their_status(db, log_lines) -> None:
    response = Client().get("/api/v1/members/")
    line = request_lines(log_lines())[-1]
    assert (line["status"], line["user_id"]) == (response.status_code, None)
    assert response.status_code in (401, 403)
    assert line["level"] == "WARNING"


@override_settings(ROOT_URLCONF="tests.ops.failing_urls")
def test_an_error_goes_to_the_log_with_its_traceback_and_never_to_the_page(personas, log_lines) -> None:
    client = Client(raise_request_exception=False)
    client.post("/accounts/login/", {"username": "officer_b1", "password": PASSWORD})
    response = client.get("/ops-test/fail/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "RuntimeError" not in page and "lookup failed" not in page
    lines = log_lines()
    errors = [line for line in lines if line["logger"] == "django.request"]
    assert len(errors) == 1
    assert "Traceback" in errors[0]["traceback"] and "RuntimeError: lookup failed" in errors[0]["traceback"]
    # the error line belongs to the request: same request id as its request line
    (request_line,) = [line for line in request_lines(lines) if line["path"] == "/ops-test/fail/"]
    assert errors[0]["request_id"] == request_line["request_id"] == response["X-Request-ID"]
    assert errors[0]["user_id"] == personas.user("officer_b1").pk
    assert (request_line["status"], request_line["level"]) == (500, "ERROR")
    # the ID number in the exception is masked in the log
    assert "1101**********1234" in errors[0]["traceback"]


@override_settings(ROOT_URLCONF="tests.ops.failing_urls")
def test_no_password_or_id_number_reaches_a_log_line(personas, log_lines) -> None:
    client = Client(raise_request_exception=False)
    client.post("/accounts/login/", {"username": "officer_b1", "password": SENTINEL_PASSWORD})
    client.post("/accounts/login/", {"username": SENTINEL_PASSWORD, "password": SENTINEL_PASSWORD})
    client.post("/accounts/login/", {"username": "officer_b1", "password": PASSWORD})
    client.get("/members/", {"q": SENTINEL_ID})
    client.post("/members/", {"id_number": SENTINEL_ID})
    client.get(f"/members/{SENTINEL_ID}/")
    client.get("/ops-test/fail/")
    logging.getLogger("dangjian.test").warning("payload %s", SENTINEL_ID, extra={"password": SENTINEL_PASSWORD})
    text = log_lines.raw.getvalue()  # type: ignore[attr-defined]
    assert len(request_lines(log_lines())) >= 7
    assert SENTINEL_PASSWORD not in text
    assert SENTINEL_ID not in text


def test_a_job_writes_one_line_when_it_succeeds(personas, log_lines) -> None:
    with acting_as(personas.user("root_staff"), reason="test") as ctx, job_log("dues.scan_arrears", job_id=42) as info:
        info["rows"] = 7
    (line,) = [line for line in log_lines() if line["logger"] == "dangjian.job"]
    assert line["job"] == "dues.scan_arrears" and line["job_id"] == "42" and line["rows"] == 7
    assert (line["status"], line["user_id"], line["request_id"]) == ("succeeded", personas.user("root_staff").pk, ctx.request_id)
    assert line["duration_ms"] >= 0


def test_a_failing_job_logs_its_traceback_and_reraises(db, log_lines) -> None:
    with pytest.raises(ZeroDivisionError), job_log("demo.build"):
        1 / 0  # noqa: B018
    (line,) = [line for line in log_lines() if line["logger"] == "dangjian.job"]
    assert (line["status"], line["level"]) == ("failed", "ERROR")
    assert "ZeroDivisionError" in line["traceback"]


def test_a_log_line_stays_one_line() -> None:
    record = logging.makeLogRecord({"name": "x", "msg": "a\nb\rc", "levelno": logging.INFO, "levelname": "INFO"})
    out = JsonFormatter().format(record)
    # the newline is escaped by JSON, other control characters are dropped
    assert len(out.splitlines()) == 1 and json.loads(out)["message"] == "a\nbc"
