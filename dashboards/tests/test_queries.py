"""Query budget: the dashboard costs the same number of queries with 2 and with 8 teams, chains and projects."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.testing import api_client_for, login_as
from dashboards import selectors

from .builders import PERIOD, build_world

pytestmark = pytest.mark.django_db


def cost(org):
    from organizations.models import User

    office = User.objects.get(pk=org["office"].pk)  # its scope not yet read: counted in each run alike
    cache.clear()
    with CaptureQueriesContext(connection) as figures:
        result = selectors.dashboard(office, org.city, *PERIOD)
    cache.clear()
    page = login_as(Client(), org["office"])
    with CaptureQueriesContext(connection) as on_page:
        assert page.get("/dashboards/?start=2024-01-01&end=2024-12-31").status_code == 200
    cache.clear()
    api = api_client_for(org["office"])
    with CaptureQueriesContext(connection) as on_api:
        assert api.get("/api/v1/dashboard/?start=2024-01-01&end=2024-12-31").status_code == 200
    return result, (len(figures), len(on_page), len(on_api))


def test_the_same_number_of_queries_for_2_and_for_8_teams_chains_and_projects(org):
    build_world(org, 2)
    small, small_cost = cost(org)
    build_world(org, 6, extra_teams=6, tag="B")
    large, large_cost = cost(org)
    assert len(large["teams"]) == len(small["teams"]) + 6 >= 8
    assert len(large["chains"]) == 8 and large["funnel"][5]["value"] >= 8
    assert large_cost == small_cost
    assert small_cost[0] <= 25
