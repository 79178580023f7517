"""AUTH-04 no default or super accounts (bootstrap_admins) and CFG-01 ``check --deploy``."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dangjian.accounts.models import RoleGrant, User
from dangjian.core.context import acting_as
from dangjian.orgs.models import Organization
from tests.security.conftest import LOGIN_URL, login, try_login

BASE_DIR = Path(__file__).resolve().parents[2]
ADMINS = ("sysadmin", "secadmin", "auditadmin")
NEW = "Eigenes#Passwort42"


@pytest.fixture
def bare_tree(db: Any) -> Organization:
    """An organization tree and no account at all."""
    with acting_as(None, reason="test tree"):
        root = Organization.objects.add_root({"name": "测试市公安局党委", "code": "R", "kind": "committee"})
        Organization.objects.add_child(root, {"name": "刑侦支队党委", "code": "C1", "kind": "committee"})
    root.refresh_from_db()
    return root


def bootstrap() -> dict[str, str]:
    out = io.StringIO()
    call_command("bootstrap_admins", stdout=out)
    text = out.getvalue()
    found = dict(re.findall(r"^\s+(sysadmin|secadmin|auditadmin)\s+(\S+)\s", text, flags=re.M))
    assert set(found) == set(ADMINS), text
    return found


def test_bootstrap_creates_the_three_admins_once(bare_tree: Organization) -> None:
    assert not User.objects.exists()
    passwords = bootstrap()
    assert len(set(passwords.values())) == 3 and all(len(p) >= 16 for p in passwords.values())
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    roles = dict(RoleGrant.objects.values_list("user__username", "role"))
    assert roles == {"sysadmin": "system_admin", "secadmin": "security_admin", "auditadmin": "audit_admin"}
    assert all(u.must_change_password for u in User.objects.all())
    with pytest.raises(CommandError):
        bootstrap()
    assert User.objects.count() == 3 and RoleGrant.objects.count() == 3


def test_bootstrap_needs_a_tree(db: Any) -> None:
    with pytest.raises(CommandError):
        call_command("bootstrap_admins", stdout=io.StringIO())
    assert not User.objects.exists()


def test_one_time_passwords_work_once_and_force_a_change(bare_tree: Organization) -> None:
    passwords = bootstrap()
    for n, (username, one_time) in enumerate(passwords.items()):
        new = f"{NEW}{n}"
        client = login(username, one_time)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/password/"
        changed = client.post("/accounts/password/", {"old_password": one_time, "new_password1": new,
                                                      "new_password2": new})
        assert changed.status_code == 302, username
        assert client.get("/").status_code == 200
        assert try_login(username, one_time).status_code == 400  # used up
        login(username, new)


def test_one_time_passwords_expire_after_72_hours(bare_tree: Organization) -> None:
    passwords = bootstrap()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=71), tick=False):
        login("sysadmin", passwords["sysadmin"])
    with time_machine.travel(timezone.now() + dt.timedelta(hours=73), tick=False):
        assert try_login("secadmin", passwords["secadmin"]).status_code == 400


@pytest.mark.parametrize(("username", "password"), [
    ("admin", "admin"), ("admin", "123456"), ("admin", "admin123"), ("root", "root"),
    ("sysadmin", "admin"), ("sysadmin", "123456"), ("secadmin", "secadmin"), ("auditadmin", "auditadmin"),
])
def test_default_guesses_fail(bare_tree: Organization, username: str, password: str) -> None:
    bootstrap()
    response = try_login(username, password)
    assert response.status_code == 400
    assert "_auth_user_id" not in response.wsgi_request.session
    assert response.wsgi_request.path == LOGIN_URL


def test_no_migration_creates_users(db: Any) -> None:
    assert not User.objects.exists()


# --- CFG-01: the production profile passes ``check --deploy --fail-level WARNING`` ----------


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    # A collected manifest (check E022); .ci/run collects the real files before its deploy check.
    static_root = tmp_path / "static"
    static_root.mkdir(exist_ok=True)
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DANGJIAN_", "DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48)[:50],
        "ALLOWED_HOSTS": "example.org",
        "FIELD_ENCRYPTION_KEYS": "k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DANGJIAN_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(static_root),
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_passes_with_production_settings(tmp_path: Path) -> None:
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_field_keys(tmp_path: Path) -> None:
    result = check_deploy(production_env(tmp_path, FIELD_ENCRYPTION_KEYS=None))
    assert result.returncode != 0
    assert "dangjian.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    result = check_deploy(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_deploy_check_flags_a_superuser(db: Any) -> None:
    from dangjian.core.checks import production_settings

    assert "dangjian.W005" not in {p.id for p in production_settings()}
    User.objects.create(username="root", is_superuser=True)
    assert "dangjian.W005" in {p.id for p in production_settings()}


def test_a_missing_secret_key_is_a_deploy_error_not_a_crash_of_every_command(db: None) -> None:
    """Without SECRET_KEY, commands such as makemigrations still run (ephemeral key), but the
    deploy check reports it and the WSGI entry point refuses to serve."""
    from django.test import override_settings

    from dangjian.core.checks import production_settings

    with override_settings(SECRET_KEY_MISSING=True):
        assert "dangjian.E010" in {p.id for p in production_settings()}
    with override_settings(SECRET_KEY_MISSING=False):
        assert "dangjian.E010" not in {p.id for p in production_settings()}
