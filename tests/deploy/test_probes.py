"""Load-balancer probes: /health/ answers 200 to a plain-http probe by IP under production's
HTTPS redirect and host list; /ready/ reports database, cache and migrations, 503 when one fails."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from dangjian.core import probes

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_edge(settings: Any) -> None:
    """What production adds in front of the views: HTTPS redirect and a strict host list."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["dangjian.example"]


def test_a_probe_by_ip_over_http_gets_200(production_edge: None, client: Client) -> None:
    health = client.get("/health/", HTTP_HOST="10.0.0.5:8000")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health["Cache-Control"] == "no-store"
    ready = client.get("/ready/", HTTP_HOST="10.0.0.5")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "cache": "ok", "migrations": "ok"}


def test_only_the_probes_skip_host_and_https_checks(production_edge: None, client: Client) -> None:
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    redirect = client.get("/accounts/login/", HTTP_HOST="dangjian.example")
    assert redirect.status_code == 301 and redirect["Location"] == "https://dangjian.example/accounts/login/"
    assert client.get("/health/", HTTP_HOST="dangjian.example").status_code == 200


def test_ready_is_503_while_a_migration_is_unapplied(client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(probes, "_migrations_seen_applied", False)
    MigrationRecorder.Migration.objects.filter(app="orgs").order_by("-id")[:1].get().delete()
    ready = client.get("/ready/")
    assert ready.status_code == 503
    assert ready.json()["migrations"] == "1 unapplied" and ready.json()["database"] == "ok"


def test_ready_is_503_when_the_cache_is_down(client: Client, settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0"}}  # nothing listens on port 9
    ready = client.get("/ready/")
    assert ready.status_code == 503 and ready.json()["cache"] == "error" and ready.json()["database"] == "ok"
    assert client.get("/health/").status_code == 200  # liveness does not depend on the cache
