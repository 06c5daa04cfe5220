"""The chain map (招商图谱): segment states from companies built by hand, counts that equal the lists they link
to, scope (a county counts only what it may open), and the cost of the map for 3 segments or 12."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains import selectors
from chains.choices import SegmentState
from core.testing import api_client_for, login_as, make_person

from .factories import Taxonomy, chain, cluster, company, lead, leader, project, segment, visit

pytestmark = pytest.mark.django_db

D = datetime.date
PRESENT, WEAK, MISSING = SegmentState.PRESENT, SegmentState.WEAK, SegmentState.MISSING
# The counts of a segment and the key of the link each one carries (chains.selectors.segment_list_urls).
COUNT_LINKS = {
    "company_count": "companies",
    "local_count": "local",
    "producing_count": "producing",
    "target_count": "targets",
    "lead_count": "leads",
    "project_count": "projects",
}


def test_the_state_rule_missing_weak_present():
    assert selectors.segment_state(local=0, producing=0, threshold=3) == MISSING
    assert selectors.segment_state(local=2, producing=2, threshold=3) == WEAK
    assert selectors.segment_state(local=3, producing=0, threshold=3) == WEAK
    assert selectors.segment_state(local=3, producing=1, threshold=3) == PRESENT
    assert selectors.segment_state(local=2, producing=1, threshold=2) == PRESENT


def test_the_threshold_comes_from_the_settings(settings):
    settings.ZS_CHAIN_WEAK_BELOW = 5
    assert selectors.segment_state(local=4, producing=4) == WEAK
    assert selectors.segment_state(local=5, producing=1) == PRESENT
    assert "少于 5 家" in selectors.state_rule()


class Built:
    """A copper chain whose segments are present, weak and missing for reasons built one by one.

    Companies are "located" when their 所在城市 is 运城 (either spelling) or one of its counties; others
    become local only through a project in 运城 that started (not one only signed, nor one terminated).
    """

    def __init__(self, org):
        self.org = org
        self.cluster = cluster(org.city, "铜精深加工")
        self.chain = chain(self.cluster, "铜精深加工")
        seg = {}
        for position, name in [
            ("upstream", "铜矿采选"),  # three located companies: present
            ("upstream", "粗铜冶炼"),  # two located, one outside: weak (fewer than 3)
            ("midstream", "电解铜"),  # three outside companies with started projects, none producing: weak
            ("midstream", "铜箔"),  # three outside with started projects, one producing: present
            ("downstream", "铜板带"),  # signed-only, terminated, plain outside, a merged local entry: missing
            ("downstream", "电缆"),  # nobody: missing
        ]:
            seg[name] = segment(self.chain, name, position)
        self.seg = seg
        self.local = {name: [] for name in seg}
        self.targets = {name: [] for name in seg}
        self.producing = {name: [] for name in seg}

        for i, place in enumerate(["运城市", "运城", "盐湖区"]):
            self._add("铜矿采选", f"运城铜矿{i}公司", local=True, producing=True, city=place)
        self._add("粗铜冶炼", "运城冶炼甲公司", local=True, producing=True, city="运城市")
        self._add("粗铜冶炼", "临猗冶炼乙公司", local=True, producing=True, city="临猗县")
        self._add("粗铜冶炼", "杭州冶炼丙公司", local=False, city="杭州市")
        for i in range(3):
            c = self._add("电解铜", f"宁波电解铜{i}公司", local=True, city="宁波市")
            project(
                org, f"电解铜项目{i}", investors=[c], stage="started", signed_on=D(2024, 1, 1), started_on=D(2024, 5, 1)
            )
        for i in range(3):
            c = self._add("铜箔", f"台州铜箔{i}公司", local=True, producing=i == 0, city="台州市")
            dates = {"signed_on": D(2024, 1, 1), "started_on": D(2024, 3, 1)}
            if i == 0:
                dates["producing_on"] = D(2024, 12, 1)
            project(org, f"铜箔项目{i}", investors=[c], stage="producing" if i == 0 else "started", **dates)
        signed_only = self._add("铜板带", "苏州铜板带签约公司", local=False, city="苏州市")
        project(org, "铜板带签约项目", investors=[signed_only], stage="signed", signed_on=D(2024, 6, 1))
        stopped = self._add("铜板带", "无锡铜板带终止公司", local=False, city="无锡市")
        project(
            org,
            "铜板带终止项目",
            investors=[stopped],
            stage="terminated",
            signed_on=D(2023, 1, 1),
            started_on=D(2023, 3, 1),
        )
        self._add("铜板带", "常州铜板带公司", local=False, city="常州市")
        survivor = company(org.city, "运城铜板带新公司", city="运城市")
        merged = company(org.city, "运城铜板带旧公司", city="运城市", merged_into=survivor)
        merged.segments.add(seg["铜板带"])  # a merged entry is no longer a company of the directory

    def _add(self, segment_name, name, *, local, producing=False, **fields):
        c = company(self.org.city, name, **fields)
        c.segments.add(self.seg[segment_name])
        (self.local if local else self.targets)[segment_name].append(c)
        if producing:
            self.producing[segment_name].append(c)
        return c

    def expected_state(self, name):
        return selectors.segment_state(local=len(self.local[name]), producing=len(self.producing[name]))


def by_name(chain_map):
    return {s.name: s for s in chain_map.segments}


def test_segment_states_follow_the_rule_from_companies_built_by_hand(org):
    built = Built(org)
    segments = by_name(selectors.chain_map(org["office"], built.chain))
    expected = {
        "铜矿采选": PRESENT,
        "粗铜冶炼": WEAK,
        "电解铜": WEAK,
        "铜箔": PRESENT,
        "铜板带": MISSING,
        "电缆": MISSING,
    }
    assert {name: s.state for name, s in segments.items()} == expected
    for name, s in segments.items():
        assert s.state == built.expected_state(name)
        assert s.local_count == len(built.local[name]), name
        assert s.producing_count == len(built.producing[name]), name
        assert s.target_count == len(built.targets[name]), name
        assert s.company_count == len(built.local[name]) + len(built.targets[name]), name
    assert {c["name"] for c in segments["铜板带"].target_sample} == {c.name for c in built.targets["铜板带"]}
    assert [p["position"] for p in selectors.chain_map(org["office"], built.chain).as_data()["positions"]] == [
        "upstream",
        "midstream",
        "downstream",
    ]


def test_the_page_shows_each_segments_state_and_the_rule(org):
    built = Built(org)
    page = login_as(Client(), org["leader"]).get(built.chain.get_absolute_url()).content.decode()
    assert 'data-testid="state-rule"' in page and "少于 3 家" in page
    for name, s in built.seg.items():
        row = page.split(f'id="segment-{s.pk}"')[1].split("</tr>")[0]
        assert f'data-state="{built.expected_state(name).value}"' in row
    # The diagram reads its data from the page (no inline script): one json_script block and the static files.
    assert 'id="chain-map-data"' in page and "js/chain_map.js" in page and "echarts.min.js" in page
    assert "<script>" not in page


def _records(org, built):
    """Leads and projects in the segments, some the county may open and some it may not."""
    seg = built.seg
    foil_target = built.targets["粗铜冶炼"][0]
    lead(org, "团队报送的冶炼线索", investor=foil_target, segment=seg["粗铜冶炼"])
    lead(org, "推送给盐湖区的冶炼线索", segment=seg["粗铜冶炼"], status="accepted", receiver=org.county)
    lead(org, "盐湖区小分队报送的铜箔线索", segment=seg["铜箔"], reporter=org.squad)
    lead(org, "推送给临猗县的铜箔线索", segment=seg["铜箔"], status="dispatched", receiver=org.other_county)
    project(org, "盐湖区的电缆项目", segment=seg["电缆"], host=org.county)
    project(org, "临猗县的电缆项目", segment=seg["电缆"], host=org.other_county)
    # A company local only through a project the county cannot open (it is hosted in 临猗县).
    hidden = company(org.city, "杭州临猗落地公司", city="杭州市")
    hidden.segments.add(seg["电缆"])
    project(
        org,
        "临猗县已开工项目",
        investors=[hidden],
        host=org.other_county,
        stage="started",
        signed_on=D(2024, 1, 1),
        started_on=D(2024, 2, 1),
    )
    return hidden


def _list_size(client, url):
    """How many records the list at `url` holds (its table's paginator), checking the page shows them all."""
    response = client.get(url)
    assert response.status_code == 200, url
    table = response.context["table"]
    rows = list(table.page.object_list)
    assert table.page.paginator.count == len(rows), "keep the test's lists on one page"
    return len(rows)


@pytest.mark.parametrize("persona", ["office", "leader", "county", "team_member"])
def test_every_count_on_the_map_equals_the_size_of_the_list_its_link_opens(org, persona):
    built = Built(org)
    _records(org, built)
    user = org[persona]
    client = login_as(Client(), user)
    chain_map = selectors.chain_map(user, built.chain)
    checked = 0
    for s in chain_map.segments:
        for attr, key in COUNT_LINKS.items():
            assert getattr(s, attr) == _list_size(client, s.urls[key]), (persona, s.name, key)
            checked += 1
    assert checked == len(built.seg) * len(COUNT_LINKS)
    # The page links exactly these lists.
    page = client.get(built.chain.get_absolute_url()).content.decode()
    for s in chain_map.segments:
        for key in s.urls.values():
            assert key.replace("&", "&amp;") in page


def test_a_county_counts_only_what_it_may_open(org):
    built = Built(org)
    hidden = _records(org, built)
    office = by_name(selectors.chain_map(org["office"], built.chain))
    county = by_name(selectors.chain_map(org["county"], built.chain))
    # Leads: the office sees the team's and both pushed ones; the county the one it accepted and its squad's.
    assert (office["粗铜冶炼"].lead_count, county["粗铜冶炼"].lead_count) == (2, 1)
    assert (office["铜箔"].lead_count, county["铜箔"].lead_count) == (2, 1)
    # Projects: the county opens its own, not 临猗县's.
    assert (office["电缆"].project_count, county["电缆"].project_count) == (2, 1)
    # The company that landed through 临猗县's project is local for the office, a target for the county.
    assert office["电缆"].local_count == 1 and office["电缆"].state == WEAK
    assert county["电缆"].local_count == 0 and county["电缆"].state == MISSING
    assert [c["name"] for c in county["电缆"].target_sample] == [hidden.name]
    # The county's page shows its figures, and never the names of records it cannot open.
    page = login_as(Client(), org["county"]).get(built.chain.get_absolute_url()).content.decode()
    row = page.split(f'id="segment-{built.seg["电缆"].pk}"')[1].split("</tr>")[0]
    assert 'data-testid="project-count">1<' in row and 'data-testid="local-count">0<' in row
    for name in ("临猗县的电缆项目", "临猗县已开工项目", "团队报送的冶炼线索", "推送给临猗县的铜箔线索"):
        assert name not in page


def test_another_citys_people_cannot_open_the_map_or_its_lists(org):
    tax = Taxonomy(org)
    client = login_as(Client(), org["outsider"])
    assert client.get(tax.chain.get_absolute_url()).status_code == 404
    assert client.get(reverse("chains:segment_companies", args=[tax.upstream.pk])).status_code == 404
    assert api_client_for(org["outsider"]).get(f"/api/v1/chains/{tax.chain.pk}/map/").status_code == 404
    # Their own city's chain opens; nothing of 运城's shows on it.
    page = client.get(tax.other_chain.get_absolute_url()).content.decode()
    assert "临汾焦炉煤气环节" in page and "中条山" not in page


def test_the_map_api_gives_the_same_figures_and_links(org):
    built = Built(org)
    _records(org, built)
    for persona in ("office", "county"):
        data = api_client_for(org[persona]).get(f"/api/v1/chains/{built.chain.pk}/map/").json()
        expected = selectors.chain_map(org[persona], built.chain)
        assert data["threshold"] == 3 and "少于 3 家" in data["rule"]
        assert [s["id"] for s in data["segments"]] == [s.pk for s in expected.segments]
        for got, s in zip(data["segments"], expected.segments, strict=True):
            assert got["state"] == s.state and got["state_label"] == s.state.label
            for attr in COUNT_LINKS:
                assert got[attr] == getattr(s, attr)
            assert got["urls"] == s.urls


def test_the_segment_company_list_says_which_are_local_and_how_far_along(org):
    built = Built(org)
    target = built.targets["粗铜冶炼"][0]
    visit(org, target)
    client = login_as(Client(), org["office"])
    url = reverse("chains:segment_companies", args=[built.seg["粗铜冶炼"].pk])
    page = client.get(url, {"local": "false"}).content.decode()
    assert target.name in page and "已走访" in page and "运城冶炼甲公司" not in page
    page = client.get(url, {"local": "true"}).content.decode()
    assert "运城冶炼甲公司" in page and "临猗冶炼乙公司" in page and target.name not in page


def _grow_chain(org, name, n_segments):
    """A chain of `n_segments` segments, each with local and outside companies, a leader, leads, projects, visits."""
    c = chain(cluster(org.city, f"{name}集群"), name)
    positions = ("upstream", "midstream", "downstream")
    for i in range(n_segments):
        s = segment(c, f"{name}环节{i:02d}", positions[i % 3])
        for j in range(3):
            local = company(org.city, f"{name}{i:02d}本地{j}", city="运城市")
            local.segments.add(s)
        for j in range(3):
            outside = company(org.city, f"{name}{i:02d}外地{j}", city="杭州市")
            outside.segments.add(s)
            visit(org, outside)
            lead(org, f"{name}{i:02d}线索{j}", investor=outside, segment=s, status="accepted", receiver=org.county)
            project(
                org,
                f"{name}{i:02d}项目{j}",
                investors=[outside],
                segment=s,
                stage="signed",
                signed_on=D(2024, 1, 1),
                amount=Decimal("10000"),
            )
        leader(c, local, kind="chain_core")
    return c


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["office", "county"])
def test_the_map_costs_the_same_queries_for_3_segments_or_12(org, persona):
    small = _grow_chain(org, "小链", 3)
    big = _grow_chain(org, "大链", 12)
    client = login_as(Client(), org[persona])
    assert _queries(client, small.get_absolute_url()) == _queries(client, big.get_absolute_url())
    api = api_client_for(org[persona])
    assert _queries(api, f"/api/v1/chains/{small.pk}/map/") == _queries(api, f"/api/v1/chains/{big.pk}/map/")


def test_the_segment_company_list_costs_the_same_queries_for_few_or_many_companies(org):
    few = _grow_chain(org, "小链", 1)
    many = _grow_chain(org, "大链", 1)
    for j in range(12):
        more = company(org.city, f"大链追加{j:02d}", city="深圳市")
        more.segments.add(many.segments.get())
        visit(org, more)
    client = login_as(Client(), org["office"])
    urls = [reverse("chains:segment_companies", args=[c.segments.get().pk]) for c in (few, many)]
    assert _queries(client, urls[0]) == _queries(client, urls[1])


def test_a_person_without_a_role_in_the_city_gets_nothing(org):
    tax = Taxonomy(org)
    nobody = make_person("nobody", org.city)
    assert login_as(Client(), nobody).get(tax.chain.get_absolute_url()).status_code == 404
