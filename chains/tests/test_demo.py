"""The "415" demo taxonomy: ten clusters, real-sounding chains and leaders, loaded idempotently."""

from chains.demo import CLUSTER_NAMES, load_chains_demo
from chains.models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from core.models import AuditEvent
from enterprises.models import Company


def test_the_demo_has_the_ten_clusters_of_415_each_with_chains_segments_and_leaders(org):
    chains = load_chains_demo(city=org.city, actor=org["office"])
    clusters = IndustryCluster.objects.filter(owner=org.city)
    assert clusters.count() == 10 == len(CLUSTER_NAMES)
    assert {"精品钢", "碳基新材料", "铜精深加工", "先进轨道交通装备", "生物医药大健康", "特色新材料"} <= set(
        clusters.values_list("name", flat=True)
    )
    for cluster in clusters:
        assert 1 <= cluster.chains.count() <= 3, cluster
    for chain in IndustryChain.objects.filter(cluster__owner=org.city):
        for position in ("upstream", "midstream", "downstream"):
            assert 2 <= chain.segments.filter(position=position).count() <= 4, (chain, position)
        assert chain.leaders.exists(), chain
    assert set(chains) == set(IndustryChain.objects.filter(cluster__owner=org.city).values_list("name", flat=True))

    copper = chains["铜精深加工"]
    assert set(copper.segments.filter(position="midstream").values_list("name", flat=True)) == {
        "电解铜",
        "铜杆铜线",
        "铜箔",
        "铜板带",
    }
    zhongtiao = ChainLeader.objects.get(chain=copper, company__name="中条山有色金属集团有限公司")
    assert zhongtiao.get_kind_display() == "链主"
    assert zhongtiao.company.category == "chain_leader" and zhongtiao.company.city == "运城市"
    assert ChainLeader.objects.filter(chain__cluster__owner=org.city, kind="chain_core").exists()


def test_loading_the_demo_twice_creates_nothing_new(org):
    first = load_chains_demo(city=org.city, actor=org["office"])

    def snapshot():
        return (
            IndustryCluster.objects.count(),
            IndustryChain.objects.count(),
            ChainSegment.objects.count(),
            ChainLeader.objects.count(),
            Company.objects.count(),
            AuditEvent.objects.count(),
        )

    before = snapshot()
    second = load_chains_demo(city=org.city, actor=org["office"])
    assert snapshot() == before
    assert {n: c.pk for n, c in first.items()} == {n: c.pk for n, c in second.items()}


def test_the_demo_reuses_a_company_already_in_the_directory(org):
    from enterprises.services import create_company

    existing = create_company(actor=org["office"], owner=org.city, name="中车永济电机有限公司")
    chains = load_chains_demo(city=org.city, actor=org["office"])
    assert Company.objects.filter(name="中车永济电机有限公司").count() == 1
    assert ChainLeader.objects.get(chain=chains["轨道交通装备"], kind="chain_leader").company == existing


def test_the_demo_writes_through_the_services_with_an_audit_trail(org):
    load_chains_demo(city=org.city, actor=org["office"])
    events = AuditEvent.objects.filter(actor_id=org["office"].pk, action="create")
    assert events.filter(object_type="chains.industrycluster").count() == 10
    assert events.filter(object_type="chains.chainsegment").count() == ChainSegment.objects.count()
