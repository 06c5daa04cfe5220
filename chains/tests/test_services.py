"""The chain services: office-only edits, Chinese refusals that write nothing, audit records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chains import selectors, services
from chains.models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from core.models import AuditEvent

from .factories import Taxonomy, chain, cluster, company, segment


@pytest.fixture
def tax(org):
    return Taxonomy(org)


def counts():
    return (
        IndustryCluster.objects.count(),
        IndustryChain.objects.count(),
        ChainSegment.objects.count(),
        ChainLeader.objects.count(),
        AuditEvent.objects.count(),
    )


def assert_rejected(call, field=None, text=None, exc=ValidationError):
    before = counts()
    with pytest.raises(exc) as info:
        call()
    assert counts() == before, "a rejected change must write nothing"
    if field is not None:
        assert field in info.value.message_dict, info.value
    if text is not None:
        messages = info.value.messages if exc is ValidationError else [str(info.value)]
        assert text in " ".join(messages), messages
    return info.value


def last_event(obj_type):
    return AuditEvent.objects.filter(object_type=obj_type).order_by("-id").first()


# --- Clusters and chains --------------------------------------------------------------


def test_the_office_creates_a_cluster_for_its_city_with_an_audit_record(org):
    office = org["office"]
    created = services.create_cluster(actor=office, name="  碳基 新材料 ", description="焦化延伸", sort_order=4)
    assert created.owner == org.city and created.name == "碳基 新材料"
    event = last_event("chains.industrycluster")
    assert event.action == "create" and event.actor_id == office.pk and event.after["name"] == "碳基 新材料"


@pytest.mark.parametrize("persona", ["team_leader", "team_member", "county", "leader", "auditadmin", "outsider"])
def test_only_the_office_may_create_a_cluster(org, persona):
    assert_rejected(
        lambda: services.create_cluster(actor=org[persona], owner=org.city, name="精品钢"),
        exc=PermissionDenied,
        text="招商中心",
    )


def test_a_duplicate_cluster_name_gets_a_chinese_message_not_an_integrity_error(org, tax):
    assert_rejected(
        lambda: services.create_cluster(actor=org["office"], name="铜精深加工"), field="name", text="已有名为"
    )
    other = cluster(org.city, "精品钢")
    assert_rejected(
        lambda: services.update_cluster(actor=org["office"], cluster=other, name="铜精深加工"),
        field="name",
        text="已有名为",
    )


def test_the_same_cluster_name_is_fine_in_another_city(org, tax):
    other = services.create_cluster(actor=org["office"], name="临汾焦化集群")
    assert other.owner == org.city


@pytest.mark.parametrize(
    "changes, field",
    [({"name": "  "}, "name"), ({"name": "长" * 101}, "name"), ({"sort_order": -1}, "sort_order")],
)
def test_bad_cluster_input_names_the_field(org, tax, changes, field):
    assert_rejected(lambda: services.update_cluster(actor=org["office"], cluster=tax.cluster, **changes), field=field)


def test_a_cluster_edit_is_audited_with_before_and_after(org, tax):
    services.update_cluster(actor=org["office"], cluster=tax.cluster, description="中条山铜矿", active=False)
    tax.cluster.refresh_from_db()
    assert tax.cluster.description == "中条山铜矿" and not tax.cluster.active
    event = last_event("chains.industrycluster")
    assert event.before == {"description": "", "active": True}
    assert event.after == {"description": "中条山铜矿", "active": False}


def test_a_cluster_owner_cannot_be_changed_by_an_update(org, tax):
    assert_rejected(
        lambda: services.update_cluster(actor=org["office"], cluster=tax.cluster, owner=org.other_city),
        text="不能在此修改",
    )


def test_another_citys_office_cannot_touch_our_clusters(org, tax):
    from core.testing import make_person
    from organizations.choices import Role

    linfen_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF)
    assert_rejected(
        lambda: services.update_cluster(actor=linfen_office, cluster=tax.cluster, name="改名"), exc=PermissionDenied
    )
    assert_rejected(
        lambda: services.create_chain(actor=linfen_office, cluster=tax.cluster, name="新链"), exc=PermissionDenied
    )


def test_the_office_creates_and_edits_a_chain(org, tax):
    office = org["office"]
    created = services.create_chain(actor=office, cluster=tax.cluster, name="再生铜", sort_order=2)
    assert created.cluster == tax.cluster and created.active
    services.update_chain(actor=office, chain=created, name="再生铜利用", active=False, sort_order=5)
    created.refresh_from_db()
    assert (created.name, created.active, created.sort_order) == ("再生铜利用", False, 5)
    assert AuditEvent.objects.filter(object_type="chains.industrychain", object_id=str(created.pk)).count() == 2


def test_a_duplicate_chain_name_in_the_same_cluster_is_refused(org, tax):
    assert_rejected(
        lambda: services.create_chain(actor=org["office"], cluster=tax.cluster, name="铜精深加工"),
        field="name",
        text="该产业集群中已有",
    )


@pytest.mark.parametrize("persona", ["team_member", "county", "leader", "department"])
def test_readers_cannot_change_a_chain(org, tax, persona):
    assert_rejected(
        lambda: services.update_chain(actor=org[persona], chain=tax.chain, name="改名"), exc=PermissionDenied
    )


# --- Segments -------------------------------------------------------------------------


def test_the_office_adds_moves_and_removes_a_segment(org, tax):
    office = org["office"]
    seg = services.add_segment(actor=office, chain=tax.chain, position="midstream", name="铜箔", sort_order=3)
    services.update_segment(actor=office, segment=seg, position="downstream", name="锂电铜箔")
    seg.refresh_from_db()
    assert (seg.position, seg.name) == ("downstream", "锂电铜箔")
    services.remove_segment(actor=office, segment=seg)
    assert not ChainSegment.objects.filter(pk=seg.pk).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="chains.chainsegment", object_id=str(seg.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize("position", ["", "上游", "sideways", None])
def test_a_segment_position_must_be_one_of_the_three(org, tax, position):
    assert_rejected(
        lambda: services.add_segment(actor=org["office"], chain=tax.chain, position=position, name="铜箔"),
        field="position",
        text="上游、中游或下游",
    )


def test_a_duplicate_segment_name_in_a_chain_is_refused(org, tax):
    assert_rejected(
        lambda: services.add_segment(actor=org["office"], chain=tax.chain, position="upstream", name="铜矿采选"),
        field="name",
        text="已有名为“铜矿采选”的环节",
    )


def test_a_segment_with_companies_cannot_be_removed_and_says_why(org, tax):
    error = assert_rejected(lambda: services.remove_segment(actor=org["office"], segment=tax.upstream))
    assert "1 条目标企业" in " ".join(error.messages) and "不能删除" in " ".join(error.messages)
    assert ChainSegment.objects.filter(pk=tax.upstream.pk).exists()


def test_a_team_member_cannot_remove_a_segment(org, tax):
    assert_rejected(
        lambda: services.remove_segment(actor=org["team_member"], segment=tax.downstream), exc=PermissionDenied
    )


def test_an_out_of_scope_segment_is_refused_like_a_missing_one(org, tax):
    assert_rejected(
        lambda: services.update_segment(actor=org["office"], segment=tax.other_segment, name="x"),
        exc=PermissionDenied,
        text="未找到",
    )


# --- Chain leaders --------------------------------------------------------------------


def test_the_office_names_a_chain_core_and_removes_it(org, tax):
    beifang = company(org.city, "山西北方铜业有限公司")
    added = services.add_chain_leader(actor=org["office"], chain=tax.chain, company=beifang, kind="chain_core")
    assert added.get_kind_display() == "链核"
    assert last_event("chains.chainleader").after == {
        "chain": tax.chain.pk,
        "company": beifang.pk,
        "kind": "chain_core",
    }
    services.remove_chain_leader(actor=org["office"], leader=added)
    assert not ChainLeader.objects.filter(pk=added.pk).exists()
    assert last_event("chains.chainleader").action == "delete"


def test_a_company_cannot_lead_the_same_chain_twice(org, tax):
    assert_rejected(
        lambda: services.add_chain_leader(actor=org["office"], chain=tax.chain, company=tax.company, kind="chain_core"),
        field="company",
        text="已是该产业链的链主",
    )


def test_a_company_of_another_city_cannot_lead_our_chain(org, tax):
    assert_rejected(
        lambda: services.add_chain_leader(actor=org["office"], chain=tax.chain, company=tax.other_company),
        field="company",
        text="不存在，或您无权查看",
    )


def test_a_bad_leader_kind_is_refused(org, tax):
    beifang = company(org.city, "山西北方铜业有限公司")
    assert_rejected(
        lambda: services.add_chain_leader(actor=org["office"], chain=tax.chain, company=beifang, kind="boss"),
        field="kind",
        text="链主或链核",
    )


def test_a_merged_company_cannot_be_named_a_leader(org, tax):
    merged = company(org.city, "中条山有色（旧）", merged_into=tax.company)
    assert_rejected(
        lambda: services.add_chain_leader(actor=org["office"], chain=tax.chain, company=merged),
        field="company",
        text="已合并",
    )


def test_the_county_cannot_name_a_leader(org, tax):
    beifang = company(org.city, "山西北方铜业有限公司")
    assert_rejected(
        lambda: services.add_chain_leader(actor=org["county"], chain=tax.chain, company=beifang),
        exc=PermissionDenied,
    )


# --- Selectors ------------------------------------------------------------------------


def test_chain_choices_offer_active_chains_in_cluster_then_chain_order(org, tax):
    steel = cluster(org.city, "精品钢", sort_order=1)
    b = chain(steel, "精品钢材B", sort_order=2)
    a = chain(steel, "精品钢材A", sort_order=1)
    chain(steel, "已停用的链", active=False)
    dormant = cluster(org.city, "停用集群", active=False)
    chain(dormant, "停用集群下的链")
    names = [c.name for c in selectors.chain_choices(org["team_member"])]
    assert names == [a.name, b.name, "铜精深加工"]
    assert selectors.chain_label(a) == "精品钢 · 精品钢材A"
    assert list(selectors.chain_choices(org["outsider"])) == [tax.other_chain]


def test_segment_choices_run_upstream_to_downstream(org, tax):
    segment(tax.chain, "铜箔", "midstream", sort_order=9)
    names = [s.name for s in selectors.segment_choices(org["county"])]
    assert names == ["铜矿采选", "电解铜", "铜箔", "新能源汽车线束"]
    assert selectors.segment_label(tax.upstream) == "铜精深加工 · 上游 · 铜矿采选"
    assert tax.other_segment not in selectors.segment_choices(org["office"])
