"""The demo organisation matches seed 000 and loads idempotently."""

import io

import pytest
from django.core.management import call_command

from organizations.choices import Role, UnitKind
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Unit, User


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    # The demo's projects carry scanned evidence: it goes to a temporary folder, never to data/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_demo_has_the_seven_teams_and_seventeen_squads_of_seed_000(db):
    call_command("load_demo", stdout=io.StringIO())
    city = Unit.objects.get(code="YC")
    teams = Unit.objects.filter(kind=UnitKind.TEAM, parent=city)
    assert sorted(t.base_city for t in teams) == sorted(["北京", "上海", "杭州", "成都", "深圳", "南京", "广州"])
    assert "铜精深加工" in teams.get(base_city="杭州").focus
    squads = Unit.objects.filter(kind=UnitKind.SQUAD, path__startswith=city.path)
    assert squads.count() == 17
    # One for each county and 运城经开区, and one each for 工信局, 农业农村局, 文旅局.
    assert squads.filter(parent__kind=UnitKind.DEPARTMENT).count() == 3
    assert squads.filter(parent__kind=UnitKind.ZONE).count() == 1
    assert Unit.objects.filter(kind=UnitKind.COUNTY, parent=city).count() == 13
    assert Unit.objects.filter(name="临猗现代农业产业示范区", kind=UnitKind.ZONE).exists()
    for county, city_name in (("古县", "临汾市"), ("阳城县", "晋城市"), ("交城县", "吕梁市")):
        unit = Unit.objects.get(name=county)
        assert unit.parent.name == city_name and unit.parent.parent.name == "山西省"


def test_demo_has_one_person_for_each_role_who_can_log_in(db, client):
    call_command("load_demo", stdout=io.StringIO())
    roles = set(Membership.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    response = client.post("/accounts/login/", {"username": "wangfeng", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_loading_the_demo_twice_duplicates_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (Unit.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Unit.objects.count(), User.objects.count(), Membership.objects.count()) == counts
