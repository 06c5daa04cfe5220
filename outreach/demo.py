"""Demo outreach ledgers: a year (2022) of the seven city teams' work, from seed 000.

Seed 000 reports, by the time of its writing in early November 2022, that the stationed
teams had visited 781 companies; the 百日大会战 ran from September to December. The demo
has the seven teams visit exactly 781 distinct companies, universities and chambers in
their regions and chains between January and early November 2022, invite some of them to
inspect, hold promotion events, and the counties' heads lead outbound trips.

Deterministic (one seeded random generator) and idempotent: a second run adds nothing.
Rows are bulk-inserted for speed; one audit record describes the load.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from stdnum.cn import uscc

from core import audit
from core.models import AuditAction
from enterprises.choices import CompanyCategory, CompanyKind, CompanySize
from enterprises.identity import normalize_company_name
from enterprises.models import Company, Contact
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit, User

from .choices import VisitWay
from .keys import inspection_key, visit_key
from .models import Inspection, OutboundTrip, PromotionEvent, Stationing, Visit

DEMO_SEED = 781
YEAR = 2022
VISITED_COMPANIES = 781  # seed 000
LAST_DAY = datetime.date(YEAR, 11, 4)  # "截至发稿日", early November 2022

# Where each team works: (city, province) pairs, and words of its focus chains (seed 000).
TEAM_REGIONS = {
    "YC-T-BJ": ([("北京", "北京市"), ("天津", "天津市"), ("石家庄", "河北省"), ("唐山", "河北省")], ["钢", "碳基"]),
    "YC-T-SH": ([("上海", "上海市"), ("苏州", "江苏省"), ("嘉兴", "浙江省")], ["汽车", "装备", "新材料"]),
    "YC-T-HZ": ([("杭州", "浙江省"), ("宁波", "浙江省"), ("台州", "浙江省")], ["铜", "轨道", "新材料"]),
    "YC-T-CD": ([("成都", "四川省"), ("重庆", "重庆市"), ("绵阳", "四川省")], ["医药", "食品", "生物"]),
    "YC-T-SZ": ([("深圳", "广东省"), ("东莞", "广东省"), ("惠州", "广东省")], ["医药", "新材料", "轨道"]),
    "YC-T-NJ": ([("南京", "江苏省"), ("常州", "江苏省"), ("无锡", "江苏省")], ["新材料", "汽车", "铝镁"]),
    "YC-T-GZ": ([("广州", "广东省"), ("佛山", "广东省"), ("中山", "广东省")], ["汽车", "食品", "合成"]),
}
UNIVERSITIES = {
    "YC-T-BJ": ["北京科技大学", "北京化工大学", "中国科学院过程工程研究所", "天津大学"],
    "YC-T-SH": ["上海交通大学", "同济大学", "华东理工大学", "苏州大学"],
    "YC-T-HZ": ["浙江大学", "浙江工业大学", "宁波大学", "中国科学院宁波材料技术与工程研究所"],
    "YC-T-CD": ["四川大学", "西南交通大学", "重庆大学", "电子科技大学"],
    "YC-T-SZ": ["深圳大学", "南方科技大学", "中国科学院深圳先进技术研究院", "哈尔滨工业大学（深圳）"],
    "YC-T-NJ": ["南京大学", "东南大学", "南京工业大学", "江南大学"],
    "YC-T-GZ": ["华南理工大学", "中山大学", "广东工业大学", "暨南大学"],
}
CHAMBERS = {
    "YC-T-BJ": ["中关村产业技术联盟联合会", "北京山西企业商会"],
    "YC-T-SH": ["上海市山西商会", "长三角新能源汽车产业联盟"],
    "YC-T-HZ": ["浙江省山西商会", "杭州市有色金属行业协会"],
    "YC-T-CD": ["四川省山西商会", "成都生物医药产业促进会"],
    "YC-T-SZ": ["深圳企业家联合会", "深圳市战新产业协会"],
    "YC-T-NJ": ["江苏省山西商会", "南京新材料产业协会"],
    "YC-T-GZ": ["广东省山西商会", "佛山市汽车零部件行业协会"],
}
BRAND = (
    "华鑫 中联 恒信 瑞丰 金泰 宏达 新锐 博远 天成 汇通 盛世 东方 长青 凯越 联创 "
    "正泰 远航 科瑞 海川 鼎盛 嘉禾 明阳 祥和 永鑫 立信 晨光 众诚 华夏 德润 锦程"
).split()
TRADE = {
    "钢": ["精密钢材", "特钢制品", "钢结构"],
    "碳基": ["碳材料", "石墨烯科技", "碳纤维"],
    "铜": ["铜业", "精密铜材", "铜箔科技"],
    "轨道": ["轨道交通装备", "轨道科技", "机车配件"],
    "新材料": ["新材料科技", "先进材料", "功能材料"],
    "汽车": ["汽车零部件", "新能源汽车科技", "汽车电子"],
    "装备": ["智能装备", "重工机械", "自动化设备"],
    "医药": ["生物医药", "制药", "医疗器械"],
    "食品": ["食品", "农产品加工", "饮品"],
    "生物": ["生物科技", "生物工程", "酶制剂"],
    "铝镁": ["铝业", "镁合金", "轻合金材料"],
    "合成": ["合成生物科技", "生物基材料", "发酵科技"],
}
SURNAMES = "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗".split()
GIVEN = "伟 芳 娜 敏 静 磊 洋 勇 军 杰 涛 明 超 霞 平 刚 强 华 丽 鹏 晨 宇 浩 婷 斌".split()
TITLES = ["董事长", "总经理", "副总经理", "投资总监", "战略发展部总监", "项目经理", "秘书长", "副院长", "科技处处长"]
CONTENTS = [
    "推介运城“415”产业集群和招商政策，了解企业产能布局和扩张计划。",
    "介绍运城区位、要素成本和园区平台，企业对在运设立生产基地表示兴趣。",
    "对接产业链上下游配套需求，交流运城链主企业合作可能。",
    "了解企业技术成果转化意向，商谈与运城企业共建研发中心。",
    "回访企业，跟进前期对接项目进展，邀请企业来运实地考察。",
    "参加商会活动，推介运城营商环境，收集会员企业投资信息。",
]
INTENTIONS = ["有明确投资意向", "有合作意向，待考察", "暂无投资计划", "意向扩产，正在选址", "", "愿意牵线上下游企业"]
NEXT_STEPS = ["邀请来运考察", "持续跟踪", "报送线索，提请研判", "对接县区提供选址方案", "寄送招商资料", ""]
PLACES = ["运城经开区", "盐湖区", "永济市", "河津市", "临猗县", "闻喜县", "绛县", "芮城县", "空港经济开发区"]
RESULTS = ["达成初步合作意向", "签署框架协议", "进一步洽谈选址", "企业将组织技术团队二次考察", "形成项目建议书"]


def _person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _credit_code(rng, province_code):
    body = "91" + province_code + "".join(rng.choice("0123456789") for _ in range(2))
    body += "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


PROVINCE_CODES = {
    "北京市": "1100",
    "天津市": "1200",
    "河北省": "1301",
    "上海市": "3100",
    "江苏省": "3201",
    "浙江省": "3301",
    "四川省": "5101",
    "重庆市": "5000",
    "广东省": "4403",
}


def _team_people(team, rng):
    """The team's leader and three members (seed 000: a leader and three officers seconded from city units)."""
    people = list(
        User.objects.filter(memberships__unit=team, memberships__active=True, is_active=True).distinct().order_by("id")
    )
    roles = {m.user_id: m.role for m in Membership.objects.filter(unit=team, active=True)}
    leaders = [p for p in people if roles.get(p.pk) == Role.TEAM_LEADER]
    while len(people) < 4:
        n = len(people)
        username = f"{team.code.lower().replace('-', '_')}_{n + 1}"
        person = User.objects.filter(username=username).first()
        if person is None:
            person = User(username=username, name=_person_name(rng), home_unit=team, is_demo=True)
            person.title = f"{team.name}{'组长' if not leaders else '组员'}"
            person.set_unusable_password()
            person.save()
        role = Role.TEAM_LEADER if not leaders else Role.TEAM_MEMBER
        Membership.objects.get_or_create(user=person, unit=team, role=role)
        if role == Role.TEAM_LEADER:
            leaders.append(person)
        people.append(person)
    return leaders[0], people


def _chains_by_word(city):
    from chains.models import IndustryChain

    chains = list(IndustryChain.objects.filter(cluster__owner=city, active=True).select_related("cluster"))
    return chains, lambda word: [c for c in chains if word in c.name or word in c.cluster.name]


def _companies_for(team, rng, count, chains_for, taken):
    regions, words = TEAM_REGIONS[team.code]
    made = []
    universities = UNIVERSITIES[team.code]
    chambers = CHAMBERS[team.code]
    for name in universities:
        kind = CompanyKind.INSTITUTE if "研究" in name else CompanyKind.UNIVERSITY
        made.append((name, kind, CompanyCategory.ACADEMIC, regions[0], "教育科研", None))
    for name in chambers:
        made.append((name, CompanyKind.CHAMBER, CompanyCategory.CHAMBER, regions[0], "商协会", None))
    while len(made) < count:
        word = rng.choice(words)
        place = rng.choice(regions)
        trade = rng.choice(TRADE[word])
        suffix = rng.choice(["有限公司", "股份有限公司", "集团有限公司", "科技有限公司"])
        if trade.endswith("科技") and suffix == "科技有限公司":
            suffix = "有限公司"
        name = f"{place[0]}{rng.choice(BRAND)}{trade}{suffix}"
        norm = normalize_company_name(name)
        if norm in taken:
            continue
        taken.add(norm)
        category = rng.choices(
            [
                CompanyCategory.SUPPLY_CHAIN,
                CompanyCategory.CHAIN_CORE,
                CompanyCategory.CHAIN_LEADER,
                CompanyCategory.OTHER,
            ],
            [60, 12, 6, 22],
        )[0]
        options = chains_for(word)
        made.append((name, CompanyKind.COMPANY, category, place, trade, rng.choice(options) if options else None))
    return made


@transaction.atomic
def load_outreach_demo(*, city_code="YC", actor=None):
    """Create the year of demo ledgers once; return counts of what exists afterwards."""
    rng = random.Random(DEMO_SEED)
    city = Unit.objects.get(code=city_code)
    teams = list(Unit.objects.filter(parent=city, kind=UnitKind.TEAM, code__in=TEAM_REGIONS).order_by("sort_order"))
    if Visit.objects.filter(unit__in=teams).exists():
        return _counts(teams)
    chains, chains_for = _chains_by_word(city)
    hosts = list(Unit.objects.filter(parent=city, kind__in=[UnitKind.COUNTY, UnitKind.ZONE], active=True))
    taken = set(Company.objects.filter(owner=city).values_list("normalized_name", flat=True))

    # Split the 781 companies among the teams, roughly by the size of their regions.
    shares = [120, 115, 118, 105, 112, 106, 105]
    assert sum(shares) == VISITED_COMPANIES
    visits, inspections, stationings = [], [], []
    company_rows = []
    for team, share in zip(teams, shares, strict=True):
        leader, people = _team_people(team, rng)
        specs = _companies_for(team, rng, share, chains_for, taken)
        for name, kind, category, place, trade, chain in specs:
            province = place[1]
            with_code = kind == CompanyKind.COMPANY and rng.random() < 0.6
            code = _credit_code(rng, PROVINCE_CODES[province]) if with_code else ""
            company = Company(
                owner=city,
                name=name,
                normalized_name=normalize_company_name(name),
                credit_code=code,
                kind=kind,
                category=category,
                size=rng.choice([CompanySize.LARGE, CompanySize.MEDIUM, CompanySize.SMALL, CompanySize.UNKNOWN]),
                province=province,
                city=place[0] + ("" if place[0].endswith("市") else "市"),
                industry=trade,
                created_by=leader,
                created_by_unit=team,
            )
            company_rows.append((team, leader, people, company, chain))
    Company.objects.bulk_create([row[3] for row in company_rows], batch_size=500)
    saved = {c.normalized_name: c for c in Company.objects.filter(owner=city)}
    contacts = []
    for team, leader, people, unsaved, chain in company_rows:
        company = saved[unsaved.normalized_name]
        contact_name, title = _person_name(rng), rng.choice(TITLES)
        phone = f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"
        contacts.append(Contact(company=company, name=contact_name, title=title, phone=phone))
        # Every company visited at least once; about a quarter twice or more.
        for _ in range(1 + (rng.random() < 0.27) + (rng.random() < 0.06)):
            day = _visit_day(rng)
            content = rng.choice(CONTENTS)
            who = rng.sample(people, 2)
            visit = Visit(
                unit=team,
                visit_date=day,
                visitor_names="、".join(p.name for p in who),
                company=company,
                chain=chain,
                contact_name=contact_name,
                contact_title=title,
                contact_phone=phone,
                way=rng.choices(list(VisitWay.values), [45, 20, 20, 10, 5])[0],
                content=content,
                intention=rng.choice(INTENTIONS),
                next_step=rng.choice(NEXT_STEPS),
                created_by=who[0],
                dedupe_key=visit_key(unit_id=team.pk, visit_date=day, company_id=company.pk, content=content),
            )
            visits.append((visit, who))
        if company.kind == CompanyKind.COMPANY and rng.random() < 0.2:
            day = _visit_day(rng, start=datetime.date(YEAR, 3, 1))
            inspections.append(
                (
                    Inspection(
                        unit=team,
                        inspection_date=day,
                        company=company,
                        delegation=f"{contact_name}（{title}）等{rng.randint(2, 6)}人",
                        places="、".join(rng.sample(PLACES, 2)),
                        accompanying_leader=rng.choice(["市招商投资促进中心主任", "分管副市长", "县委书记", "县长"]),
                        result=rng.choice(RESULTS),
                        next_step=rng.choice(NEXT_STEPS[:4]),
                        created_by=leader,
                        dedupe_key=inspection_key(unit_id=team.pk, inspection_date=day, company_id=company.pk),
                    ),
                    rng.sample(hosts, 1) if hosts else [],
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=500)
    # Two visits drawn to the same key (same team, day, company, content) would be one visit.
    unique = {}
    for visit, who in visits:
        unique.setdefault((visit.unit_id, visit.dedupe_key), (visit, who))
    Visit.objects.bulk_create([v for v, _ in unique.values()], batch_size=1000)
    links = [Visit.visitors.through(visit_id=v.pk, user_id=p.pk) for v, who in unique.values() for p in who]
    Visit.visitors.through.objects.bulk_create(links, batch_size=1000)
    unique_inspections = {}
    for item in inspections:
        unique_inspections.setdefault((item[0].unit_id, item[0].dedupe_key), item)
    Inspection.objects.bulk_create([i for i, _ in unique_inspections.values()], batch_size=500)
    Inspection.host_units.through.objects.bulk_create(
        [
            Inspection.host_units.through(inspection_id=i.pk, unit_id=h.pk)
            for i, hs in unique_inspections.values()
            for h in hs
        ]
    )
    _events_and_trips(rng, city, teams, saved)
    for team in teams:
        leader, _people = _team_people(team, rng)
        stationings.extend(_stationing(rng, team, leader))
    Stationing.objects.bulk_create(stationings)
    counts = _counts(teams)
    audit.record(
        action=AuditAction.IMPORT,
        actor=actor,
        actor_name="系统",
        object_type="outreach.visit",
        message="载入演示台账：" + "，".join(f"{k} {v}" for k, v in counts.items()),
    )
    return counts


def _visit_day(rng, start=datetime.date(YEAR, 1, 10)):
    # Busier in the 百日大会战 (from September): weight later days more.
    span = (LAST_DAY - start).days
    offset = int(span * (rng.random() ** 0.7))
    return start + datetime.timedelta(days=offset)


def _events_and_trips(rng, city, teams, companies):
    by_city = {}
    for company in companies.values():
        by_city.setdefault(company.city, []).append(company)
    events = []
    for team in teams:
        regions, _words = TEAM_REGIONS[team.code]
        for n in range(2):
            place = regions[n % len(regions)][0]
            day = datetime.date(YEAR, 9 + n, rng.randint(8, 25))
            signed = rng.randint(0, 4)
            event = PromotionEvent(
                unit=team,
                title=f"运城（{place}）“415”产业集群专场推介会",
                event_date=day,
                place=f"{place}市",
                co_organisers=rng.choice(CHAMBERS[team.code]),
                attendees="市招商投资促进中心、相关县（市、区）及开发区负责同志，当地商协会和企业代表",
                attendee_count=rng.randint(60, 200),
                projects_signed=signed,
                signed_amount=Decimal(signed * rng.randint(5000, 60000)),
                created_by=None,
            )
            events.append((event, rng.sample(by_city.get(f"{place}市", []) or list(companies.values()), 8)))
    PromotionEvent.objects.bulk_create([e for e, _ in events])
    PromotionEvent.companies.through.objects.bulk_create(
        [PromotionEvent.companies.through(promotionevent_id=e.pk, company_id=c.pk) for e, cs in events for c in cs]
    )
    trips = []
    counties = list(Unit.objects.filter(parent=city, kind__in=[UnitKind.COUNTY, UnitKind.ZONE], active=True))
    destinations = ["上海、浙江", "广东深圳、东莞", "江苏南京、苏州", "北京、天津", "四川成都、重庆", "山东济南、青岛"]
    for county in counties:
        # Seed 000: county and zone heads lead at least six outbound trips a year; by November most are near it.
        for _n in range(rng.randint(4, 7)):
            start = datetime.date(YEAR, rng.randint(2, 10), rng.randint(1, 25))
            trip = OutboundTrip(
                unit=county,
                leader_name=f"{county.name}{rng.choice(['县委书记', '县长', '区长', '主任'])}",
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(2, 5)),
                destinations=rng.choice(destinations),
                purpose="围绕主导产业链开展外出招商，拜访目标企业，推介投资环境。",
                result=rng.choice(RESULTS),
                projects_connected=rng.randint(0, 3),
            )
            trips.append((trip, rng.sample(list(companies.values()), 3)))
    OutboundTrip.objects.bulk_create([t for t, _ in trips])
    OutboundTrip.companies.through.objects.bulk_create(
        [OutboundTrip.companies.through(outboundtrip_id=t.pk, company_id=c.pk) for t, cs in trips for c in cs]
    )


def _stationing(rng, team, leader):
    """Stationing periods of the team's leader through the year (seed 000: ≥ 30 days a year)."""
    rows, day = [], datetime.date(YEAR, 3, 1)
    while day < LAST_DAY:
        length = rng.randint(12, 26)
        end = min(day + datetime.timedelta(days=length - 1), LAST_DAY)
        rows.append(
            Stationing(
                unit=team,
                person=leader,
                start_date=day,
                end_date=end,
                days=(end - day).days + 1,
                place=team.base_city or TEAM_REGIONS[team.code][0][0][0],
            )
        )
        day = end + datetime.timedelta(days=rng.randint(6, 14))
    return rows


def _counts(teams):
    return {
        "走访": Visit.objects.filter(unit__in=teams).count(),
        "走访企业": Visit.objects.filter(unit__in=teams).values("company_id").distinct().count(),
        "考察": Inspection.objects.filter(unit__in=teams).count(),
        "推介会": PromotionEvent.objects.filter(unit__in=teams).count(),
        "外出招商": OutboundTrip.objects.count(),
        "驻点记录": Stationing.objects.filter(unit__in=teams).count(),
    }
