"""The chain pages as each persona meets them: the permission matrix, forms, bad input, query budgets."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains.models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from core.models import AuditEvent
from core.testing import PERSONAS, Case, login_as, run_matrix, statuses

from .factories import Taxonomy, chain, cluster, company, leader, segment

# Writes succeed for the office only; run it last so the others meet the records unchanged.
OFFICE_LAST = [p for p in PERSONAS if p != "office"] + ["office"]
OTHER_CITY = ["临汾煤焦化工链", "临汾焦化集群", "临汾建邦集团有限公司", "临汾焦炉煤气环节"]
OURS = ["铜精深加工", "中条山有色金属集团有限公司"]
IN_CITY = [p for p in PERSONAS if p != "outsider"]


def u(name, *args):
    return reverse(f"chains:{name}", args=args)


@pytest.fixture
def tax(org):
    return Taxonomy(org)


def office_client(org):
    return login_as(Client(), org["office"])


def counts():
    return (
        IndustryCluster.objects.count(),
        IndustryChain.objects.count(),
        ChainSegment.objects.count(),
        ChainLeader.objects.count(),
        AuditEvent.objects.count(),
    )


def read_only(default=403, office=200):
    """Readers in the city get `default` (403 for a change page); another city's people a 404."""
    return statuses(default, office=office, outsider=404)


def test_permission_matrix_for_the_read_pages(org, tax):
    hidden_from_city = dict.fromkeys(IN_CITY, OTHER_CITY)
    cases = [
        Case(
            u("chain_list"),
            statuses(200),
            hidden={**hidden_from_city, "outsider": OURS},
            shown={**dict.fromkeys(IN_CITY, [*OURS, "铜矿采选", "新能源汽车线束"]), "outsider": ["临汾煤焦化工链"]},
            anonymous=302,
        ),
        Case(
            u("cluster_list"),
            statuses(200),
            hidden={**hidden_from_city, "outsider": ["铜精深加工"]},
            shown={"office": ["铜精深加工"], "outsider": ["临汾焦化集群"]},
            anonymous=302,
        ),
        Case(
            u("chain_detail", tax.chain.pk),
            statuses(200, outsider=404),
            hidden={**hidden_from_city, "outsider": OURS},
            shown=dict.fromkeys(IN_CITY, ["铜矿采选", "电解铜", "新能源汽车线束", "中条山有色金属集团有限公司"]),
            anonymous=302,
        ),
        Case(u("chain_detail", tax.other_chain.pk), statuses(404, outsider=200), hidden=hidden_from_city),
        Case(u("chain_detail", 999999), statuses(404)),
    ]
    run_matrix(org, cases)


def test_permission_matrix_for_the_change_pages(org, tax):
    beifang = company(org.city, "山西北方铜业有限公司")
    spare = segment(tax.chain, "铜板带", "midstream")
    cases = [
        # Pages that belong to no object: the office's role decides.
        Case(u("cluster_create"), statuses(403, office=200), anonymous=302),
        Case(u("chain_create"), statuses(403, office=200), anonymous=302),
        Case(u("cluster_create"), statuses(403, office=302), method="post", data={"name": "精品钢", "active": "on"}),
        Case(
            u("chain_create"),
            statuses(403, office=302),
            method="post",
            data={"cluster": tax.cluster.pk, "name": "再生铜", "active": "on"},
        ),
        # Pages on an object: 404 out of scope, 403 in scope but not theirs to change.
        Case(u("cluster_edit", tax.cluster.pk), read_only(), hidden={"outsider": OURS}),
        Case(
            u("cluster_edit", tax.cluster.pk),
            read_only(office=302),
            method="post",
            data={"name": "铜精深加工", "description": "中条山", "active": "on"},
        ),
        Case(u("cluster_edit", tax.other_cluster.pk), statuses(404, outsider=403)),
        Case(u("chain_edit", tax.chain.pk), read_only()),
        Case(
            u("chain_edit", tax.chain.pk),
            read_only(office=302),
            method="post",
            data={"name": "铜精深加工", "sort_order": 1, "active": "on"},
        ),
        Case(u("chain_edit", tax.other_chain.pk), statuses(404, outsider=403)),
        Case(u("segment_add", tax.chain.pk), read_only()),
        Case(
            u("segment_add", tax.chain.pk),
            read_only(office=302),
            method="post",
            data={"position": "midstream", "name": "铜箔"},
        ),
        Case(u("segment_edit", tax.midstream.pk), read_only()),
        Case(
            u("segment_edit", tax.midstream.pk),
            read_only(office=302),
            method="post",
            data={"position": "midstream", "name": "电解铜"},
        ),
        Case(u("segment_edit", tax.other_segment.pk), statuses(404, outsider=403)),
        Case(u("segment_remove", spare.pk), read_only()),
        Case(u("segment_remove", spare.pk), read_only(office=302), method="post", data={}),
        Case(u("leader_add", tax.chain.pk), read_only(), hidden={"office": ["临汾建邦集团有限公司"]}),
        Case(u("leader_company_options", tax.chain.pk), read_only(), hidden={"office": ["临汾建邦集团有限公司"]}),
        Case(
            u("leader_add", tax.chain.pk),
            read_only(office=302),
            method="post",
            data={"company": beifang.pk, "kind": "chain_core"},
        ),
        Case(u("leader_remove", tax.chain.pk, tax.leader.pk), read_only()),
        Case(u("leader_remove", tax.chain.pk, tax.leader.pk), read_only(office=302), method="post", data={}),
        # A leader of another chain cannot be reached through ours (readers stop at the chain: 403).
        Case(u("leader_remove", tax.chain.pk, tax.other_leader.pk), read_only(office=404)),
        Case(u("leader_add", tax.other_chain.pk), statuses(404, outsider=403)),
    ]
    run_matrix(org, cases, personas=OFFICE_LAST)
    assert IndustryCluster.objects.filter(owner=org.city, name="精品钢").exists()
    assert IndustryChain.objects.filter(cluster=tax.cluster, name="再生铜").exists()
    assert ChainSegment.objects.filter(chain=tax.chain, name="铜箔").exists()
    assert not ChainSegment.objects.filter(pk=spare.pk).exists()
    assert ChainLeader.objects.filter(chain=tax.chain, company=beifang, kind="chain_core").exists()
    assert not ChainLeader.objects.filter(pk=tax.leader.pk).exists()


def test_the_office_builds_a_chain_through_the_pages_and_sees_it_upstream_to_downstream(org):
    client = office_client(org)
    response = client.post(u("cluster_create"), {"name": "铜精深加工", "sort_order": 3, "active": "on"})
    copper = IndustryCluster.objects.get(name="铜精深加工")
    assert response.status_code == 302 and response["Location"] == f"{u('chain_list')}?cluster={copper.pk}"
    assert copper.owner == org.city
    response = client.post(u("chain_create"), {"cluster": copper.pk, "name": "铜精深加工", "active": "on"})
    built = IndustryChain.objects.get(cluster=copper)
    assert response["Location"] == built.get_absolute_url()
    for position, name in [
        ("upstream", "铜矿采选"),
        ("midstream", "电解铜"),
        ("midstream", "铜箔"),
        ("downstream", "电缆"),
    ]:
        assert client.post(u("segment_add", built.pk), {"position": position, "name": name}).status_code == 302
    foil = ChainSegment.objects.get(name="铜箔")
    for i in range(7):
        company(org.city, f"铜箔企业{i:02d}").segments.add(foil)
    zhongtiao = company(org.city, "中条山有色金属集团有限公司")
    response = client.post(u("leader_add", built.pk), {"company": zhongtiao.pk, "kind": "chain_leader"})
    assert response.status_code == 302

    page = client.get(built.get_absolute_url()).content.decode()
    upstream, midstream, downstream = (
        page.split('data-testid="column-upstream"')[1].split('data-testid="column-midstream"')[0],
        page.split('data-testid="column-midstream"')[1].split('data-testid="column-downstream"')[0],
        page.split('data-testid="column-downstream"')[1].split('data-testid="chain-leaders"')[0],
    )
    assert "上游" in upstream and "铜矿采选" in upstream and "电解铜" not in upstream
    assert "中游" in midstream and "电解铜" in midstream and "铜箔" in midstream
    assert "下游" in downstream and "电缆" in downstream
    # Seven companies, none of them in 运城: seven targets, the first five names, and how many more.
    assert 'data-testid="target-count">7<' in midstream and 'data-testid="local-count">0<' in midstream
    assert "铜箔企业04" in midstream and "铜箔企业05" not in midstream
    assert "另有 2 家" in midstream
    leaders = page.split('data-testid="chain-leaders"')[1]
    assert "链主" in leaders and "中条山有色金属集团有限公司" in leaders


def test_readers_see_no_edit_links_on_a_chain(org, tax):
    page = login_as(Client(), org["team_member"]).get(tax.chain.get_absolute_url()).content.decode()
    assert u("chain_edit", tax.chain.pk) not in page and u("segment_add", tax.chain.pk) not in page
    page = office_client(org).get(tax.chain.get_absolute_url()).content.decode()
    assert u("chain_edit", tax.chain.pk) in page and u("segment_remove", tax.upstream.pk) in page


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("cluster_create", {"name": "铜精深加工"}, "本市已有名为“铜精深加工”的产业集群"),
        ("cluster_create", {"name": ""}, "该字段是必填项"),
        ("cluster_create", {"name": "精品钢", "sort_order": "-1"}, "大于或等于0"),
        ("chain_create", {"name": "新链"}, "该字段是必填项"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(org, tax, name, data, message):
    client = office_client(org)  # signing in is audited too: count after it
    before = counts()
    response = client.post(u(name), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_a_duplicate_chain_name_is_shown_on_the_chain_form(org, tax):
    client = office_client(org)  # signing in is audited too: count after it
    before = counts()
    response = client.post(u("chain_create"), {"cluster": tax.cluster.pk, "name": "铜精深加工"})
    assert "该产业集群中已有名为“铜精深加工”的产业链" in response.content.decode()
    assert counts() == before


def test_a_bad_segment_position_is_refused_on_the_form(org, tax):
    client = office_client(org)  # signing in is audited too: count after it
    before = counts()
    response = client.post(u("segment_add", tax.chain.pk), {"position": "sideways", "name": "铜箔"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert counts() == before


def test_removing_a_segment_that_companies_use_shows_why_and_keeps_it(org, tax):
    response = office_client(org).post(u("segment_remove", tax.upstream.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "仍被 1 条目标企业 引用，不能删除" in body
    assert ChainSegment.objects.filter(pk=tax.upstream.pk).exists()


def test_a_company_of_another_city_cannot_be_picked_as_a_leader(org, tax):
    client = office_client(org)  # signing in is audited too: count after it
    before = counts()
    response = client.post(u("leader_add", tax.chain.pk), {"company": tax.other_company.pk, "kind": "chain_leader"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert counts() == before


def test_naming_the_same_leader_twice_is_refused_on_the_form(org, tax):
    client = office_client(org)  # signing in is audited too: count after it
    before = counts()
    response = client.post(u("leader_add", tax.chain.pk), {"company": tax.company.pk, "kind": "chain_core"})
    assert "已是该产业链的链主" in response.content.decode()
    assert counts() == before


def test_the_leader_picker_searches_the_citys_directory(org, tax):
    company(org.city, "山西北方铜业有限公司", credit_code="91140000MA0000000X")
    company(org.city, "运城制版集团有限公司")
    client = office_client(org)
    body = client.get(u("leader_company_options", tax.chain.pk), {"q": "北方"}).content.decode()
    assert "山西北方铜业有限公司" in body and "运城制版集团有限公司" not in body
    body = client.get(u("leader_company_options", tax.chain.pk), {"q": "91140000MA0000000X"}).content.decode()
    assert "山西北方铜业有限公司" in body
    # A company already leading this chain is not offered again.
    body = client.get(u("leader_company_options", tax.chain.pk)).content.decode()
    assert "运城制版集团有限公司" in body and "中条山有色金属集团有限公司" not in body
    body = client.get(u("leader_company_options", tax.chain.pk), {"q": "建邦"}).content.decode()
    assert "临汾建邦集团有限公司" not in body and "没有找到匹配的企业" in body
    # The form's select keeps a picked company offered even when the short list would not show it.
    form_page = client.post(u("leader_add", tax.chain.pk), {"company": tax.company.pk, "kind": "chain_leader"})
    assert "中条山有色金属集团有限公司" in form_page.content.decode()


def test_the_chain_list_groups_chains_under_their_cluster_and_filters(org, tax):
    steel = cluster(org.city, "精品钢", sort_order=1)
    chain(steel, "精品钢材")
    client = login_as(Client(), org["county"])
    page = client.get(u("chain_list")).content.decode()
    assert page.count('data-testid="cluster-group"') == 2
    assert page.index("精品钢材") < page.index("铜矿采选")  # cluster order: 精品钢 (1) before 铜精深加工 (3)
    page = client.get(u("chain_list"), {"cluster": steel.pk}).content.decode()
    assert "精品钢材" in page and "铜矿采选" not in page
    page = client.get(u("chain_list"), {"q": "线束"}).content.decode()
    assert "铜精深加工" in page and "精品钢材" not in page
    partial = client.get(u("chain_list"), {"q": "精品"}, headers={"HX-Request": "true"}).content.decode()
    assert "精品钢材" in partial and "<html" not in partial
    # Another city's cluster is not offered in the filter, and asking for it shows nothing.
    response = client.get(u("chain_list"), {"cluster": tax.other_cluster.pk})
    assert "临汾煤焦化工链" not in response.content.decode()


def test_the_chain_list_is_paginated_by_chain(org, tax):
    for i in range(30):
        chain(tax.cluster, f"测试链{i:02d}")
    page = login_as(Client(), org["leader"]).get(u("chain_list")).content.decode()
    assert "共 31 条" in page and "page=2" in page


def _grow(org, n):
    for i in range(n):
        c = cluster(org.city, f"集群{i:03d}", sort_order=i + 10)
        ch = chain(c, f"产业链{i:03d}")
        for position in ("upstream", "midstream", "downstream"):
            seg = segment(ch, f"{position}{i:03d}", position)
            company(org.city, f"企业{position}{i:03d}").segments.add(seg)
        leader(ch, company(org.city, f"链主企业{i:03d}"))


@pytest.mark.parametrize("name", ["chain_list", "cluster_list"])
def test_list_pages_keep_a_fixed_query_count_as_data_grows(org, tax, name, django_assert_max_num_queries):
    client = office_client(org)
    url = u(name)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(org, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_chain_page_keeps_a_fixed_query_count_as_segments_and_companies_grow(
    org, tax, django_assert_max_num_queries
):
    client = login_as(Client(), org["team_member"])
    url = tax.chain.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(12):
        seg = segment(tax.chain, f"新增环节{i:02d}", ("upstream", "midstream", "downstream")[i % 3])
        for j in range(8):
            company(org.city, f"环节{i:02d}企业{j}").segments.add(seg)
        leader(tax.chain, company(org.city, f"链核企业{i:02d}"), kind="chain_core")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
