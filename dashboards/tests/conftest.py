"""Fixtures of the dashboard's tests: a fresh cache, a world of records (builders.build_world), another city's office."""

import pytest

from core.testing import make_person
from organizations.choices import Role

from .builders import build_world


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(org):
    return build_world(org, 3)


@pytest.fixture
def lf_office(org):
    """The office of another city (临汾)."""
    person = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心小郭")
    return person
