"""With the demo data, the dashboards show the seeds' published figures: 运城's funnel of seed 000 (781 companies
visited, 579 leads, 112 projects connected, 22 signed) and 古县's rates of seed 001 (96%, 62%, 100%)."""

import pytest
from django.test import Client

from core.testing import login_as
from organizations.models import Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(loaded_demo, db):
    from django.core.cache import cache

    cache.clear()
    return loaded_demo


def test_the_city_dashboard_shows_seed_000s_funnel(demo):
    office = User.objects.get(username="zhongxin")
    response = login_as(Client(), office).get(f"/dashboards/?unit={demo.pk}&start=2022-01-01&end=2022-12-31")
    assert response.status_code == 200
    funnel = {f["key"]: f["display"] for f in response.context["figures"]["funnel"]}
    assert (funnel["visited"], funnel["leads"], funnel["connected"], funnel["signed"]) == ("781", "579", "112", "22")
    body = response.content.decode()
    for figure in ("781", "579", "112", "22"):
        assert f">{figure}</a>" in body
    # The funnel runs on: effective leads by the city's rule, companies invited, and what followed the signing.
    assert int(funnel["effective_leads"]) < 579 and int(funnel["inspected"]) > 0
    assert int(funnel["started"]) <= 22 and int(funnel["producing"]) <= int(funnel["started"])


def test_the_gu_county_zone_dashboard_shows_seed_001s_rates(demo):
    zone = Unit.objects.get(code="LF-GX-KFQ")
    person = User.objects.get(username="guxian_kfq")
    response = login_as(Client(), person).get(f"/dashboards/?unit={zone.pk}&start=2022-01-01&end=2023-12-31")
    assert response.status_code == 200
    rates = {r["key"]: r for r in response.context["figures"]["rates"]["rows"]}
    assert rates["signed_started"]["display"] == "96%" and rates["signed_started"]["count_display"] == "91%"
    assert (rates["signed_started"]["numerator"], rates["signed_started"]["denominator"]) == ("22.90", "23.90")
    assert rates["started_producing"]["display"] == "62%"
    assert (rates["started_producing"]["numerator"], rates["started_producing"]["denominator"]) == ("6.31", "10.12")
    assert rates["producing_capacity"]["display"] == "100%"
    body = response.content.decode()
    assert "96%" in body and "62%" in body and "100%" in body
