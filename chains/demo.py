"""Demo taxonomy for 运城: the "415" ten industrial clusters, their chains, segments and chain leaders.

Seeds 000 and 001 name the "415"十大工业产业集群 and the "合汽生材" landmark (合成生物、
新能源汽车、生物医药、新材料); seed 000 names the teams' chains (北京: 精品钢、碳基新材料;
杭州: 新材料、先进轨道交通装备、铜精深加工; 深圳: 生物医药大健康、特色新材料、先进轨道交通).
The rest is plausible demo data: chain-leader companies are well-known 运城 enterprises or
invented local names, entered in the directory as 链主/链核.

Loading is idempotent: clusters, chains, segments and companies are matched by name, so
running it again creates nothing new and changes nothing already there. Every write goes
through the services, so the demo leaves the same audit trail a user would.

`load_chain_map_demo` runs after the leads and projects demos: it gives the 铜精深加工 chain
segments that are present, weak and missing, targets for its gaps and its "六个一".
"""

from django.db import transaction

from enterprises.models import Company
from enterprises.services import create_company, find_matches, update_company

from . import services
from .choices import LeaderKind
from .models import ChainLeader, ChainSegment, IndustryChain, IndustryCluster

UP, MID, DOWN = "upstream", "midstream", "downstream"
LEAD, CORE = LeaderKind.CHAIN_LEADER, LeaderKind.CHAIN_CORE

# cluster name, description,
#   [(chain name, description, {position: [segments]}, [(company, kind, industry, the segment it works in)])]
CLUSTERS = [
    (
        "精品钢",
        "“415”工业产业集群之一：依托闻喜、河津钢铁基地，发展高端板材、特种钢和钢材深加工。北京招商组重点对接。",
        [
            (
                "精品钢材",
                "由铁矿、焦炭到高端板材、特钢和用钢制品的全链条。",
                {
                    UP: ["铁矿石采选", "焦炭及煤焦化", "废钢回收加工"],
                    MID: ["炼铁炼钢", "热轧卷板", "特种钢冶炼"],
                    DOWN: ["汽车用钢", "建筑钢结构", "机械装备用钢"],
                },
                [
                    ("山西建龙实业有限公司", LEAD, "黑色金属冶炼", "炼铁炼钢"),
                    ("运城华鑫特钢有限公司", CORE, "特种钢冶炼", "特种钢冶炼"),
                ],
            ),
        ],
    ),
    (
        "铝镁新材料",
        "“415”工业产业集群之一：氧化铝、电解铝到铝镁合金精深加工和轻量化部件。",
        [
            (
                "铝工业",
                "氧化铝—电解铝—铝合金—铝材精深加工。",
                {
                    UP: ["铝土矿开采", "氧化铝"],
                    MID: ["电解铝", "铝合金铸造", "铝板带箔"],
                    DOWN: ["汽车轻量化部件", "建筑铝型材", "包装铝箔"],
                },
                [("山西华圣铝业有限公司", LEAD, "有色金属冶炼", "电解铝")],
            ),
            (
                "镁及镁合金",
                "金属镁冶炼到镁合金压铸件。",
                {
                    UP: ["白云石开采", "金属镁冶炼"],
                    MID: ["镁合金", "镁合金压铸"],
                    DOWN: ["汽车镁合金部件", "3C电子镁合金外壳"],
                },
                [("山西闻喜银光镁业集团有限公司", LEAD, "有色金属冶炼", "金属镁冶炼")],
            ),
        ],
    ),
    (
        "铜精深加工",
        "“415”工业产业集群之一：依托中条山铜矿资源，延伸电解铜、铜箔、铜板带等精深加工。杭州招商组重点对接。",
        [
            (
                "铜精深加工",
                "铜矿采选 → 粗铜冶炼 → 电解铜 → 铜杆铜线、铜箔、铜板带 → 电子电器、新能源汽车线束、电缆。",
                {
                    UP: ["铜矿采选", "粗铜冶炼"],
                    MID: ["电解铜", "铜杆铜线", "铜箔", "铜板带"],
                    DOWN: ["电子电器", "新能源汽车线束", "电缆"],
                },
                [
                    ("中条山有色金属集团有限公司", LEAD, "有色金属矿采选", "铜矿采选"),
                    ("山西北方铜业有限公司", CORE, "有色金属冶炼", "粗铜冶炼"),
                    ("运城华铜新材料科技有限公司", CORE, "铜材加工", "铜箔"),
                ],
            ),
        ],
    ),
    (
        "碳基新材料",
        "“415”工业产业集群之一：由煤焦化延伸到针状焦、碳纤维、石墨和锂电负极材料。北京招商组重点对接。",
        [
            (
                "煤焦化工及碳材料",
                "焦化副产品高值化利用，发展碳基新材料。",
                {
                    UP: ["原煤洗选", "煤焦油", "焦炉煤气"],
                    MID: ["针状焦", "碳纤维原丝", "石墨电极"],
                    DOWN: ["锂电负极材料", "碳纤维复合材料", "特种石墨制品"],
                },
                [
                    ("河津市永鑫碳材料有限公司", LEAD, "炭素制品", "针状焦"),
                    ("运城晋碳新材料科技有限公司", CORE, "碳纤维", "碳纤维原丝"),
                ],
            ),
        ],
    ),
    (
        "特色新材料",
        "“415”工业产业集群之一：印刷版辊、光电玻璃和显示材料等特色新材料。深圳招商组重点对接。",
        [
            (
                "印刷版辊及精密制造",
                "凹版印刷版辊的制版、雕刻到包装印刷应用。",
                {
                    UP: ["无缝钢管", "镀铜镀铬材料"],
                    MID: ["电子雕刻版辊", "激光雕刻版"],
                    DOWN: ["软包装印刷", "装饰材料印刷"],
                },
                [("运城制版集团有限公司", LEAD, "印刷制版", "电子雕刻版辊")],
            ),
            (
                "光电玻璃及显示材料",
                "超薄玻璃、3D玻璃热弯到车载智能显示（运城经开区电子信息产业园）。",
                {
                    UP: ["高纯石英砂", "超薄玻璃原片"],
                    MID: ["3D玻璃热弯", "触摸屏模组"],
                    DOWN: ["车载智能显示", "消费电子"],
                },
                [("运城安源光电科技有限公司", CORE, "光电显示", "3D玻璃热弯")],
            ),
        ],
    ),
    (
        "新能源汽车及零部件",
        "“415”工业产业集群之一，“合汽生材”之“汽”：整车制造带动电池、电机电控和零部件配套。",
        [
            (
                "新能源整车",
                "以整车为龙头，补齐三电和汽车电子。",
                {
                    UP: ["动力电池材料", "电机电控"],
                    MID: ["动力电池", "车身及底盘", "汽车电子"],
                    DOWN: ["整车制造", "充换电服务"],
                },
                [("大运汽车股份有限公司", LEAD, "汽车制造", "整车制造")],
            ),
            (
                "汽车零部件",
                "面向整车配套和售后市场的零部件。",
                {
                    UP: ["铝镁合金压铸件", "汽车用钢材"],
                    MID: ["制动系统", "汽车轮毂", "汽车线束"],
                    DOWN: ["整车配套", "汽车后市场"],
                },
                [("运城中鑫汽车零部件有限公司", CORE, "汽车零部件", "汽车轮毂")],
            ),
        ],
    ),
    (
        "先进轨道交通装备",
        "“415”工业产业集群之一：牵引电机、转向架、制动系统到整车集成与运维。杭州、深圳招商组重点对接。",
        [
            (
                "轨道交通装备",
                "以牵引电机为核心的轨道交通装备配套。",
                {
                    UP: ["特种钢材", "铝合金型材", "电子元器件"],
                    MID: ["牵引电机", "转向架", "制动系统", "车体"],
                    DOWN: ["整车集成", "运维检修"],
                },
                [
                    ("中车永济电机有限公司", LEAD, "轨道交通装备", "牵引电机"),
                    ("运城恒通轨道装备有限公司", CORE, "轨道交通装备", "转向架"),
                ],
            ),
        ],
    ),
    (
        "生物医药大健康",
        "“415”工业产业集群之一，“合汽生材”之“生”：化学药、中医药和大健康。深圳招商组重点对接。",
        [
            (
                "化学原料药及制剂",
                "医药中间体、原料药到制剂和医药流通。",
                {
                    UP: ["医药中间体", "化学原料药"],
                    MID: ["制剂生产", "医药包装"],
                    DOWN: ["医药流通", "医疗服务"],
                },
                [("亚宝药业集团股份有限公司", LEAD, "医药制造", "制剂生产")],
            ),
            (
                "中医药",
                "道地药材种植、饮片和中成药到康养。",
                {
                    UP: ["中药材种植", "中药饮片加工"],
                    MID: ["中成药", "中药提取物"],
                    DOWN: ["大健康产品", "康养服务"],
                },
                [("运城康宁中药材科技有限公司", CORE, "中药材", "中药饮片加工")],
            ),
        ],
    ),
    (
        "合成生物",
        "“415”工业产业集群之一，“合汽生材”之“合”：以玉米等生物质为原料的生物制造。",
        [
            (
                "合成生物制造",
                "糖源、菌种到发酵、分离纯化和生物基产品。",
                {
                    UP: ["玉米淀粉及糖源", "菌种研发"],
                    MID: ["发酵生产", "分离纯化"],
                    DOWN: ["生物基材料", "食品添加剂", "生物医药中间体"],
                },
                [("运城合生生物科技有限公司", LEAD, "生物制造", "发酵生产")],
            ),
        ],
    ),
    (
        "绿色食品",
        "“415”工业产业集群之一：果品、面食和肉食精深加工（临猗示范区三大产业链）。",
        [
            (
                "果品深加工",
                "以康顺达为龙头的水果深加工产业链。",
                {
                    UP: ["苹果种植", "果品冷链仓储"],
                    MID: ["浓缩果汁", "果脯果干", "果酒果醋"],
                    DOWN: ["商超零售", "跨境电商出口"],
                },
                [("临猗县康顺达果业有限公司", LEAD, "农副食品加工", "浓缩果汁")],
            ),
            (
                "肉食品加工",
                "以丰源牧业为龙头的肉食产业链。",
                {
                    UP: ["饲料生产", "生猪肉牛养殖"],
                    MID: ["屠宰分割", "熟肉制品"],
                    DOWN: ["冷链配送", "餐饮供应"],
                },
                [("临猗县丰源牧业有限公司", LEAD, "畜牧业", "生猪肉牛养殖")],
            ),
            (
                "面食糕点",
                "以国峰面粉厂为龙头的面食糕点产业链。",
                {
                    UP: ["小麦种植", "面粉加工"],
                    MID: ["速冻面食", "烘焙糕点"],
                    DOWN: ["商超零售", "团餐供应"],
                },
                [("临猗县国峰面粉有限公司", LEAD, "农副食品加工", "面粉加工")],
            ),
        ],
    ),
]

CLUSTER_NAMES = [name for name, _d, _c in CLUSTERS]


def _company(*, actor, city, name, kind, industry, segment):
    """The directory's company of that name, entered as 链主/链核 of 运城 if it is not there yet.

    A company already in the directory is used as it is: the demo never rewrites real entries.
    """
    found = find_matches(owner=city, name=name)
    if found:
        return found[0]
    return create_company(
        actor=actor,
        owner=city,
        name=name,
        category=str(kind),
        province="山西省",
        city="运城市",
        industry=industry,
        segments=[segment] if segment is not None else [],
    )


@transaction.atomic
def load_chains_demo(*, city, actor):
    """Load the "415" clusters for `city` as `actor` (office staff of that city); return {chain name: chain}."""
    chains = {}
    for c_order, (cluster_name, cluster_desc, chain_specs) in enumerate(CLUSTERS, start=1):
        cluster = IndustryCluster.objects.filter(owner=city, name=cluster_name).first()
        if cluster is None:
            cluster = services.create_cluster(
                actor=actor, owner=city, name=cluster_name, description=cluster_desc, sort_order=c_order
            )
        for ch_order, (chain_name, chain_desc, segments, leaders) in enumerate(chain_specs, start=1):
            chain = IndustryChain.objects.filter(cluster=cluster, name=chain_name).first()
            if chain is None:
                chain = services.create_chain(
                    actor=actor, cluster=cluster, name=chain_name, description=chain_desc, sort_order=ch_order
                )
            existing = set(ChainSegment.objects.filter(chain=chain).values_list("name", flat=True))
            for position, names in segments.items():
                for s_order, segment_name in enumerate(names, start=1):
                    if segment_name not in existing:
                        services.add_segment(
                            actor=actor, chain=chain, position=position, name=segment_name, sort_order=s_order
                        )
            by_name = {seg.name: seg for seg in ChainSegment.objects.filter(chain=chain)}
            for company_name, kind, industry, segment_name in leaders:
                company = _company(
                    actor=actor,
                    city=city,
                    name=company_name,
                    kind=kind,
                    industry=industry,
                    segment=by_name.get(segment_name),
                )
                if not ChainLeader.objects.filter(chain=chain, company=company).exists():
                    services.add_chain_leader(actor=actor, chain=chain, company=company, kind=kind)
            chains[chain_name] = chain
    return chains


def demo_leader_companies(city):
    """The demo's chain-leader companies in `city`'s directory (for other demos and tests)."""
    names = [lead[0] for _c, _d, specs in CLUSTERS for _n, _cd, _s, leaders in specs for lead in leaders]
    return Company.objects.filter(owner=city, name__in=names)


# --- The chain map and "六个一" of one chain (issue 8): 铜精深加工 --------------------------------------
#
# Loaded after the outreach, leads and projects demos, whose copper companies (the 杭州 team's
# 铜业 / 铜箔科技 / 精密铜材 contacts in 杭州、宁波、台州) become the targets of the chain's gaps,
# so the gap list shows them in the order the records put them: signed, pushed, reported, visited.

MAP_CHAIN = "铜精深加工"
# Local companies added so that two segments are present (有): (name, 所在城市, industry, segment names).
MAP_LOCAL_COMPANIES = [
    ("垣曲县中条铜矿采选有限公司", "垣曲县", "有色金属矿采选", ["铜矿采选"]),
    ("闻喜县铜源矿业有限公司", "闻喜县", "有色金属矿采选", ["铜矿采选"]),
    ("垣曲县华晟电解铜有限公司", "垣曲县", "有色金属冶炼", ["电解铜"]),
    ("运城中鑫铜业有限公司", "运城市", "有色金属冶炼", ["电解铜"]),
]
# The directory's existing entries also working in a segment: (name, segment names).
MAP_EXISTING_SEGMENTS = [("山西北方铜业有限公司", ["粗铜冶炼", "电解铜"])]
# Which of the directory's outside companies court which segment, by the words of their names.
MAP_TARGET_WORDS = [("铜箔", "铜箔"), ("精密铜材", "铜板带"), ("铜业", "粗铜冶炼")]
# A target nobody has contacted yet, for a downstream segment the city lacks (延链).
MAP_NEW_TARGETS = [("苏州汇通汽车线束有限公司", "江苏省", "苏州市", "汽车零部件", "新能源汽车线束")]
MAP_PROMOTION = {"leader_name": "赵文斌", "leader_title": "垣曲县人民政府副县长", "team": "YC-T-HZ"}
MAP_POLICY_TITLE = "运城市支持铜精深加工产业链高质量发展若干措施（演示）"
# A one-page PDF: the policy package's demo file (the checks accept it as a PDF by its first bytes).
MAP_POLICY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _target_segment(name, by_name):
    for word, segment_name in MAP_TARGET_WORDS:
        if word in name:
            return by_name[segment_name]
    return None


@transaction.atomic
def load_chain_map_demo(*, city, actor):
    """Give the demo's copper chain segments that are present, weak and missing, targets for its gaps, and its
    "六个一" (链长, team, 链主, one policy document). Idempotent: a chain whose "六个一" exists is left as it is.

    Writes through the services (company, lead and project edits by the office), so the trail is a user's.
    Returns the chain, or None when the taxonomy demo is not loaded.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leads.models import Lead
    from leads.services import update_lead
    from organizations.models import Unit
    from projects.models import Project
    from projects.services import update_project

    from .models import ChainPromotion
    from .selectors import Locality

    chain = IndustryChain.objects.filter(cluster__owner=city, name=MAP_CHAIN).select_related("cluster__owner").first()
    if chain is None or ChainPromotion.objects.filter(chain=chain).exists():
        return chain
    by_name = {seg.name: seg for seg in ChainSegment.objects.filter(chain=chain)}
    for name, place, industry, segment_names in MAP_LOCAL_COMPANIES:
        if not find_matches(owner=city, name=name):
            create_company(
                actor=actor,
                owner=city,
                name=name,
                category="supply_chain",
                province="山西省",
                city=place,
                industry=industry,
                segments=[by_name[s] for s in segment_names],
            )
    for name, segment_names in MAP_EXISTING_SEGMENTS:
        for company in find_matches(owner=city, name=name)[:1]:
            current = list(company.segments.all())
            wanted = current + [by_name[s] for s in segment_names if by_name[s] not in current]
            update_company(actor=actor, company=company, segments=wanted)
    for name, province, place, industry, segment_name in MAP_NEW_TARGETS:
        if not find_matches(owner=city, name=name):
            create_company(
                actor=actor,
                owner=city,
                name=name,
                category="supply_chain",
                province=province,
                city=place,
                industry=industry,
                segments=[by_name[segment_name]],
            )
    # The 杭州 team's copper contacts: outside companies of the directory, tagged with the segment they work in.
    located = Locality(actor, city).located_q()
    outside = Company.objects.filter(owner=city, merged_into__isnull=True, name__contains="铜").exclude(located)
    tagged = {}
    for company in outside.exclude(segments__chain=chain).order_by("id"):
        segment = _target_segment(company.name, by_name)
        if segment is not None:
            update_company(actor=actor, company=company, segments=[*company.segments.all(), segment])
            tagged[company.pk] = segment
    # Their leads and projects on this chain now name the segment too, so the map counts them there.
    for lead in Lead.objects.filter(chain=chain, investor_id__in=list(tagged), segment__isnull=True).order_by("id"):
        update_lead(actor=actor, lead=lead, segment=tagged[lead.investor_id])
    for project in Project.objects.filter(chain=chain, segment__isnull=True).prefetch_related("investors"):
        segment = next((tagged[i.pk] for i in project.investors.all() if i.pk in tagged), None)
        if segment is not None:
            update_project(actor=actor, project=project, segment=segment)
    leader = ChainLeader.objects.filter(chain=chain, kind=LeaderKind.CHAIN_LEADER).order_by("id").first()
    services.set_chain_promotion(
        actor=actor,
        chain=chain,
        leader_name=MAP_PROMOTION["leader_name"],
        leader_title=MAP_PROMOTION["leader_title"],
        team=Unit.objects.filter(code=MAP_PROMOTION["team"]).first(),
        chain_leader=leader,
    )
    services.add_policy_document(
        actor=actor,
        chain=chain,
        title=MAP_POLICY_TITLE,
        file=SimpleUploadedFile("铜精深加工产业链支持政策.pdf", MAP_POLICY_PDF, content_type="application/pdf"),
    )
    return chain
