"""The gap list (补链 / 延链): the outside companies of the missing and weak segments, furthest along first,
each linking to its company; the same on the chain's page, the gap page and the API; scope and cost."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains import selectors
from chains.choices import Progress
from core.testing import api_client_for, login_as

from .factories import chain, cluster, company, lead, project, segment, visit

pytestmark = pytest.mark.django_db

D = datetime.date
CJK = re.compile(r"[\u4e00-\u9fff]")


class Gaps:
    """A chain with a missing segment (upstream), a weak one (midstream) and a present one (downstream).

    The missing segment's outside companies are each as far along as one kind of record makes them;
    their names (A…G) do not follow that order, so the list's order can only come from the records.
    """

    def __init__(self, org):
        self.org = org
        self.chain = chain(cluster(org.city, "铜精深加工"), "铜精深加工")
        self.missing = segment(self.chain, "铜板带", "upstream")
        self.weak = segment(self.chain, "铜箔", "midstream")
        self.present = segment(self.chain, "电解铜", "downstream")
        # Who made each company as far along as it is (for the office, who sees every record).
        self.progress = {}

        never = self._outside("A Never 未接触铜材公司", self.missing)
        self.progress[never.pk] = Progress.NONE
        visited = self._outside("B Visit 走访铜材公司", self.missing)
        visit(org, visited)
        self.progress[visited.pk] = Progress.VISITED
        reported = self._outside("C Lead 线索铜材公司", self.missing)
        lead(org, "C 的线索", investor=reported)
        self.progress[reported.pk] = Progress.LEAD
        pushed = self._outside("E Pushed 推送铜材公司", self.missing)
        lead(org, "E 的线索", investor=pushed, status="dispatched", receiver=org.county)
        self.progress[pushed.pk] = Progress.LEAD_PUSHED
        accepted = self._outside("D Accepted 接收铜材公司", self.missing)
        lead(org, "D 的线索", investor=accepted, status="accepted", receiver=org.county)
        self.progress[accepted.pk] = Progress.LEAD_PUSHED
        signed = self._outside("G Signed 签约铜材公司", self.missing)
        project(org, "G 的项目", investors=[signed], stage="signed", signed_on=D(2024, 6, 1))
        self.progress[signed.pk] = Progress.SIGNED
        both = self._outside("F Signed 签约又走访公司", self.missing)
        project(org, "F 的项目", investors=[both], stage="signed", signed_on=D(2024, 7, 1))
        visit(org, both)
        self.progress[both.pk] = Progress.SIGNED
        # The weak segment: one local company (not a candidate) and one outside company, also in the gap above.
        local = company(org.city, "运城铜箔本地公司", city="运城市")
        local.segments.add(self.weak)
        self.local = local
        both.segments.add(self.weak)
        # The present segment: three local companies; its outside company is courted, but it is no gap.
        for i in range(3):
            company(org.city, f"运城电解铜{i}公司", city="运城市").segments.add(self.present)
        self.courted = self._outside("H 电解铜外地公司", self.present)

    def _outside(self, name, seg):
        made = company(self.org.city, name, city="宁波市", province="浙江省")
        made.segments.add(seg)
        return made

    def expected(self, progress=None):
        """(segment, company, progress) rows as the list must order them: gap by gap, furthest along, then name."""
        progress = progress or self.progress
        rows = []
        for seg in (self.missing, self.weak):
            companies = [c for c in seg.companies.all() if c.pk in progress]
            companies.sort(key=lambda c: (-progress[c.pk], c.name))
            rows += [(seg.name, c.name, progress[c.pk]) for c in companies]
        return rows


def rows_of(candidates):
    records = [getattr(r, "record", r) for r in candidates]  # a page's table rows, or the selector's rows
    return [(r.chainsegment.name, r.company.name, r.progress) for r in records]


def test_the_gap_candidates_are_the_outside_companies_of_missing_and_weak_segments_furthest_along_first(org):
    gaps = Gaps(org)
    chain_map = selectors.chain_map(org["office"], gaps.chain)
    assert [s.name for s in chain_map.gaps] == [gaps.missing.name, gaps.weak.name]
    got = rows_of(selectors.gap_candidates(org["office"], gaps.chain, [s.pk for s in chain_map.gaps]))
    assert got == gaps.expected()
    names = [name for _s, name, _p in got]
    assert gaps.local.name not in names and gaps.courted.name not in names
    # Signed first, then pushed or accepted, then reported, visited, never contacted.
    assert [p for _s, _n, p in got][: len(gaps.progress)] == sorted(gaps.progress.values(), reverse=True)


def test_the_gap_page_lists_them_in_that_order_each_linking_to_its_company(org):
    gaps = Gaps(org)
    client = login_as(Client(), org["leader"])
    response = client.get(reverse("chains:chain_gaps", args=[gaps.chain.pk]))
    assert response.status_code == 200
    table = response.context["table"]
    assert rows_of(table.page.object_list) == gaps.expected()
    page = response.content.decode()
    for pk in gaps.progress:
        assert reverse("enterprises:company_detail", args=[pk]) in page
    assert "已签约项目" in page and "未接触" in page


def test_the_chain_page_shows_each_gap_with_its_first_candidates_and_a_count_that_opens_them_all(org):
    gaps = Gaps(org)
    client = login_as(Client(), org["office"])
    page = client.get(gaps.chain.get_absolute_url()).content.decode()
    section = page.split('data-testid="chain-gaps"')[1].split('data-testid="chain-leaders"')[0]
    missing = section.split(f'data-segment="{gaps.missing.pk}"')[1].split('data-testid="gap"')[0]
    expected = [name for seg, name, _p in gaps.expected() if seg == gaps.missing.name]
    shown = re.findall(r'data-testid="gap-candidate"><a href="[^"]+">([^<]+)</a>', missing)
    assert shown == expected[: selectors.GAP_PREVIEW]
    count = int(re.search(r"候选企业 (\d+) 家", missing).group(1))
    url = reverse("chains:chain_gaps", args=[gaps.chain.pk]) + f"?segment={gaps.missing.pk}"
    listed = client.get(url).context["table"].page.object_list
    assert count == len(listed) == len(expected)
    assert f'data-segment="{gaps.present.pk}"' not in section


def test_the_gap_list_filters_by_segment_and_progress(org):
    gaps = Gaps(org)
    client = login_as(Client(), org["office"])
    url = reverse("chains:chain_gaps", args=[gaps.chain.pk])
    weak_rows = client.get(url, {"segment": gaps.weak.pk}).context["table"].page.object_list
    assert rows_of(weak_rows) == [r for r in gaps.expected() if r[0] == gaps.weak.name]
    signed = client.get(url, {"progress": Progress.SIGNED}).context["table"].page.object_list
    assert {r.record.company.name for r in signed} == {"G Signed 签约铜材公司", "F Signed 签约又走访公司"}
    # A present segment is no gap: asking for it lists nothing.
    assert len(client.get(url, {"segment": gaps.present.pk}).context["table"].page.object_list) == 0


def test_the_gap_api_gives_the_same_rows_and_refuses_a_segment_that_is_no_gap(org):
    gaps = Gaps(org)
    api = api_client_for(org["leader"])
    data = api.get(f"/api/v1/chains/{gaps.chain.pk}/gaps/").json()
    got = [(r["segment_name"], r["company_name"], r["progress"]) for r in data["results"]]
    assert got == gaps.expected()
    assert data["count"] == len(got)
    assert [g["id"] for g in data["gaps"]] == [gaps.missing.pk, gaps.weak.pk]
    assert data["results"][0]["company_url"] == reverse(
        "enterprises:company_detail", args=[data["results"][0]["company"]]
    )
    response = api.get(f"/api/v1/chains/{gaps.chain.pk}/gaps/", {"segment": gaps.present.pk})
    assert response.status_code == 400 and CJK.search(str(response.json()["segment"]))


def test_a_county_sees_how_far_along_from_what_it_may_open(org):
    gaps = Gaps(org)
    # The team's visits and reported lead are not the county's to open: for it those companies are untouched.
    county_view = dict(gaps.progress)
    for pk, progress in gaps.progress.items():
        if progress in (Progress.VISITED, Progress.LEAD):
            county_view[pk] = Progress.NONE
    chain_map = selectors.chain_map(org["county"], gaps.chain)
    got = rows_of(selectors.gap_candidates(org["county"], gaps.chain, [s.pk for s in chain_map.gaps]))
    assert got == gaps.expected(county_view)
    assert api_client_for(org["outsider"]).get(f"/api/v1/chains/{gaps.chain.pk}/gaps/").status_code == 404
    assert (
        login_as(Client(), org["outsider"]).get(reverse("chains:chain_gaps", args=[gaps.chain.pk])).status_code == 404
    )


def _gap_chain(org, name, n_segments, n_candidates):
    c = chain(cluster(org.city, f"{name}集群"), name)
    for i in range(n_segments):
        s = segment(c, f"{name}缺口{i:02d}", ("upstream", "midstream", "downstream")[i % 3])
        for j in range(n_candidates):
            target = company(org.city, f"{name}{i:02d}候选{j:02d}", city="杭州市")
            target.segments.add(s)
            visit(org, target)
            lead(org, f"{name}{i:02d}线索{j:02d}", investor=target, status="accepted", receiver=org.county)
            project(org, f"{name}{i:02d}项目{j:02d}", investors=[target], stage="signed", signed_on=D(2024, 1, 1))
    return c


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["office", "county"])
def test_the_gap_list_costs_the_same_queries_for_a_few_candidates_or_many(org, persona):
    small = _gap_chain(org, "小链", 3, 2)
    big = _gap_chain(org, "大链", 12, 4)
    client = login_as(Client(), org[persona])
    pages = [reverse("chains:chain_gaps", args=[c.pk]) for c in (small, big)]
    assert _queries(client, pages[0]) == _queries(client, pages[1])
    api = api_client_for(org[persona])
    assert _queries(api, f"/api/v1/chains/{small.pk}/gaps/") == _queries(api, f"/api/v1/chains/{big.pk}/gaps/")
