"""Small builders for the chain tests: straight into the database (the services are tested on their own)."""

import datetime

from chains.models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster
from enterprises.identity import normalize_company_name
from enterprises.models import Company


def cluster(owner, name="铜精深加工", **extra):
    return IndustryCluster.objects.create(owner=owner, name=name, **extra)


def chain(cluster_, name="铜精深加工", **extra):
    return IndustryChain.objects.create(cluster=cluster_, name=name, **extra)


def segment(chain_, name, position="midstream", **extra):
    return ChainSegment.objects.create(chain=chain_, name=name, position=position, **extra)


def company(owner, name, **extra):
    return Company.objects.create(owner=owner, name=name, normalized_name=normalize_company_name(name), **extra)


def leader(chain_, company_, kind="chain_leader"):
    return ChainLeader.objects.create(chain=chain_, company=company_, kind=kind)


class Taxonomy:
    """运城's copper chain with a segment, a company in it and a leader; 临汾's own chain beside it."""

    def __init__(self, org):
        self.cluster = cluster(org.city, "铜精深加工", sort_order=3)
        self.chain = chain(self.cluster, "铜精深加工")
        self.upstream = segment(self.chain, "铜矿采选", "upstream")
        self.midstream = segment(self.chain, "电解铜", "midstream")
        self.downstream = segment(self.chain, "新能源汽车线束", "downstream")
        self.company = company(org.city, "中条山有色金属集团有限公司", category="chain_leader")
        self.company.segments.add(self.upstream)
        self.leader = leader(self.chain, self.company)
        # Another city's taxonomy: nobody in 运城 may see it.
        self.other_cluster = cluster(org.other_city, "临汾焦化集群")
        self.other_chain = chain(self.other_cluster, "临汾煤焦化工链")
        self.other_segment = segment(self.other_chain, "临汾焦炉煤气环节", "upstream")
        self.other_company = company(org.other_city, "临汾建邦集团有限公司")
        self.other_leader = leader(self.other_chain, self.other_company)


# --- Records that the map and the gaps count: leads, projects, visits ----------------------------------

_serial = iter(range(1, 10**9))


def _key():
    return f"k{next(_serial)}"


def pool(owner):
    from leads.models import LeadPool

    found, _ = LeadPool.objects.get_or_create(owner=owner, code="collected", defaults={"name": "线索库"})
    return found


def lead(org, name, *, investor=None, segment=None, chain_=None, status="reported", reporter=None, receiver=None):
    """A lead of 运城 reported by `reporter` (default: the Beijing team), pushed to `receiver` if given."""
    from leads.models import Lead

    if segment is not None and chain_ is None:
        chain_ = segment.chain
    return Lead.objects.create(
        owner=org.city,
        reporting_unit=reporter or org.team,
        receiving_unit=receiver,
        name=name,
        collected_date=datetime.date(2025, 3, 1),
        pool=pool(org.city),
        investor=investor,
        chain=chain_,
        segment=segment,
        status=status,
        dedupe_key=_key(),
    )


def project(
    org, name, *, investors=(), segment=None, chain_=None, host=None, stage="negotiating", amount=None, **dates
):
    """A project of 运城 hosted by `host` (default: 盐湖区, the county persona's), with the dates given."""
    from projects.models import Project

    if segment is not None and chain_ is None:
        chain_ = segment.chain
    made = Project.objects.create(
        owner=org.city,
        host_unit=host or org.county,
        name=name,
        chain=chain_,
        segment=segment,
        stage=stage,
        verified_stage=stage,
        total_investment=amount,
        dedupe_key=_key(),
        **dates,
    )
    made.investors.set(investors)
    return made


def visit(org, company_, unit=None):
    """A visit to `company_` by `unit` (default: the Beijing team)."""
    from outreach.models import Visit

    return Visit.objects.create(
        unit=unit or org.team,
        visit_date=datetime.date(2025, 2, 1),
        company=company_,
        content="推介运城产业集群",
        dedupe_key=_key(),
    )
