"""The chain API (/api/v1/clusters/, /chains/, /chain-segments/): scope, writes through services, errors, cost."""

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chains.models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from core.models import AuditEvent
from core.testing import PERSONAS, Case, api_client_for, run_matrix, statuses

from .factories import Taxonomy, chain, cluster, company, leader, segment

CLUSTERS = "/api/v1/clusters/"
CHAINS = "/api/v1/chains/"
SEGMENTS = "/api/v1/chain-segments/"
CJK = re.compile(r"[\u4e00-\u9fff]")
OFFICE_LAST = [p for p in PERSONAS if p != "office"] + ["office"]
IN_CITY = [p for p in PERSONAS if p != "outsider"]
OTHER_CITY = ["临汾煤焦化工链", "临汾焦化集群", "临汾建邦集团有限公司", "临汾焦炉煤气环节"]
OURS = ["铜精深加工", "中条山有色金属集团有限公司", "铜矿采选"]


@pytest.fixture
def tax(org):
    return Taxonomy(org)


@pytest.fixture
def office_api(org):
    return api_client_for(org["office"])


def counts():
    return (
        IndustryCluster.objects.count(),
        IndustryChain.objects.count(),
        ChainSegment.objects.count(),
        ChainLeader.objects.count(),
        AuditEvent.objects.count(),
    )


@contextmanager
def nothing_written():
    before = counts()
    yield
    assert counts() == before, "a refused request wrote something"


def assert_error_on(response, field, *fragments):
    """A 400 whose body names `field` with a Chinese message (containing each fragment)."""
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    messages = " ".join(str(m) for m in body[field])
    assert CJK.search(messages), messages
    for fragment in fragments:
        assert fragment in messages, messages


def read_only(default=403, office=200):
    return statuses(default, office=office, outsider=404)


# --- The matrix -------------------------------------------------------------------------


def test_permission_matrix_for_reading(org, tax):
    from_city = dict.fromkeys(IN_CITY, OTHER_CITY)
    cases = [
        Case(
            CLUSTERS,
            statuses(200),
            api=True,
            hidden={**from_city, "outsider": ["铜精深加工"]},
            shown={"office": ["铜精深加工"], "outsider": ["临汾焦化集群"]},
            anonymous=401,
        ),
        Case(f"{CLUSTERS}{tax.cluster.pk}/", statuses(200, outsider=404), api=True, hidden={"outsider": OURS}),
        Case(f"{CLUSTERS}{tax.other_cluster.pk}/", statuses(404, outsider=200), api=True, hidden=from_city),
        Case(
            CHAINS,
            statuses(200),
            api=True,
            hidden={**from_city, "outsider": OURS},
            shown={**dict.fromkeys(IN_CITY, OURS), "outsider": ["临汾煤焦化工链"]},
            anonymous=401,
        ),
        Case(f"{CHAINS}{tax.chain.pk}/", statuses(200, outsider=404), api=True, hidden={"outsider": OURS}),
        Case(f"{CHAINS}{tax.other_chain.pk}/", statuses(404, outsider=200), api=True, hidden=from_city),
        Case(
            SEGMENTS,
            statuses(200),
            api=True,
            hidden={**from_city, "outsider": OURS},
            shown=dict.fromkeys(IN_CITY, ["铜矿采选", "电解铜"]),
            anonymous=401,
        ),
        Case(f"{SEGMENTS}{tax.upstream.pk}/", statuses(200, outsider=404), api=True, hidden={"outsider": OURS}),
        Case(f"{SEGMENTS}{tax.other_segment.pk}/", statuses(404, outsider=200), api=True, hidden=from_city),
    ]
    run_matrix(org, cases)


def test_permission_matrix_for_writing(org, tax):
    spare = segment(tax.chain, "铜板带", "midstream")
    beifang = company(org.city, "山西北方铜业有限公司")
    cases = [
        Case(CLUSTERS, statuses(403, office=201), method="post", data={"name": "精品钢"}, api=True, anonymous=401),
        # Another city's people cannot even name our cluster: it reads as missing (400 on the field).
        Case(
            CHAINS,
            statuses(403, office=201, outsider=400),
            method="post",
            data={"cluster": tax.cluster.pk, "name": "再生铜"},
            api=True,
            hidden={"outsider": OURS},
        ),
        Case(
            SEGMENTS,
            statuses(403, office=201, outsider=400),
            method="post",
            data={"chain": tax.chain.pk, "position": "midstream", "name": "铜箔"},
            api=True,
            hidden={"outsider": OURS},
        ),
        Case(
            f"{CLUSTERS}{tax.cluster.pk}/",
            read_only(),
            method="patch",
            data={"description": "中条山铜矿"},
            api=True,
        ),
        Case(f"{CHAINS}{tax.chain.pk}/", read_only(), method="patch", data={"sort_order": 2}, api=True),
        # The audit administrator is refused any write before scope is looked at (三员分立).
        Case(
            f"{CHAINS}{tax.other_chain.pk}/",
            statuses(404, outsider=403, auditadmin=403),
            method="patch",
            data={},
            api=True,
        ),
        Case(f"{SEGMENTS}{tax.midstream.pk}/", read_only(), method="patch", data={"name": "阴极铜"}, api=True),
        Case(
            f"{CHAINS}{tax.chain.pk}/leaders/",
            read_only(office=201),
            method="post",
            data={"company": beifang.pk, "kind": "chain_core"},
            api=True,
        ),
        Case(
            f"{CHAINS}{tax.chain.pk}/remove-leader/",
            read_only(),
            method="post",
            data={"leader": tax.leader.pk},
            api=True,
        ),
        Case(f"{SEGMENTS}{spare.pk}/", read_only(office=204), method="delete", api=True),
        # PUT is not offered: every change is a PATCH through a service.
        Case(f"{CHAINS}{tax.chain.pk}/", statuses(405, auditadmin=403), method="put", data={"name": "x"}, api=True),
    ]
    run_matrix(org, cases, personas=OFFICE_LAST)
    tax.cluster.refresh_from_db()
    assert tax.cluster.description == "中条山铜矿"
    assert ChainSegment.objects.get(pk=tax.midstream.pk).name == "阴极铜"
    assert not ChainSegment.objects.filter(pk=spare.pk).exists()
    assert not ChainLeader.objects.filter(pk=tax.leader.pk).exists()
    assert ChainLeader.objects.filter(chain=tax.chain, company=beifang).exists()


# --- Writes through the services --------------------------------------------------------


def test_the_office_builds_a_chain_through_the_api(org, office_api):
    response = office_api.post(CLUSTERS, {"name": "铜精深加工", "sort_order": 3}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == org.city.pk and body["owner_name"] == "运城市" and body["chain_count"] == 0
    response = office_api.post(CHAINS, {"cluster": body["id"], "name": "铜精深加工"}, format="json")
    assert response.status_code == 201
    chain_id = response.json()["id"]
    for position, name in [("downstream", "电缆"), ("upstream", "铜矿采选"), ("midstream", "电解铜")]:
        response = office_api.post(SEGMENTS, {"chain": chain_id, "position": position, "name": name}, format="json")
        assert response.status_code == 201
        assert response.json()["cluster_name"] == "铜精深加工"
    zhongtiao = company(org.city, "中条山有色金属集团有限公司")
    response = office_api.post(f"{CHAINS}{chain_id}/leaders/", {"company": zhongtiao.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    # Segments come upstream → downstream; the leader is a 链主 by default.
    assert [s["name"] for s in body["segments"]] == ["铜矿采选", "电解铜", "电缆"]
    assert [s["position_display"] for s in body["segments"]] == ["上游", "中游", "下游"]
    assert body["leaders"] == [
        {
            "id": body["leaders"][0]["id"],
            "company": zhongtiao.pk,
            "company_name": "中条山有色金属集团有限公司",
            "kind": "chain_leader",
            "kind_display": "链主",
        }
    ]
    response = office_api.patch(f"{CHAINS}{chain_id}/", {"active": False, "description": "延链补链"}, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    audited = AuditEvent.objects.filter(actor_id=org["office"].pk, object_type__startswith="chains.")
    assert audited.count() == 7  # cluster, chain, 3 segments, leader, chain edit


def test_a_segment_is_moved_and_removed_through_the_api(org, tax, office_api):
    response = office_api.patch(f"{SEGMENTS}{tax.midstream.pk}/", {"position": "upstream"}, format="json")
    assert response.status_code == 200 and response.json()["position_display"] == "上游"
    assert office_api.delete(f"{SEGMENTS}{tax.downstream.pk}/").status_code == 204
    assert not ChainSegment.objects.filter(pk=tax.downstream.pk).exists()


def test_removing_a_segment_companies_use_is_refused_in_chinese(org, tax, office_api):
    with nothing_written():
        response = office_api.delete(f"{SEGMENTS}{tax.upstream.pk}/")
    assert_error_on(response, "non_field_errors", "不能删除", "目标企业")


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, payload, field, fragment",
    [
        (CLUSTERS, {}, "name", "必填"),
        (CLUSTERS, {"name": "铜精深加工"}, "name", "本市已有名为“铜精深加工”的产业集群"),
        (CLUSTERS, {"name": "   "}, "name", ""),
        (CLUSTERS, {"name": "精品钢", "sort_order": -1}, "sort_order", ""),
        (CLUSTERS, {"name": "精品钢", "owner": 1}, "owner", "不能在此填写"),
        (CHAINS, {"name": "再生铜"}, "cluster", "必填"),
        (CHAINS, {"cluster": 999999, "name": "再生铜"}, "cluster", "不存在，或您无权查看"),
        (CHAINS, {"cluster": "铜", "name": "再生铜"}, "cluster", "整数"),
        (SEGMENTS, {"chain": "CHAIN", "position": "sideways", "name": "铜箔"}, "position", "不是有效的环节位置"),
        (SEGMENTS, {"chain": "CHAIN", "position": "upstream", "name": "铜矿采选"}, "name", "已有名为“铜矿采选”的环节"),
        (SEGMENTS, {"chain": "OTHER", "position": "upstream", "name": "铜箔"}, "chain", "不存在，或您无权查看"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_writes_nothing(org, tax, office_api, url, payload, field, fragment):
    payload = {k: {"CHAIN": tax.chain.pk, "OTHER": tax.other_chain.pk}.get(v, v) for k, v in payload.items()}
    with nothing_written():
        response = office_api.post(url, payload, format="json")
    assert_error_on(response, field, *([fragment] if fragment else []))


@pytest.mark.parametrize(
    "payload, field, fragment",
    [
        ({"company": "OTHER"}, "company", "不存在，或您无权查看"),
        ({"company": "OURS"}, "company", "已是该产业链的链主"),
        ({"company": "NEW", "kind": "boss"}, "kind", "不是有效的类型"),
    ],
)
def test_bad_leader_input_is_refused_in_chinese(org, tax, office_api, payload, field, fragment):
    fresh = company(org.city, "山西北方铜业有限公司")
    ids = {"OTHER": tax.other_company.pk, "OURS": tax.company.pk, "NEW": fresh.pk}
    payload = {k: ids.get(v, v) for k, v in payload.items()}
    with nothing_written():
        response = office_api.post(f"{CHAINS}{tax.chain.pk}/leaders/", payload, format="json")
    assert_error_on(response, field, fragment)


def test_removing_a_leader_of_another_chain_is_refused(org, tax, office_api):
    other = leader(chain(tax.cluster, "再生铜"), company(org.city, "山西北方铜业有限公司"))
    with nothing_written():
        response = office_api.post(f"{CHAINS}{tax.chain.pk}/remove-leader/", {"leader": other.pk}, format="json")
    assert_error_on(response, "leader", "没有编号为")


def test_a_patch_cannot_move_a_chain_to_another_cluster(org, tax, office_api):
    steel = cluster(org.city, "精品钢")
    with nothing_written():
        response = office_api.patch(f"{CHAINS}{tax.chain.pk}/", {"cluster": steel.pk}, format="json")
    assert_error_on(response, "cluster", "不能在此填写或修改")


def test_malformed_bodies_and_ids_get_400_or_404_not_500(org, tax, office_api):
    response = office_api.generic("POST", CLUSTERS, "{not json", content_type="application/json")
    assert response.status_code == 400 and CJK.search(response.json()["detail"])
    assert office_api.get(f"{CHAINS}abc/").status_code == 404
    assert office_api.get(CHAINS, {"cluster": "abc"}).status_code == 400


# --- Filters --------------------------------------------------------------------------------


def test_lists_filter_by_cluster_chain_and_position(org, tax, office_api):
    steel = cluster(org.city, "精品钢", sort_order=1)
    steel_chain = chain(steel, "精品钢材")
    segment(steel_chain, "炼铁炼钢", "midstream")
    names = lambda r: [row["name"] for row in r.json()["results"]]  # noqa: E731
    assert names(office_api.get(CHAINS, {"cluster": steel.pk})) == ["精品钢材"]
    assert names(office_api.get(CHAINS)) == ["精品钢材", "铜精深加工"]
    assert names(office_api.get(SEGMENTS, {"chain": tax.chain.pk})) == ["铜矿采选", "电解铜", "新能源汽车线束"]
    assert names(office_api.get(SEGMENTS, {"position": "midstream"})) == ["炼铁炼钢", "电解铜"]
    assert names(office_api.get(SEGMENTS, {"cluster": steel.pk})) == ["炼铁炼钢"]
    assert names(office_api.get(CLUSTERS, {"q": "铜"})) == ["铜精深加工"]


def test_a_filter_never_widens_the_scope(org, tax, office_api):
    response = office_api.get(CHAINS, {"cluster": tax.other_cluster.pk})
    assert response.status_code == 400 and "临汾" not in response.content.decode()
    response = office_api.get(SEGMENTS, {"chain": tax.other_chain.pk})
    assert response.status_code == 400 and "临汾" not in response.content.decode()


# --- Cost -----------------------------------------------------------------------------------


def _grow(org, n, start):
    for i in range(start, start + n):
        c = cluster(org.city, f"集群{i:03d}", sort_order=i + 10)
        ch = chain(c, f"产业链{i:03d}")
        for position in ("upstream", "midstream", "downstream"):
            segment(ch, f"{position}{i:03d}", position)
        leader(ch, company(org.city, f"链主企业{i:03d}"))
        leader(ch, company(org.city, f"链核企业{i:03d}"), kind="chain_core")


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("url", [CLUSTERS, CHAINS, SEGMENTS])
@pytest.mark.parametrize("persona", ["office", "team_member"])
def test_api_lists_cost_a_fixed_number_of_queries(org, tax, url, persona):
    client = api_client_for(org[persona])
    _grow(org, 3, 0)
    few, few_count = _list_queries(client, url)
    _grow(org, 40, 3)
    many, many_count = _list_queries(client, url)
    assert many_count > few_count
    assert many == few, f"{url}: {few} queries for {few_count} rows, {many} for {many_count}"
