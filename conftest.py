"""Shared fixtures: personas, logged-in clients, query counting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from dangjian.core.testing.personas import Personas, build_personas

# Property tests judge results, not speed: on a loaded 2-core CI machine the generation-speed
# health check and the per-example deadline failed tests whose properties held (lowest-versions
# run: "only generated 8 valid inputs after 1.16 seconds").
settings.register_profile("ci", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("ci")

#: flushable_audit_log and its teardown hook, for transactional and live-server tests.
pytest_plugins = ["dangjian.core.testing.auditlog"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Throttle counters and cached policies must not leak from one test into another."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["jobs"].clear()  # job progress: ids are reused after a test's rollback
    from dangjian.core.audit import anchor_file

    anchor_file().unlink(missing_ok=True)  # anchors of rolled-back audit entries


@pytest.fixture
def personas(db: Any) -> Personas:
    return build_personas()


@pytest.fixture
def client_for(personas: Personas) -> Callable[[str], Client]:
    """A test client logged in as the named persona (through the real login page)."""

    def make(name: str) -> Client:
        from dangjian.core.testing.personas import PASSWORD, finish_login

        client = Client()
        response = finish_login(client, client.post("/accounts/login/", {"username": name, "password": PASSWORD}), name)
        assert response.status_code == 302, f"login of {name} failed"
        return client

    return make


def pytest_configure(config: pytest.Config) -> None:
    """Compile the translation catalogs before any test: .mo files are build products (not in
    git) and the interface is Chinese only through them (pure Python, no GNU gettext)."""
    from pathlib import Path

    from dangjian.core.management.commands.compile_catalog import compile_catalogs

    compile_catalogs([Path(__file__).resolve().parent / "locale"])


@pytest.fixture
def live_db(flushable_audit_log: None) -> None:
    """The database of a live-server browser flow (see dangjian.core.testing.auditlog)."""
