"""The demo's assessment: 运城's two 2022 schemes, September and October locked, the ranking as the office sees it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessment import selectors
from assessment.demo import COUNTIES, TEAMS, load_assessment_demo
from assessment.models import PeriodLock, Scheme
from core.testing import login_as
from organizations.choices import UnitKind
from organizations.models import User

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_demo_has_both_schemes_with_september_and_october_locked(loaded_demo):
    city = loaded_demo
    schemes = {s.name: s for s in Scheme.objects.filter(owner=city)}
    assert set(schemes) == {TEAMS, COUNTIES}
    teams = schemes[TEAMS]
    weights = {i.indicator: (int(i.weight), i.rule, int(i.cap)) for i in teams.items.all()}
    assert weights == {
        "visits": (20, "share", 120),
        "effective_leads": (25, "share", 120),
        "inspections": (15, "share", 120),
        "signed_projects": (30, "share", 120),
        "events": (10, "rank", 100),
    }
    assert sum(i.weight for i in schemes[COUNTIES].items.all()) == 100
    for scheme in schemes.values():
        locks = list(PeriodLock.objects.filter(scheme=scheme).order_by("start"))
        assert [(lock.start, lock.end) for lock in locks] == [
            (D(2022, 9, 1), D(2022, 9, 30)),
            (D(2022, 10, 1), D(2022, 10, 31)),
        ]
        assert [lock.locked_at.date() for lock in locks] == [D(2022, 10, 10), D(2022, 11, 3)]
    team_count = city.__class__.objects.filter(path__startswith=city.path, kind=UnitKind.TEAM, active=True).count()
    assert PeriodLock.objects.get(scheme=teams, start=D(2022, 9, 1)).scores.count() == team_count


def test_the_published_september_ranking_is_what_the_records_give(loaded_demo):
    teams = Scheme.objects.get(owner=loaded_demo, name=TEAMS)
    published = selectors.results(teams, D(2022, 9, 1), D(2022, 9, 30))
    assert published.lock is not None and not published.changed_after_lock
    live = {s.unit.pk: (s.rank, s.total) for s in selectors.live_scores(teams, D(2022, 9, 1), D(2022, 9, 30))}
    assert {s.unit.pk: (s.rank, s.total) for s in published.scores} == live
    # Somebody scored: the records of the demo's September are behind the ranking.
    assert max(s.total for s in published.scores) > 0


def test_loading_again_adds_nothing(loaded_demo):
    office = User.objects.get(username="zhongxin")
    before = (Scheme.objects.count(), PeriodLock.objects.count())
    assert load_assessment_demo(city=loaded_demo, actor=office) == {"方案": 2, "锁定": 4}
    assert (Scheme.objects.count(), PeriodLock.objects.count()) == before


def test_the_office_reads_the_demo_ranking_locked(loaded_demo):
    teams = Scheme.objects.get(owner=loaded_demo, name=TEAMS)
    client = login_as(Client(), User.objects.get(username="zhongxin"))
    page = client.get(reverse("assessment:results", args=[teams.pk]), {"month": "2022-10"}).content.decode()
    assert "已锁定（" in page and "2022-11-03 16:00" in page
    assert page.count('data-testid="rank-row"') == teams.locks.get(start=D(2022, 10, 1)).scores.count()
    counties = Scheme.objects.get(owner=loaded_demo, name=COUNTIES)
    page = client.get(reverse("assessment:results", args=[counties.pk]), {"month": "2022-09"}).content.decode()
    assert "签约投资额（亿元）" in page and 'data-testid="locked"' in page
