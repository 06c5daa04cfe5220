"""Fixtures for the leads tests: a chain to point at, people in the zone and the other county, and lead builders.

Leads go in through the services, as users would put them.
"""

import datetime
from decimal import Decimal

import pytest

from core.testing import make_person
from organizations.choices import Role

INVESTOR = "宁德时代新能源科技股份有限公司"
CONTENT = "建设年产 20GWh 动力电池生产基地，配套电池回收产线"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def chain(org):
    from chains.models import IndustryChain, IndustryCluster

    cluster = IndustryCluster.objects.create(owner=org.city, name="新能源集群")
    return IndustryChain.objects.create(cluster=cluster, name="新能源电池")


@pytest.fixture
def steel_chain(org):
    from chains.models import IndustryChain, IndustryCluster

    cluster = IndustryCluster.objects.create(owner=org.city, name="钢铁集群")
    return IndustryChain.objects.create(cluster=cluster, name="精品钢")


@pytest.fixture
def zone_staff(org):
    return make_person("zone_staff", org.zone, Role.COUNTY_STAFF, "经开区小孙")


@pytest.fixture
def other_county_staff(org):
    return make_person("ly_staff", org.other_county, Role.COUNTY_STAFF, "临猗县小周")


@pytest.fixture
def second_office(org):
    return make_person("office2", org.office, Role.OFFICE_STAFF, "招商中心小刘", role_unit=org.city)


@pytest.fixture
def make_lead(org):
    """A lead reported by a persona (default: the Beijing team's member), effective unless told otherwise."""
    from leads import services

    def make(persona="team_member", **kw):
        actor = org[persona] if isinstance(persona, str) else persona
        kw.setdefault("name", "宁德时代动力电池基地项目")
        kw.setdefault("collected_date", datetime.date.today())
        if "investor" not in kw:
            kw.setdefault("investor_name", INVESTOR)
        kw.setdefault("content", CONTENT)
        kw.setdefault("estimated_amount", Decimal("500000"))
        kw.setdefault("contact_reached", True)
        return services.create_lead(actor=actor, **kw)

    return make


@pytest.fixture
def dispatched(org, make_lead):
    """A lead the office has pushed to 盐湖区 (the county persona's county)."""
    from leads import services

    def make(unit=None, **kw):
        lead = make_lead(**kw)
        return services.assess_lead(
            actor=org["office"], lead=lead, grade="A", opinion="符合盐湖区产业布局", receiving_unit=unit or org.county
        )

    return make


@pytest.fixture
def accepted(org, dispatched):
    from leads import services

    def make(**kw):
        return services.accept_lead(actor=org["county"], lead=dispatched(**kw))

    return make


@pytest.fixture
def other_office(org):
    """Another city's office (临汾市): to it 运城's settings, pools and negative lists are strangers'."""
    return make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心小郝", role_unit=org.other_city)


OUR_POOL = "运城重点项目库"
OUR_ENTRY = "高耗能化工"


@pytest.fixture
def ours(org, chain):
    """运城's pools (the defaults and one of its own) and a negative-list entry of 盐湖区."""
    from leads import services
    from leads.choices import PoolKind

    office = org["office"]
    pool = services.save_pool(
        actor=office, owner=org.city, code="key", name=OUR_POOL, kind=PoolKind.OPEN, sort_order=15, active=True
    )
    entry = services.save_negative_list_entry(
        actor=office, unit=org.county, industry=OUR_ENTRY, keywords="电石、焦化", reason="不符合盐湖区环保要求"
    )
    return {"pool": pool, "entry": entry}
