"""Production refuses to run unsafely, and `check --deploy` with production settings is clean."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import override_settings

from core import checks as core_checks
from core.startup import assert_safe_to_serve
from core.testing import make_person

BASE_DIR = Path(settings.BASE_DIR)
PROD_KEY = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(60))


def prod_env(tmp_path, **extra):
    """A production environment as an operator would give it: nothing inherited from the test run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_KEY", "ZS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=PROD_KEY,
        ALLOWED_HOSTS="zs.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        ZS_DATA_DIR=str(tmp_path),
        PYTHONIOENCODING="utf-8",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


# --- in a fresh process, with the production settings ---------------------------------


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], prod_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "ERRORS" not in output


def test_production_settings_refuse_to_load_without_a_secret_key(tmp_path):
    result = run(["manage.py", "check"], prod_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "生产环境必须通过 SECRET_KEY 环境变量设置" in result.stderr


def test_production_settings_refuse_the_development_key(tmp_path):
    from config.settings.base import DEFAULT_SECRET_KEY

    result = run(["manage.py", "check"], prod_env(tmp_path, SECRET_KEY=DEFAULT_SECRET_KEY))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


WSGI_WITH_DEMO_USER = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from organizations.models import User
User.objects.create(username="demo", name="演示", is_demo={is_demo})
import config.wsgi
print("SERVING")
"""


@pytest.mark.parametrize(("is_demo", "serves"), [(True, False), (False, True)])
def test_the_wsgi_application_will_not_start_with_a_demo_user(tmp_path, is_demo, serves):
    result = run(["-c", WSGI_WITH_DEMO_USER.format(is_demo=is_demo)], prod_env(tmp_path), timeout=300)
    if serves:
        assert result.returncode == 0, result.stderr
        assert "SERVING" in result.stdout
    else:
        assert result.returncode != 0
        assert "SERVING" not in result.stdout
        assert "演示账号" in result.stderr


# --- in this process, with settings overridden -----------------------------------------

PRODUCTION = {"PRODUCTION": True, "SECRET_KEY": PROD_KEY}


@pytest.mark.django_db
def test_start_up_refuses_production_with_a_demo_user(org):
    make_person("demo_office", org.office, name="演示账号", is_demo=True)
    with override_settings(**PRODUCTION), pytest.raises(ImproperlyConfigured, match="演示账号"):
        assert_safe_to_serve()


@pytest.mark.django_db
def test_start_up_passes_production_without_demo_users(org):
    with override_settings(**PRODUCTION):
        assert_safe_to_serve()


@pytest.mark.django_db
def test_start_up_refuses_the_default_secret_key():
    from config.settings.base import DEFAULT_SECRET_KEY

    with override_settings(PRODUCTION=True, SECRET_KEY=DEFAULT_SECRET_KEY), pytest.raises(ImproperlyConfigured) as exc:
        assert_safe_to_serve()
    assert "SECRET_KEY" in str(exc.value)


@pytest.mark.django_db
def test_start_up_does_nothing_outside_production(org):
    make_person("demo_office", org.office, name="演示账号", is_demo=True)
    from config.settings.base import DEFAULT_SECRET_KEY

    with override_settings(PRODUCTION=False, SECRET_KEY=DEFAULT_SECRET_KEY):
        assert_safe_to_serve()
    assert not getattr(settings, "PRODUCTION", False)
    assert_safe_to_serve()


def test_start_up_fails_closed_when_the_database_cannot_be_asked():
    with (
        override_settings(**PRODUCTION),
        pytest.raises(ImproperlyConfigured, match="数据库"),
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setattr("core.startup.demo_users_exist", _database_down)
        assert_safe_to_serve()


def _database_down():
    raise OperationalError("no such table: organizations_user")


def deploy_errors():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "core.E001"]


@pytest.mark.django_db
def test_check_deploy_reports_demo_users_in_production(org):
    make_person("demo_office", org.office, name="演示账号", is_demo=True)
    with override_settings(**PRODUCTION):
        errors = deploy_errors()
    assert len(errors) == 1
    assert "演示账号" in errors[0].msg


@pytest.mark.django_db
def test_check_deploy_is_quiet_without_demo_users_or_outside_production(org):
    with override_settings(**PRODUCTION):
        assert deploy_errors() == []
    make_person("demo_office", org.office, name="演示账号", is_demo=True)
    assert deploy_errors() == []  # the test settings are not production


def test_the_demo_user_check_skips_a_database_that_is_not_ready(monkeypatch):
    monkeypatch.setattr(core_checks, "demo_users_exist", _database_down)
    with override_settings(**PRODUCTION):
        assert core_checks.check_no_demo_users() == []


def test_the_demo_user_check_runs_only_with_deploy():
    with override_settings(**PRODUCTION):
        ids = [m.id for m in run_checks(include_deployment_checks=False)]
    assert "core.E001" not in ids


def test_postgresql_connections_run_without_jit_and_keep_given_options():
    """JIT compiled a deep list page's query for ~640 ms to run it in ~30 ms (docs/performance.md): it is off."""
    from config.settings.base import database_from_env

    db = database_from_env("postgres://zs@db.example:5432/zhaoshang?options=-c%20statement_timeout%3D5000")
    assert "-c jit=off" in db["OPTIONS"]["options"]
    assert "statement_timeout=5000" in db["OPTIONS"]["options"]
    assert database_from_env("postgres://zs@db.example:5432/zhaoshang")["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in database_from_env("sqlite:////tmp/zs.sqlite3")["OPTIONS"]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_running_postgresql_connection_has_jit_off():
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
