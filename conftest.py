"""Shared fixtures: the persona tree (core.testing.Org) for every app's tests."""

import os

import pytest

from core.testing import Org


@pytest.fixture(autouse=True)
def chinese_by_default():
    """Each test starts in the source language, as each request does: a test that switched to
    English (the language switch, the i18n checks) must not leave it on for the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (`load_demo`), loaded once per test module inside a transaction rolled back at its end.

    Loading it takes seconds; tests that only read it share one load. Uploaded evidence goes to a
    temporary media folder, never into data/.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from organizations.models import Unit

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        loaded = transaction.atomic()
        loaded.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield Unit.objects.get(code="YC")
        finally:
            transaction.set_rollback(True)
            loaded.__exit__(None, None, None)


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def sysadmin(org):
    return org["sysadmin"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need a real server (concurrent writers); CI runs them there.

    On SQLite's shared in-memory test database concurrent writers fail with "table is
    locked" by design, so those tests are deselected rather than run to a false failure.
    """
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgresql") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
