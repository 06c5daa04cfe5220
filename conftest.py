"""Shared fixtures: the persona tree (core.testing.Org) for every app's tests."""

import pytest

from core.testing import Org


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def sysadmin(org):
    return org["sysadmin"]
