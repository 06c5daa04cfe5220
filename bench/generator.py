"""A province's worth of data, deterministic from a seed: the data set the benchmarks and load tests run on.

`generate(scale=1.0, seed=2026)` creates, with bulk_create in batches and one random.Random(seed):

- the org tree of a province (山西省 and its 11 cities; per city 8–10 counties and 1–2 development zones, the office
  unit 招商投资促进中心, six departments, 5–8 stationed teams and squads under some counties) and about 900 people
  (office staff, leaders, a verifier, team leaders and members, county and department staff) with unusable passwords;
- per city its clusters, chains and segments (3 clusters × 2–3 chains × 6 segments), its lead rules and pools,
  problem categories and project settings (made by the services' own `…_for` helpers, with their defaults);
- 10⁵ companies (investors' provinces weighted toward 长三角, 珠三角, 京津冀, 成渝; universities, institutes and
  chambers among them; valid 统一社会信用代码 or none; chain segments for some; a chain leader per chain),
- 10⁶ visits, 2×10⁵ leads (status, pool, grade, assessment and deadlines coherent), 5×10⁴ projects with their
  stages, dates and stage moves, monthly progress for the signed ones, 2×10⁴ problems with their assignments,
- the routine monthly targets of every stationed team for TARGET_YEAR and each city's "1521" goal.

`scale` multiplies the record counts (companies, visits, leads, projects, problems); the org tree, the chains and
the targets are the province's structure and stay whole at any scale. Fields the services derive (unit paths and
depths, normalised names, dedupe keys, deadlines, investor names, project totals from the monthly reports,
on-time flags) are filled by the same helper functions the services call. Dates fall between FIRST_DAY and
LAST_DAY, fixed, so two runs with the same seed write the same data whatever the day.
"""

import datetime
import hashlib
import random
import sqlite3
import time
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

FIRST_DAY = datetime.date(2023, 1, 1)
LAST_DAY = datetime.date(2025, 12, 31)
TARGET_YEAR = 2025
BATCH = 5000
CODE_PREFIX = "G"
# The record counts of a province at scale 1 (quality.md: 10⁵ companies, 10⁶ visits, 2×10⁵ leads, 5×10⁴ projects).
COUNTS = {
    "companies": 100_000,
    "visits": 1_000_000,
    "leads": 200_000,
    "projects": 50_000,
    "problems": 20_000,
}

# 山西省's eleven cities: (code, name).
CITIES = [
    ("TY", "太原市"),
    ("DT", "大同市"),
    ("YQ", "阳泉市"),
    ("CZ", "长治市"),
    ("JC", "晋城市"),
    ("SZ", "朔州市"),
    ("JZ", "晋中市"),
    ("YC", "运城市"),
    ("XZ", "忻州市"),
    ("LF", "临汾市"),
    ("LL", "吕梁市"),
]
# Syllables for county names ("X X 县"); a city's counties are drawn without repeats.
PLACE_SYLLABLES = list(
    "安宁平阳泽原城沁河汾浮山襄垣武乡黎左权榆社昔寿灵石介休孝义文水交口中兴隰永和蒲吉乡翼稷闻喜夏芮新绛曲沃"
)
COUNTY_SUFFIXES = ["县", "县", "县", "区", "市"]
ZONE_NAMES = ["经济技术开发区", "高新技术产业开发区", "综合改革示范区"]
DEPARTMENTS = [
    ("FG", "发展和改革委员会"),
    ("GX", "工业和信息化局"),
    ("ZR", "自然资源局"),
    ("SP", "行政审批服务管理局"),
    ("ST", "生态环境局"),
    ("ZJ", "住房和城乡建设局"),
]
# Where stationed teams sit, and the region each one works.
BASES = [
    ("北京", "jingjinji"),
    ("天津", "jingjinji"),
    ("上海", "yangtze_delta"),
    ("杭州", "yangtze_delta"),
    ("南京", "yangtze_delta"),
    ("苏州", "yangtze_delta"),
    ("合肥", "yangtze_delta"),
    ("深圳", "pearl_delta"),
    ("广州", "pearl_delta"),
    ("东莞", "pearl_delta"),
    ("成都", "chengyu"),
    ("重庆", "chengyu"),
    ("西安", "other"),
    ("郑州", "other"),
    ("武汉", "other"),
]
# Investors' provinces, weighted toward the four target regions; with a city or two each and a region code.
PROVINCES = [
    ("上海市", 8, ["上海市"], "310115"),
    ("江苏省", 10, ["南京市", "苏州市", "无锡市", "常州市"], "320500"),
    ("浙江省", 10, ["杭州市", "宁波市", "嘉兴市", "台州市"], "330100"),
    ("安徽省", 4, ["合肥市", "芜湖市"], "340100"),
    ("广东省", 14, ["深圳市", "广州市", "东莞市", "佛山市"], "440300"),
    ("北京市", 10, ["北京市"], "110108"),
    ("天津市", 3, ["天津市"], "120116"),
    ("河北省", 4, ["石家庄市", "唐山市"], "130100"),
    ("四川省", 4, ["成都市", "绵阳市"], "510100"),
    ("重庆市", 3, ["重庆市"], "500000"),
    ("山西省", 12, ["太原市", "运城市", "长治市"], "140100"),
    ("山东省", 4, ["济南市", "青岛市"], "370100"),
    ("河南省", 4, ["郑州市", "洛阳市"], "410100"),
    ("湖北省", 3, ["武汉市"], "420100"),
    ("陕西省", 3, ["西安市"], "610100"),
    ("福建省", 3, ["厦门市", "福州市"], "350200"),
    ("", 1, [""], "140100"),
]
BRAND = list("华宏鑫泰恒瑞丰盛远达金源润博通锦辉嘉凯昌荣创佳旭隆新和信德宇天正汇航万亿腾飞星辰中科海")
TRADES = [
    ("新材料科技", "新材料"),
    ("新能源科技", "新能源"),
    ("智能装备", "装备制造"),
    ("汽车零部件", "汽车"),
    ("生物医药", "医药"),
    ("电子科技", "电子信息"),
    ("精细化工", "化工"),
    ("食品", "食品"),
    ("铝业", "有色金属"),
    ("特钢", "钢铁"),
    ("光电", "光伏"),
    ("数据科技", "数字经济"),
    ("环保科技", "节能环保"),
    ("物流", "现代物流"),
    ("医疗器械", "医疗器械"),
]
LEGAL = ["有限公司", "有限公司", "股份有限公司", "集团有限公司", "科技有限公司"]
UNIVERSITY_SUBJECTS = ["理工", "工业", "科技", "师范", "农业", "医科", "财经", "交通", "材料", "化工", "电子", "能源"]
UNIVERSITY_KINDS = ["大学", "学院", "职业技术学院"]
INSTITUTE_FIELDS = ["材料", "化学", "能源", "装备", "信息", "生物", "环境"]
CHAMBER_KINDS = ["商会", "企业家联合会", "产业协会"]
# Cluster → chains (Shanxi's "415"-style taxonomy); three drawn per city.
CLUSTERS = [
    ("新材料产业集群", ["碳基新材料", "铝镁精深加工", "特种金属材料"]),
    ("先进装备制造产业集群", ["轨道交通装备", "新能源汽车", "智能制造装备"]),
    ("新能源产业集群", ["光伏", "氢能", "储能"]),
    ("生物医药大健康产业集群", ["现代医药", "医疗器械", "中药材精深加工"]),
    ("绿色食品产业集群", ["功能食品", "果品加工", "酒饮品"]),
    ("数字经济产业集群", ["大数据", "信创", "电子信息"]),
    ("现代煤化工产业集群", ["煤制新材料", "精细化工"]),
]
SEGMENTS = [
    ("upstream", "原材料供应"),
    ("upstream", "关键材料"),
    ("midstream", "核心部件"),
    ("midstream", "制造与集成"),
    ("downstream", "终端应用"),
    ("downstream", "回收与服务"),
]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌宇鹏辉浩然晨阳欣怡子涵博睿")
VISIT_CONTENT = [
    "推介本市营商环境和招商政策，了解企业扩产计划",
    "对接企业在晋投资意向，介绍园区用地和配套",
    "拜访企业高管，交流产业链上下游合作机会",
    "走访高校科技成果转化中心，洽谈校地合作",
    "参加商协会活动，推介重点招商项目",
    "回访企业，跟进此前考察后的投资决策进展",
]
PRODUCTS = [
    "新材料",
    "锂电池",
    "光伏组件",
    "汽车零部件",
    "精密铸件",
    "医药中间体",
    "功能食品",
    "电子元器件",
    "储能系统",
]
PROBLEMS = {
    "approval": ("项目审批手续办理", "企业反映项目立项、环评手续办理进度较慢，需协调加快审批。"),
    "land": ("项目用地指标落实", "项目二期需新增建设用地，需协调落实用地指标和土地报批。"),
    "financing": ("企业融资需求", "企业扩产资金缺口较大，希望协调银行提供贷款支持。"),
    "utilities": ("水电气配套", "厂区用电负荷不足，需协调供电公司增容改造。"),
    "labour": ("用工招聘", "企业投产在即，技术工人招聘困难，需人社部门协助。"),
    "policy": ("政策兑现", "企业申请的招商引资奖励资金尚未兑现，需协调落实。"),
    "environment": ("营商环境", "企业反映周边道路施工影响物流车辆通行，需协调解决。"),
    "other": ("其他诉求", "企业提出其他需要协调解决的事项。"),
}


def _split(total, parts):
    """`total` shared out over `parts` as evenly as can be (the first ones one more)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def scaled_counts(scale):
    """The record counts at `scale` (at least one of each, so every table is exercised)."""
    return {name: max(1, round(count * scale)) for name, count in COUNTS.items()}


def _day(rng, first=FIRST_DAY, last=LAST_DAY):
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _at(day, rng):
    """An aware datetime on `day`, in working hours."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60)))
    return timezone.make_aware(moment)


def _person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _wan(rng, low, high):
    """An amount in 万元, log-uniform between low and high, to whole 万元."""
    value = low * (high / low) ** rng.random()
    return Decimal(int(value))


class Reporter:
    """Prints a line per table with its rows and seconds."""

    def __init__(self, write):
        self.write = write or (lambda line: None)
        self.times = {}

    @contextmanager
    def table(self, name):
        started = time.perf_counter()
        counter = {"rows": 0}
        yield counter
        seconds = time.perf_counter() - started
        self.times[name] = (counter["rows"], seconds)
        self.write(f"  {name:<24} {counter['rows']:>9} 行  {seconds:7.1f} 秒")


@contextmanager
def _wide_sqlite_inserts():
    """SQLite takes 32 766 parameters a statement since 3.32, Django assumes 999: let bulk_create send more rows."""
    features = connection.features
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    had = "max_query_params" in features.__dict__
    old = features.max_query_params
    features.max_query_params = max(old, limit)
    try:
        yield
    finally:
        if had:
            features.max_query_params = old
        else:
            del features.max_query_params


def _bulk(model, objs, counter=None):
    """bulk_create in batches, the rows created (with their ids on both databases)."""
    made = model.objects.bulk_create(objs, batch_size=BATCH)
    if counter is not None:
        counter["rows"] += len(made)
    return made


class Province:
    """What the generator made, for the steps after it (and the tests)."""

    def __init__(self):
        self.province = None
        self.cities = []  # one dict per city


def generate(*, scale=1.0, seed=2026, write=None):
    """Create the province's data; returns (Province, {table: (rows, seconds)})."""
    report = Reporter(write)
    counts = scaled_counts(scale)
    rng = random.Random(seed)
    started = time.perf_counter()
    with _wide_sqlite_inserts(), transaction.atomic():
        made = Province()
        _org(made, rng, report)
        _taxonomy(made, rng, report)
        _companies(made, rng, report, counts["companies"])
        _visits(made, rng, report, counts["visits"])
        _leads(made, rng, report, counts["leads"])
        _projects(made, rng, report, counts["projects"])
        _problems(made, rng, report, counts["problems"])
        _targets(made, report)
        _audit(made, scale, seed, counts)
    report.write(f"  {'合计':<24} {'':>9}    {time.perf_counter() - started:7.1f} 秒")
    return made, report.times


# --- The org tree and its people ----------------------------------------------------------------------


def _org(made, rng, report):
    from organizations.choices import Role, UnitKind
    from organizations.models import Membership, Unit, User
    from organizations.services import _set_path

    with report.table("组织单位 Unit") as counter:

        def level(units):
            units = _bulk(Unit, units, counter)
            for unit in units:
                _set_path(unit)
            Unit.objects.bulk_update(units, ["path", "depth"], batch_size=BATCH)
            return units

        (province,) = level([Unit(code=f"{CODE_PREFIX}-SX", name="山西省", kind=UnitKind.PROVINCE)])
        made.province = province
        cities = level(
            [
                Unit(code=f"{CODE_PREFIX}-{code}", name=name, kind=UnitKind.CITY, parent=province, sort_order=i)
                for i, (code, name) in enumerate(CITIES)
            ]
        )
        children = []
        for city, (code, name) in zip(cities, CITIES, strict=True):
            stem = name[:-1]
            spec = {"city": city, "code": code, "stem": stem}
            spec["office"] = Unit(
                code=f"{CODE_PREFIX}-{code}-ZSZX", name=f"{name}招商投资促进中心", kind=UnitKind.DEPARTMENT, parent=city
            )
            spec["departments"] = [
                Unit(code=f"{CODE_PREFIX}-{code}-{d}", name=f"{name}{n}", kind=UnitKind.DEPARTMENT, parent=city)
                for d, n in DEPARTMENTS
            ]
            bases = rng.sample(BASES, rng.randint(5, 8))
            spec["teams"] = [
                Unit(
                    code=f"{CODE_PREFIX}-{code}-T{i:02d}",
                    name=f"{stem}驻{base}招商组",
                    kind=UnitKind.TEAM,
                    parent=city,
                    sort_order=i + 1,
                    base_city=base,
                    target_regions=[region],
                    focus="对接重点产业链企业和商协会",
                )
                for i, (base, region) in enumerate(bases)
            ]
            syllables = rng.sample(PLACE_SYLLABLES, 20)
            spec["counties"] = [
                Unit(
                    code=f"{CODE_PREFIX}-{code}-X{i:02d}",
                    name=syllables[2 * i] + syllables[2 * i + 1] + rng.choice(COUNTY_SUFFIXES),
                    kind=UnitKind.COUNTY,
                    parent=city,
                    sort_order=20 + i,
                )
                for i in range(rng.randint(8, 10))
            ]
            spec["zones"] = [
                Unit(
                    code=f"{CODE_PREFIX}-{code}-Z{i}",
                    name=f"{stem}{ZONE_NAMES[i]}",
                    kind=UnitKind.ZONE,
                    parent=city,
                    sort_order=40 + i,
                )
                for i in range(rng.randint(1, 2))
            ]
            children += [spec["office"], *spec["departments"], *spec["teams"], *spec["counties"], *spec["zones"]]
            made.cities.append(spec)
        level(children)
        squads = []
        for spec in made.cities:
            spec["squads"] = []
            for county in spec["counties"]:
                if rng.random() < 0.3:
                    base, region = rng.choice(BASES)
                    squad = Unit(
                        code=f"{county.code}-S",
                        name=f"{county.name}驻{base}招商小分队",
                        kind=UnitKind.SQUAD,
                        parent=county,
                        base_city=base,
                        target_regions=[region],
                    )
                    spec["squads"].append(squad)
                    squads.append(squad)
        level(squads)

    with report.table("人员 User") as counter:
        people, roles = [], []
        usernames = iter(range(1, 100_000))

        def person(spec, home, role, role_unit=None, title=""):
            user = User(
                username=f"g{spec['code'].lower()}{next(usernames):05d}",
                name=_person_name(rng),
                title=title,
                home_unit=home,
                password=make_password(None),
            )
            people.append(user)
            roles.append((user, role_unit or home, role))
            return user

        made.province_leader = User(
            username="gsx00000", name=_person_name(rng), home_unit=province, password=make_password(None)
        )
        people.append(made.province_leader)
        roles.append((made.province_leader, province, Role.LEADER))
        for spec in made.cities:
            city = spec["city"]
            spec["office_staff"] = [
                person(spec, spec["office"], Role.OFFICE_STAFF, city, "招商中心工作人员") for _ in range(3)
            ]
            spec["leaders"] = [person(spec, city, Role.LEADER, title="副市长") for _ in range(2)]
            spec["verifier"] = person(spec, spec["office"], Role.VERIFIER, city, "项目核验员")
            spec["people"] = {}
            for unit in spec["teams"] + spec["squads"]:
                size = 4 if unit.kind == UnitKind.TEAM else 2
                spec["people"][unit.pk] = [person(spec, unit, Role.TEAM_LEADER, title="组长")] + [
                    person(spec, unit, Role.TEAM_MEMBER, title="组员") for _ in range(size - 1)
                ]
            for unit in spec["counties"] + spec["zones"]:
                spec["people"][unit.pk] = [person(spec, unit, Role.COUNTY_STAFF) for _ in range(3)]
            for unit in spec["departments"]:
                spec["people"][unit.pk] = [person(spec, unit, Role.DEPARTMENT_STAFF)]
        _bulk(User, people, counter)
    with report.table("任职 Membership") as counter:
        _bulk(Membership, [Membership(user=u, unit=unit, role=role) for u, unit, role in roles], counter)
    for spec in made.cities:
        # Who writes a city's ledgers: teams and squads most, counties and zones less (weights as in practice).
        spec["ledger_units"] = spec["teams"] + spec["squads"] + spec["counties"] + spec["zones"]
        spec["ledger_weights"] = (
            [6] * len(spec["teams"]) + [3] * len(spec["squads"]) + [1] * (len(spec["counties"]) + len(spec["zones"]))
        )
        spec["areas"] = spec["counties"] + spec["zones"]


# --- Chains, and each city's rules made by the services' own helpers ----------------------------------------


def _taxonomy(made, rng, report):
    from chains.models import ChainSegment, IndustryChain, IndustryCluster
    from leads.services.settings import ensure_pools, lead_settings_for
    from projects.services.common import project_settings_for
    from service.services import categories_for

    with report.table("产业集群/链/环节") as counter:
        clusters = []
        for spec in made.cities:
            spec["clusters"] = [
                IndustryCluster(owner=spec["city"], name=name, sort_order=i)
                for i, (name, _chains) in enumerate(rng.sample(CLUSTERS, 3))
            ]
            clusters += spec["clusters"]
        _bulk(IndustryCluster, clusters, counter)
        chains = []
        for spec in made.cities:
            spec["chains"] = []
            for cluster in spec["clusters"]:
                names = dict(CLUSTERS)[cluster.name]
                for i, name in enumerate(rng.sample(names, min(len(names), rng.randint(2, 3)))):
                    spec["chains"].append(IndustryChain(cluster=cluster, name=f"{name}产业链", sort_order=i))
            chains += spec["chains"]
        _bulk(IndustryChain, chains, counter)
        segments = []
        for spec in made.cities:
            spec["segments"] = {}
            for chain in spec["chains"]:
                spec["segments"][chain.pk] = [
                    ChainSegment(chain=chain, position=position, name=f"{chain.name[:-3]}{name}", sort_order=i)
                    for i, (position, name) in enumerate(SEGMENTS)
                ]
                segments += spec["segments"][chain.pk]
        _bulk(ChainSegment, segments, counter)

    with report.table("线索规则/库/问题类别") as counter:
        for spec in made.cities:
            city = spec["city"]
            spec["lead_settings"] = lead_settings_for(city)
            spec["pools"] = ensure_pools(city)
            spec["categories"] = categories_for(city)
            spec["project_settings"] = project_settings_for(city)
            counter["rows"] += 2 + len(spec["pools"]) + len(spec["categories"])


# --- The directory --------------------------------------------------------------------------------------


def _credit_code(rng, region, institution=False):
    from stdnum.cn import uscc

    body = ("12" if institution else "91") + region
    body += "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _unique(rng, taken, draw, key):
    """Draw a name whose key is not taken yet (a few tries, then a serial number makes it so)."""
    for _ in range(20):
        name = draw()
        if key(name) not in taken:
            taken.add(key(name))
            return name
    n = 2
    while True:
        name = draw()
        cut = name.rfind("有限公司") if "有限公司" in name else len(name) - 2
        name = f"{name[:cut]}{n}{name[cut:]}"
        if key(name) not in taken:
            taken.add(key(name))
            return name
        n += 1


def _companies(made, rng, report, total):
    from chains.models import ChainLeader
    from enterprises.choices import DEFAULT_CATEGORY, CompanyCategory, CompanyKind, CompanySize
    from enterprises.identity import clean_credit_code, normalize_company_name
    from enterprises.models import Company

    weights = [p[1] for p in PROVINCES]
    codes = set()
    with report.table("企业 Company") as counter:
        for spec, n in zip(made.cities, _split(total, len(made.cities)), strict=True):
            taken = set()
            batch = []
            for _ in range(n):
                province, _w, cities, region = rng.choices(PROVINCES, weights)[0]
                place = rng.choice(cities)
                roll = rng.random()
                kind = (
                    CompanyKind.UNIVERSITY
                    if roll < 0.04
                    else CompanyKind.INSTITUTE
                    if roll < 0.06
                    else CompanyKind.CHAMBER
                    if roll < 0.08
                    else CompanyKind.COMPANY
                )
                short = (province or "山西省")[:2] if province not in ("", "山西省") else spec["stem"]
                trade, industry = rng.choice(TRADES)
                if kind == CompanyKind.UNIVERSITY:

                    def draw(short=short):
                        return f"{short}{rng.choice(UNIVERSITY_SUBJECTS)}{rng.choice(UNIVERSITY_KINDS)}"

                    industry = "高等教育"
                elif kind == CompanyKind.INSTITUTE:

                    def draw(short=short):
                        return f"{short}{''.join(rng.sample(BRAND, 2))}{rng.choice(INSTITUTE_FIELDS)}研究院"

                    industry = "科学研究"
                elif kind == CompanyKind.CHAMBER:

                    def draw(short=short):
                        return f"{short}{''.join(rng.sample(BRAND, 2))}{rng.choice(CHAMBER_KINDS)}"

                    industry = "商协会"
                else:

                    def draw(place=place, trade=trade):
                        brand = "".join(rng.sample(BRAND, 2))
                        city = place[:-1] if place else ""
                        where = f"（{city}）" if city and rng.random() < 0.3 else ""
                        return f"{brand}{where}{trade}{rng.choice(LEGAL)}"

                name = _unique(rng, taken, draw, normalize_company_name)
                category = DEFAULT_CATEGORY[kind]
                if kind == CompanyKind.COMPANY:
                    category = rng.choices(
                        [
                            CompanyCategory.CHAIN_LEADER,
                            CompanyCategory.CHAIN_CORE,
                            CompanyCategory.SUPPLY_CHAIN,
                            CompanyCategory.OTHER,
                        ],
                        [3, 7, 40, 50],
                    )[0]
                code = ""
                if rng.random() < 0.7:
                    code = _credit_code(rng, region, institution=kind != CompanyKind.COMPANY)
                    while code in codes:
                        code = _credit_code(rng, region, institution=kind != CompanyKind.COMPANY)
                    codes.add(code)
                    code = clean_credit_code(code)  # the project's validator: raises on a bad code
                unit = rng.choices(spec["ledger_units"], spec["ledger_weights"])[0]
                batch.append(
                    Company(
                        owner=spec["city"],
                        name=name,
                        normalized_name=normalize_company_name(name),
                        credit_code=code,
                        kind=kind,
                        category=category,
                        size=rng.choice([c for c, _l in CompanySize.choices]),
                        province=province,
                        city=place,
                        industry=industry,
                        description="",
                        created_by=rng.choice(spec["people"][unit.pk]),
                        created_by_unit=unit,
                    )
                )
            companies = _bulk(Company, batch, counter)
            spec["company_ids"] = [c.pk for c in companies]
            spec["companies"] = {c.pk: c for c in companies}
            spec["leaders_by_category"] = [
                c for c in companies if c.category in (CompanyCategory.CHAIN_LEADER, CompanyCategory.CHAIN_CORE)
            ]
    with report.table("企业-产业链环节 (M2M)") as counter:
        through = Company.segments.through
        rows = []
        for spec in made.cities:
            every = [s for segments in spec["segments"].values() for s in segments]
            for pk in spec["company_ids"]:
                if rng.random() < 0.3:
                    for segment in rng.sample(every, rng.choice((1, 1, 2))):
                        rows.append(through(company_id=pk, chainsegment_id=segment.pk))
        _bulk(through, rows, counter)
    with report.table("链主/链核 ChainLeader") as counter:
        rows = []
        for spec in made.cities:
            candidates = spec["leaders_by_category"]
            for chain in spec["chains"]:
                for company in rng.sample(candidates, min(len(candidates), 2)):
                    rows.append(ChainLeader(chain=chain, company=company, kind=company.category))
        _bulk(ChainLeader, rows, counter)


# --- Visits ---------------------------------------------------------------------------------------------


def _visits(made, rng, report, total):
    from outreach.choices import VisitWay
    from outreach.keys import visit_key
    from outreach.models import Visit

    ways = [w for w, _l in VisitWay.choices]
    with report.table("走访 Visit") as counter:
        for spec, n in zip(made.cities, _split(total, len(made.cities)), strict=True):
            taken = set()
            batch = []
            units, weights, firms = spec["ledger_units"], spec["ledger_weights"], spec["company_ids"]
            chains = spec["chains"]
            for _ in range(n):
                unit = rng.choices(units, weights)[0]
                company_id = rng.choice(firms)
                content = rng.choice(VISIT_CONTENT)
                day = _day(rng)
                key = visit_key(unit_id=unit.pk, visit_date=day, company_id=company_id, content=content)
                while (unit.pk, key) in taken:  # the same visit twice: another day
                    day = day - datetime.timedelta(days=1) if day > FIRST_DAY else LAST_DAY
                    key = visit_key(unit_id=unit.pk, visit_date=day, company_id=company_id, content=content)
                taken.add((unit.pk, key))
                people = spec["people"][unit.pk]
                visitors = rng.sample(people, min(len(people), 2))
                batch.append(
                    Visit(
                        unit=unit,
                        visit_date=day,
                        company_id=company_id,
                        chain=rng.choice(chains) if rng.random() < 0.7 else None,
                        content=content,
                        visitor_names="、".join(p.name for p in visitors),
                        contact_name=_person_name(rng),
                        contact_title=rng.choice(["总经理", "董事长", "投资总监", "副总裁", "办公室主任"]),
                        way=rng.choice(ways),
                        dedupe_key=key,
                        created_by=visitors[0],
                    )
                )
                if len(batch) >= BATCH * 2:
                    _bulk(Visit, batch, counter)
                    batch = []
            _bulk(Visit, batch, counter)


# --- Leads ----------------------------------------------------------------------------------------------

LEAD_STATUSES = [
    ("reported", 15),
    ("dispatched", 10),
    ("accepted", 50),
    ("returned", 3),
    ("rejected", 10),
    ("closed", 12),
]


def _leads(made, rng, report, total):
    from leads.choices import LeadSource, LeadStatus, PoolKind
    from leads.models import Lead
    from leads.services.capture import first_pool
    from leads.services.common import lead_due_dates, lead_key

    sources = [s for s, _l in LeadSource.choices]
    statuses, status_weights = zip(*LEAD_STATUSES, strict=True)
    due = {}  # deadlines by (rules, collected, entered): one working-day count per distinct day, not per lead
    with report.table("线索 Lead") as counter:
        reporters = []
        for spec, n in zip(made.cities, _split(total, len(made.cities)), strict=True):
            settings = spec["lead_settings"]
            start = first_pool(spec["city"])
            worked = [p for p in spec["pools"] if p.kind in (PoolKind.OPEN, PoolKind.LANDED)]
            lost = next(p for p in spec["pools"] if p.kind == PoolKind.LOST)
            rules = (settings.assess_working_days, settings.feedback_days)
            taken = set()
            batch = []
            for i in range(n):
                unit = rng.choices(spec["ledger_units"], spec["ledger_weights"])[0]
                investor = spec["companies"][rng.choice(spec["company_ids"])] if rng.random() < 0.9 else None
                product = rng.choice(PRODUCTS)
                stem = investor.name[:4] if investor else rng.choice(BRAND) + rng.choice(BRAND)
                name = f"{stem}年产{rng.randrange(1, 50)}万件{product}项目"
                collected = _day(rng)
                key = lead_key(
                    reporting_unit_id=unit.pk, collected_date=collected, investor_id=investor and investor.pk, name=name
                )
                while (unit.pk, key) in taken:
                    name = f"{name}（{i}）"
                    key = lead_key(
                        reporting_unit_id=unit.pk,
                        collected_date=collected,
                        investor_id=investor and investor.pk,
                        name=name,
                    )
                taken.add((unit.pk, key))
                entered = collected + datetime.timedelta(days=rng.randrange(0, 4))
                if (rules, collected, entered) not in due:
                    due[rules, collected, entered] = lead_due_dates(settings, collected_date=collected, entered=entered)
                assess_due, feedback_due = due[rules, collected, entered]
                effective = rng.random() < 0.75
                chain = rng.choice(spec["chains"]) if rng.random() < 0.85 else None
                segment = rng.choice(spec["segments"][chain.pk]) if chain and rng.random() < 0.5 else None
                status = rng.choices(statuses, status_weights)[0]
                lead = Lead(
                    owner=spec["city"],
                    reporting_unit=unit,
                    name=name,
                    collected_date=collected,
                    source=rng.choice(sources),
                    investor=investor,
                    content=f"拟投资建设{product}生产线，建设厂房及配套设施" if effective else rng.choice(["", "待定"]),
                    estimated_amount=_wan(rng, 500, 500_000) if effective or rng.random() < 0.5 else None,
                    chain=chain,
                    segment=segment,
                    proposed_location=rng.choice(spec["areas"]).name if rng.random() < 0.5 else "",
                    contact_reached=effective or rng.random() < 0.3,
                    contact_name=_person_name(rng) if investor else "",
                    status=status,
                    pool=start,
                    assess_due=assess_due,
                    feedback_due=feedback_due,
                    created_by=spec["people"][unit.pk][0],
                    dedupe_key=key,
                )
                if status != LeadStatus.REPORTED:
                    # Assessed by the office within a few days.
                    lead.assessed_by = rng.choice(spec["office_staff"])
                    lead.assessed_at = _at(entered + datetime.timedelta(days=rng.randrange(0, 5)), rng)
                    lead.grade = rng.choice(settings.grades)
                    lead.opinion = "符合本市产业方向，建议推送属地跟进"
                if status == LeadStatus.REJECTED:
                    lead.opinion = "项目内容不具体，暂不推送"
                    lead.closing_reason = "投资方意向不明确，项目内容不具体"
                if status in (LeadStatus.DISPATCHED, LeadStatus.ACCEPTED, LeadStatus.CLOSED):
                    lead.receiving_unit = rng.choice(spec["areas"])
                    lead.dispatched_at = lead.assessed_at
                if status in (LeadStatus.ACCEPTED, LeadStatus.CLOSED):
                    lead.accepted_at = lead.dispatched_at + datetime.timedelta(days=rng.randrange(0, 4), hours=1)
                if status == LeadStatus.ACCEPTED:
                    lead.pool = rng.choices(worked, [40, 30, 20, 10][: len(worked)] + [10] * (len(worked) - 4))[0]
                if status == LeadStatus.CLOSED:
                    lead.pool = lost
                    lead.closing_reason = "投资方已选择在其他地区落地"
                batch.append(lead)
            leads = _bulk(Lead, batch, counter)
            spec["accepted_leads"] = [lead for lead in leads if lead.status == LeadStatus.ACCEPTED]
            rng.shuffle(spec["accepted_leads"])
            reporters += [
                Lead.reporters.through(lead_id=lead.pk, user_id=lead.created_by_id)
                for lead in leads
                if lead.created_by_id
            ]
    with report.table("线索报送人 (M2M)") as counter:
        _bulk(Lead.reporters.through, reporters, counter)


# --- Projects, their stage moves and monthly progress -----------------------------------------------------

PROJECT_STAGES = [
    ("planned", 8),
    ("negotiating", 20),
    ("signed", 27),
    ("started", 25),
    ("producing", 14),
    ("at_capacity", 6),
]


def _month_after(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _projects(made, rng, report, total):
    from projects.choices import FORWARD, STAGE_EVIDENCE, VERIFIED_STAGES, ProjectKind, SigningForm, Stage, Verification
    from projects.models import MonthlyProgress, Project, StageChange
    from projects.services.common import STAGE_DATE_FIELD, project_key
    from projects.services.progress import month_start, progress_due

    stages, stage_weights = zip(*PROJECT_STAGES, strict=True)
    steps = {  # days from one stage to the next
        Stage.SIGNED: (30, 300),
        Stage.STARTED: (20, 200),
        Stage.PRODUCING: (60, 400),
        Stage.AT_CAPACITY: (90, 300),
    }
    kinds = [ProjectKind.INDUSTRIAL] * 8 + [ProjectKind.INFRASTRUCTURE, ProjectKind.OTHER]
    due_cache = {}
    with report.table("项目 Project") as counter:
        plans = []  # (project, investor ids, stage moves, monthly reports) per project
        for spec, n in zip(made.cities, _split(total, len(made.cities)), strict=True):
            taken = set()
            leads = iter(spec["accepted_leads"])
            batch = []
            for i in range(n):
                target = rng.choices(stages, stage_weights)[0]
                lead = next(leads, None) if rng.random() < 0.4 else None
                if lead is not None:
                    host, chain, segment = lead.receiving_unit, lead.chain, lead.segment
                    investors = [lead.investor_id] if lead.investor_id else [rng.choice(spec["company_ids"])]
                    first_contact = lead.collected_date
                else:
                    host = rng.choice(spec["areas"])
                    chain = rng.choice(spec["chains"]) if rng.random() < 0.85 else None
                    segment = rng.choice(spec["segments"][chain.pk]) if chain and rng.random() < 0.4 else None
                    investors = list(
                        dict.fromkeys(rng.choice(spec["company_ids"]) for _ in range(rng.choice((1, 1, 1, 2))))
                    )
                    first_contact = _day(rng, FIRST_DAY, LAST_DAY - datetime.timedelta(days=60))
                product = rng.choice(PRODUCTS)
                investor = spec["companies"][investors[0]]
                name = f"{investor.name[:4]}{product}项目"
                while (host.pk, project_key(name)) in taken:
                    name = f"{investor.name[:4]}年产{rng.randrange(1, 100)}万件{product}项目{i}"
                taken.add((host.pk, project_key(name)))
                # Walk forward from the first contact; a stage whose date would pass LAST_DAY is not reached yet.
                dates = {}
                stage = Stage.NEGOTIATING if target != Stage.PLANNED else Stage.PLANNED
                day = first_contact
                for step in FORWARD[FORWARD.index(Stage.SIGNED) : FORWARD.index(target) + 1]:
                    low, high = steps[step]
                    day = day + datetime.timedelta(days=rng.randrange(low, high))
                    if day > LAST_DAY:
                        break
                    dates[step] = day
                    stage = step
                total_investment = _wan(rng, 1000, 800_000)
                project = Project(
                    owner=spec["city"],
                    host_unit=host,
                    name=name,
                    investor_names="、".join(spec["companies"][pk].name for pk in investors)[:300],
                    chain=chain,
                    segment=segment,
                    kind=rng.choice(kinds),
                    content=f"建设{product}生产线及配套设施",
                    total_investment=total_investment,
                    fixed_investment=(total_investment * Decimal(rng.randrange(50, 95)) / 100).quantize(Decimal(1)),
                    land_mu=Decimal(rng.randrange(20, 800)),
                    expected_output=_wan(rng, 1000, 1_000_000),
                    expected_tax=_wan(rng, 50, 50_000),
                    expected_jobs=rng.randrange(20, 2000),
                    lead=lead,
                    stage=stage,
                    verified_stage=stage,
                    stage_date=dates[stage]
                    if stage in dates
                    else (first_contact if stage == Stage.NEGOTIATING else None),
                    first_contact_on=first_contact,
                    signing_form=rng.choice([f for f, _l in SigningForm.choices]) if Stage.SIGNED in dates else "",
                    leader=rng.choice(spec["leaders"]) if rng.random() < 0.5 else None,
                    responsible_unit=rng.choice(spec["departments"]) if rng.random() < 0.5 else None,
                    in_library=Stage.SIGNED in dates,
                    library_date=dates.get(Stage.SIGNED),
                    created_by=rng.choice(spec["office_staff"]),
                    dedupe_key=project_key(name),
                )
                project.leader_name = project.leader.name if project.leader else ""
                for step, when in dates.items():
                    setattr(project, STAGE_DATE_FIELD[step], when)
                # A signed project's monthly reports: a few months from its signing, cumulative figures rising.
                reports = []
                if project.signed_on:
                    month = month_start(project.signed_on)
                    completed = Decimal(0)
                    for _ in range(rng.randint(1, 4)):
                        if month > month_start(LAST_DAY):
                            break
                        started = project.started_on is not None and month >= month_start(project.started_on)
                        if started:
                            completed = min(total_investment, completed + _wan(rng, 50, 5000))
                        arrived_fixed = _wan(rng, 10, 2000) if started else Decimal(0)
                        arrived_other = _wan(rng, 10, 500) if rng.random() < 0.5 else Decimal(0)
                        key = (spec["city"].pk, month)
                        if key not in due_cache:
                            due_cache[key] = progress_due(spec["city"], month)
                        due_on = due_cache[key]
                        # Reported a few days either side of the deadline: late when after it (the service's rule).
                        reported_on = due_on + datetime.timedelta(days=rng.randrange(-8, 4))
                        reports.append(
                            MonthlyProgress(
                                month=month,
                                completed_investment=completed,
                                funds_fixed=arrived_fixed,
                                funds_non_fixed=arrived_other,
                                funds_outside_province=(arrived_fixed + arrived_other) * Decimal("0.6"),
                                funds_in_province=Decimal(0),
                                progress="按计划推进" if started else "正在办理开工前手续",
                                problems="",
                                reported_by=rng.choice(spec["people"][host.pk]),
                                due_on=due_on,
                                late=reported_on > due_on,
                            )
                        )
                        month = _month_after(month)
                # The project's totals as the service keeps them from its reports (_refresh_totals).
                if reports:
                    project.completed_investment = reports[-1].completed_investment
                    project.funds_arrived = sum((r.funds_fixed + r.funds_non_fixed for r in reports), Decimal(0))
                    project.last_progress_month = reports[-1].month
                moves = []
                if stage != Stage.PLANNED:
                    moves.append((Stage.PLANNED, Stage.NEGOTIATING, first_contact))
                previous = Stage.NEGOTIATING
                for step, when in dates.items():
                    moves.append((previous, step, when))
                    previous = step
                batch.append(project)
                plans.append((project, investors, moves, reports, spec))
            _bulk(Project, batch, counter)
    with report.table("项目投资方 (M2M)") as counter:
        through = Project.investors.through
        _bulk(through, [through(project_id=p.pk, company_id=c) for p, ids, *_ in plans for c in ids], counter)
    with report.table("阶段变更 StageChange") as counter:
        rows = []
        for project, _ids, moves, _reports, spec in plans:
            for from_stage, to_stage, when in moves:
                verified = to_stage in VERIFIED_STAGES
                rows.append(
                    StageChange(
                        project=project,
                        from_stage=from_stage,
                        to_stage=to_stage,
                        happened_on=when,
                        evidence_kind=sorted(STAGE_EVIDENCE[to_stage])[0] if verified else "",
                        actor=project.created_by,
                        verification=Verification.CONFIRMED if verified else Verification.NOT_NEEDED,
                        verified_by=spec["verifier"] if verified else None,
                        verified_at=_at(when + datetime.timedelta(days=1), rng) if verified else None,
                    )
                )
            if len(rows) >= BATCH * 2:
                _bulk(StageChange, rows, counter)
                rows = []
        _bulk(StageChange, rows, counter)
    with report.table("月度进展 MonthlyProgress") as counter:
        rows = []
        for project, _ids, _moves, reports, _spec in plans:
            for row in reports:
                row.project = project
                rows.append(row)
        _bulk(MonthlyProgress, rows, counter)
    for spec in made.cities:
        spec["projects"] = [p for p, _ids, _m, _r, s in plans if s is spec]


# --- Problems -------------------------------------------------------------------------------------------

PROBLEM_STATUSES = [
    ("raised", 10),
    ("assigned", 15),
    ("accepted", 20),
    ("solved", 15),
    ("closed", 35),
    ("reopened", 5),
]
NUMBER_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _problems(made, rng, report, total):
    from core.workdays import add_working_days
    from service.choices import EscalationReason, ProblemStatus, Satisfaction, Source, Urgency
    from service.models import Problem, ProblemAssignment

    statuses, weights = zip(*PROBLEM_STATUSES, strict=True)
    sources = [s for s, _l in Source.choices if s != Source.HOTLINE]
    urgencies = [Urgency.NORMAL] * 6 + [Urgency.URGENT] * 3 + [Urgency.CRITICAL]
    satisfactions = [Satisfaction.VERY, Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASIC]
    due_cache = {}
    with report.table("问题诉求 Problem") as counter:
        assignments = []
        for c, (spec, n) in enumerate(zip(made.cities, _split(total, len(made.cities)), strict=True)):
            signed = [p for p in spec["projects"] if p.signed_on]
            serial = {}
            batch = []
            for _ in range(n):
                category = rng.choice(spec["categories"])
                project = rng.choice(signed) if signed and rng.random() < 0.6 else None
                raised_on = _day(rng, max(FIRST_DAY, project.signed_on) if project else FIRST_DAY)
                if project is not None:
                    unit = project.host_unit
                    company_id = None
                else:
                    unit = rng.choices(spec["ledger_units"], spec["ledger_weights"])[0]
                    company_id = rng.choice(spec["company_ids"])
                serial[raised_on.year] = serial.get(raised_on.year, 0) + 1
                title, description = PROBLEMS.get(category.code, PROBLEMS["other"])
                status = rng.choices(statuses, weights)[0]
                problem = Problem(
                    owner=spec["city"],
                    # The service's form (WT2023-00012A), the letter telling the cities apart.
                    number=f"WT{raised_on.year}-{serial[raised_on.year]:05d}{NUMBER_LETTERS[c]}",
                    title=title,
                    description=description,
                    category=category,
                    urgency=rng.choice(urgencies),
                    source=rng.choice(sources),
                    project=project,
                    company_id=company_id,
                    raised_on=raised_on,
                    raised_by=rng.choice(spec["people"][unit.pk]),
                    raised_unit=unit,
                    status=status,
                )
                departments = []
                if status != ProblemStatus.RAISED:
                    key = (raised_on, category.due_days)
                    if key not in due_cache:
                        due_cache[key] = add_working_days(raised_on, category.due_days)
                    problem.due_on = due_cache[key]
                    assigned_on = raised_on + datetime.timedelta(days=rng.randrange(0, 3))
                    problem.assigned_at = _at(assigned_on, rng)
                    departments = rng.sample(spec["departments"], rng.choice((1, 1, 1, 2)))
                    problem.lead_department = departments[0]
                    if status in (ProblemStatus.SOLVED, ProblemStatus.CLOSED):
                        solved_on = assigned_on + datetime.timedelta(days=rng.choice((0, 0, 1, 3, 7, 12, 25)))
                        problem.solved_at = (
                            problem.assigned_at + (solved_on - assigned_on) + datetime.timedelta(hours=2)
                        )
                        problem.answer = "已协调相关部门办理完毕，并向企业反馈。"
                        problem.same_day = solved_on == assigned_on
                        problem.on_time = solved_on <= problem.due_on
                    if status == ProblemStatus.CLOSED:
                        problem.closed_at = problem.solved_at + datetime.timedelta(days=rng.randrange(1, 5))
                        problem.satisfaction = rng.choice(satisfactions)
                    if status == ProblemStatus.REOPENED:
                        problem.reopen_count = 1
                    if status in (ProblemStatus.ASSIGNED, ProblemStatus.ACCEPTED, ProblemStatus.REOPENED):
                        # Open past its deadline: the daily supervision run (escalate_overdue) has flagged it.
                        problem.escalated = EscalationReason.OVERDUE
                        problem.escalated_at = _at(problem.due_on + datetime.timedelta(days=1), rng)
                batch.append(problem)
                accepted = status in (ProblemStatus.ACCEPTED, ProblemStatus.SOLVED, ProblemStatus.CLOSED)
                for i, department in enumerate(departments):
                    assignments.append(
                        (
                            problem,
                            ProblemAssignment(
                                department=department,
                                is_lead=i == 0,
                                accepted_at=problem.assigned_at + datetime.timedelta(hours=3) if accepted else None,
                                note=problem.answer if accepted and i == 0 else "",
                            ),
                        )
                    )
            _bulk(Problem, batch, counter)
    with report.table("问题交办 Assignment") as counter:
        rows = []
        for problem, assignment in assignments:
            assignment.problem = problem
            rows.append(assignment)
        _bulk(ProblemAssignment, rows, counter)


# --- Targets --------------------------------------------------------------------------------------------


def _targets(made, report):
    from targets.choices import TEMPLATE_VALUES, Template
    from targets.models import Target
    from targets.services import month_range, teams_of

    with report.table("目标 Target") as counter:
        rows = []
        for spec in made.cities:
            city, office = spec["city"], spec["office_staff"][0]
            routine = TEMPLATE_VALUES[Template.ROUTINE_MONTHLY]
            for team in teams_of(city):
                for month in range(1, 13):
                    start, end = month_range(TARGET_YEAR, month)
                    for indicator, value in routine.items():
                        rows.append(
                            Target(
                                owner=city,
                                indicator=indicator,
                                unit=team,
                                start=start,
                                end=end,
                                value=value,
                                template=Template.ROUTINE_MONTHLY,
                                name=str(Template.ROUTINE_MONTHLY.label),
                                created_by=office,
                            )
                        )
            for indicator, value in TEMPLATE_VALUES[Template.CITY_1521].items():
                rows.append(
                    Target(
                        owner=city,
                        indicator=indicator,
                        unit=city,
                        start=datetime.date(TARGET_YEAR, 1, 1),
                        end=datetime.date(TARGET_YEAR, 12, 31),
                        value=value,
                        template=Template.CITY_1521,
                        name=str(Template.CITY_1521.label),
                        created_by=office,
                    )
                )
        _bulk(Target, rows, counter)


def _audit(made, scale, seed, counts):
    """One audit event for the whole load: what was generated, at which scale and seed."""
    from core import audit
    from core.models import AuditAction

    audit.record(
        action=AuditAction.IMPORT,
        obj=made.province,
        after={"scale": str(scale), "seed": seed, **counts},
        message="生成省级测试数据（bench/generator.py）",
        actor_name="generate_province",
    )


# --- A digest of what was made, by natural keys (no ids): two runs with the same seed give the same -----------


def digest():
    """sha256 over the generated records' names, codes and dates, in a fixed order (ids left out)."""
    from enterprises.models import Company
    from leads.models import Lead
    from organizations.models import Unit, User
    from outreach.models import Visit
    from projects.models import MonthlyProgress, Project
    from service.models import Problem
    from targets.models import Target

    h = hashlib.sha256()
    queries = [
        Unit.objects.order_by("code").values_list("code", "name", "kind", "parent__code", "depth"),
        User.objects.order_by("username").values_list("username", "name", "home_unit__code"),
        Company.objects.order_by("owner__code", "normalized_name").values_list(
            "owner__code", "name", "credit_code", "kind", "province"
        ),
        Visit.objects.order_by("unit__code", "visit_date", "company__name", "content").values_list(
            "unit__code", "visit_date", "company__name", "content"
        ),
        Lead.objects.order_by("reporting_unit__code", "collected_date", "investor__name", "name").values_list(
            "reporting_unit__code", "name", "collected_date", "status", "pool__code", "receiving_unit__code"
        ),
        Project.objects.order_by("host_unit__code", "dedupe_key").values_list(
            "host_unit__code", "name", "stage", "signed_on", "started_on", "producing_on", "total_investment"
        ),
        MonthlyProgress.objects.order_by("project__host_unit__code", "project__dedupe_key", "month").values_list(
            "project__name", "month", "completed_investment"
        ),
        Problem.objects.order_by("number").values_list("number", "raised_on", "status", "due_on"),
        Target.objects.order_by("unit__code", "indicator", "start").values_list("unit__code", "indicator", "start"),
    ]
    for query in queries:
        # Sorted here, not by the database: rows equal on the ORDER BY keys come back in any order (PostgreSQL),
        # and collations sort Chinese differently; the data, not the engine's order, is what must be the same.
        for line in sorted(repr(row) for row in query.iterator(chunk_size=10_000)):
            h.update(line.encode("utf-8"))
    return h.hexdigest()
