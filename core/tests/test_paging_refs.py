"""Deep pages (core.paging) show exactly the rows a plain slice would, in order, at the first page's number of
queries; a row's small reference tables (core.refs) are read beside the page, one query per table, and name the
row's units and chain with no query per row."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.paging import page_of
from core.testing import api_client_for, login_as
from dashboards.tests.builders import company, visit
from outreach.models import Visit
from outreach.selectors import visits_for

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def visits(org):
    firms = [company(org, f"测试企业{i}", "浙江省") for i in range(4)]
    from chains.models import IndustryChain, IndustryCluster

    cluster = IndustryCluster.objects.create(owner=org.city, name="测试集群")
    chains = [IndustryChain.objects.create(cluster=cluster, name=f"测试链{i}") for i in range(2)]
    chain_ids = [c.pk for c in chains]
    made = []
    for i in range(23):
        # Days repeat (ties broken by id), teams and chains alternate.
        unit = (org.team, org.other_team)[i % 2]
        made.append(visit(unit, D(2024, 5, 1 + i % 7), firms[i % 4], chains[i % 2] if i % 3 else None))
    return made, chain_ids


def test_a_deep_page_holds_the_rows_of_a_plain_slice_in_order(org, visits):
    office = org["office"]
    ordered = visits_for(office).order_by("-visit_date", "-id")
    everything = list(ordered.values_list("pk", flat=True))
    assert len(everything) == 23
    for bottom in (0, 5, 10, 20):
        assert [v.pk for v in page_of(ordered, bottom, bottom + 5)] == everything[bottom : bottom + 5]


def test_the_api_and_the_page_show_each_row_once_across_pages(org, visits):
    office = org["office"]
    api = api_client_for(office)
    api.get("/api/v1/visits/")  # the process's caches (content types) warmed, as in any running server
    seen = []
    counts = set()
    for page in (1, 2, 3, 4, 5):
        with CaptureQueriesContext(connection) as ctx:
            body = api.get("/api/v1/visits/", {"page": page, "page_size": 5}).json()
        counts.add(len(ctx.captured_queries))
        seen += [(r["id"], r["visit_date"]) for r in body["results"]]
    assert len(seen) == 23 == len({pk for pk, _ in seen})
    assert seen == sorted(seen, key=lambda r: (r[1], r[0]), reverse=True)
    assert len(counts) == 1, f"a deep page costs more queries than the first: {counts}"
    client = login_as(Client(), office)
    shown = []
    for page in (1, 2, 3, 4, 5):
        table = client.get("/outreach/visits/", {"page": page, "per_page": 5}).context["table"]
        shown += [row.record.pk for row in table.page.object_list]
    assert len(shown) == 23 == len(set(shown)), "the list pages skipped or repeated rows"


def test_reference_tables_are_read_once_per_table_and_name_each_row(org, visits):
    made, chain_ids = visits
    office = org["office"]
    with CaptureQueriesContext(connection) as ctx:
        rows = list(visits_for(office).order_by("-visit_date", "-id")[:20])
        names = [(v.unit.name, v.chain.name if v.chain_id else "", v.company.name) for v in rows]
    assert len(rows) == 20
    # The visits, then the units, the chains and the people who entered them (the company is joined): one query
    # for each table, even the people's, whom no row here names.
    tables = [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in ctx.captured_queries][1:]  # after the scope
    assert tables == ["outreach_visit", "organizations_unit", "chains_industrychain", "organizations_user"], tables
    assert {n for n, _c, _f in names} == {org.team.name, org.other_team.name}
    assert {c for _n, c, _f in names} - {""} == {"测试链0", "测试链1"}
    # The same rows as select_related would give.
    joined = Visit.objects.filter(pk__in=[v.pk for v in rows]).select_related("unit", "chain")
    assert {v.pk: (v.unit.name, v.chain.name if v.chain_id else "") for v in joined} == {
        v.pk: (v.unit.name, v.chain.name if v.chain_id else "") for v in rows
    }
    assert chain_ids
