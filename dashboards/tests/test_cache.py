"""The figures are cached per (user's scope, unit, period) and never served older than the last write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import audit
from core.models import AuditAction
from dashboards import caching, selectors
from outreach.models import Visit

from .builders import IN, PERIOD, company, visit

pytestmark = pytest.mark.django_db


def figures(user, unit):
    return caching.figures(user, unit, *PERIOD, lambda: selectors.dashboard(user, unit, *PERIOD))


def visited(result):
    return result["funnel"][0]["value"]


def test_a_second_reading_comes_from_the_cache_in_two_queries(org, world):
    first = figures(org["office"], org.city)
    with CaptureQueriesContext(connection) as queries:
        again = figures(org["office"], org.city)
    assert (first["cached"], again["cached"]) == (False, True)
    assert len(queries) <= 2  # the version (audit chain head) and the scope, no figure counted
    assert again["funnel"] == first["funnel"] and again["computed_at"] == first["computed_at"]


def test_a_write_is_seen_at_once(org, world):
    before = visited(figures(org["office"], org.city))
    visit(org.team, IN, company(org, "新走访企业有限公司", "浙江省"))
    after = figures(org["office"], org.city)
    assert after["cached"] is False and visited(after) == before + 1
    Visit.objects.filter(company__name="新走访企业有限公司").delete()
    assert visited(figures(org["office"], org.city)) == before


def test_a_bulk_write_without_signals_is_seen_through_the_audit_chain(org, world):
    """Ledger imports insert rows without signals and write one audit record: the figures follow."""
    before = visited(figures(org["office"], org.city))
    firm = company(org, "批量导入企业有限公司", "广东省")
    caching.cache.delete(caching.VERSION_KEY)  # as if another process had written: no signal reached this one
    stale_version = caching.data_version()
    Visit.objects.bulk_create([Visit(unit=org.team, visit_date=IN, company=firm, content="导入", dedupe_key="bulk1")])
    assert caching.data_version() == stale_version  # bulk_create sent nothing
    audit.record(action=AuditAction.IMPORT, actor=org["team_member"], object_type="outreach.visit", message="导入")
    assert caching.data_version() != stale_version
    assert visited(figures(org["office"], org.city)) == before + 1


def test_each_user_gets_figures_of_their_own_scope_from_the_cache(org, world):
    office = figures(org["office"], org.city)
    member = figures(org["team_member"], org.city)
    assert member["cached"] is False
    assert visited(member) < visited(office)
    assert selectors.scope_signature(org["office"]) != selectors.scope_signature(org["leader"])


def test_the_page_says_when_its_figures_were_computed(org, world):
    from django.test import Client
    from django.utils import timezone

    from core.testing import login_as

    client = login_as(Client(), org["office"])
    body = client.get("/dashboards/?start=2024-01-01&end=2024-12-31").content.decode()
    assert f"数据更新于 {timezone.localtime():%H:}" in body
