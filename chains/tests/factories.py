"""Small builders for the chain tests: straight into the database (the services are tested on their own)."""

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
