"""Demo organisation from the seeds (seed 000 for 运城; 001/004 for 古县, 阳城, 交城).

Loading is idempotent: units are matched by code and people by username, so running it
again updates in place and never duplicates. Demo people carry `is_demo`, which a
production start refuses.
"""

from django.db import transaction
from django.utils import timezone

from core import audit
from core.models import AuditAction

from .choices import Role, TargetRegion, UnitKind
from .models import Membership, Unit, User

DEMO_PASSWORD = "Zhaoshang@2026"

# Seed 000: "7+17" — seven city teams, each aimed at a region; where the seed names a
# team's focus it is quoted, otherwise the focus follows the region's strengths.
TEAMS = [
    (
        "YC-T-BJ",
        "北京招商组",
        "北京",
        [TargetRegion.JINGJINJI],
        "重点对接精品钢、碳基新材料产业链；入驻中关村产业技术联盟联合会、清控科创等商协会。",
    ),
    (
        "YC-T-SH",
        "上海招商组",
        "上海",
        [TargetRegion.YANGTZE_DELTA],
        "面向上海及长三角，对接新能源汽车、高端装备制造、新材料产业链企业和商协会。",
    ),
    (
        "YC-T-HZ",
        "杭州招商组",
        "杭州",
        [TargetRegion.YANGTZE_DELTA],
        "驻扎杭州，面向杭州、宁波、台州等地，重点对接新材料、先进轨道交通装备、铜精深加工产业链企业。",
    ),
    (
        "YC-T-CD",
        "成都招商组",
        "成都",
        [TargetRegion.CHENGYU],
        "面向成渝地区，对接现代医药、绿色食品、数字经济产业链企业。",
    ),
    (
        "YC-T-SZ",
        "深圳招商组",
        "深圳",
        [TargetRegion.PEARL_DELTA],
        "重点对接生物医药大健康、特色新材料、先进轨道交通产业链；入驻深圳企业家联合会、深圳市战新产业协会等商协会。",
    ),
    (
        "YC-T-NJ",
        "南京招商组",
        "南京",
        [TargetRegion.YANGTZE_DELTA],
        "面向南京及苏南，对接新型储能、光伏、电子信息产业链企业。",
    ),
    (
        "YC-T-GZ",
        "广州招商组",
        "广州",
        [TargetRegion.PEARL_DELTA],
        "面向广州及珠三角，对接汽车零部件、家电制造、日用化工产业链企业。",
    ),
]

# 运城's thirteen counties, county-level cities and district.
COUNTIES = [
    ("YC-YH", "盐湖区"),
    ("YC-YJ", "永济市"),
    ("YC-HJ", "河津市"),
    ("YC-LY", "临猗县"),
    ("YC-WR", "万荣县"),
    ("YC-WX", "闻喜县"),
    ("YC-JS", "稷山县"),
    ("YC-XJ", "新绛县"),
    ("YC-JX", "绛县"),
    ("YC-YQ", "垣曲县"),
    ("YC-XX", "夏县"),
    ("YC-PL", "平陆县"),
    ("YC-RC", "芮城县"),
]

# Departments the seeds name: the three with their own squads (000) and those that solve
# projects' problems — approval, land, housing, power (001, 003), financing and hiring (002).
DEPARTMENTS = [
    ("YC-GXJ", "运城市工业和信息化局", True),
    ("YC-NYNCJ", "运城市农业农村局", True),
    ("YC-WLJ", "运城市文化和旅游局", True),
    ("YC-SPJ", "运城市行政审批服务管理局", False),
    ("YC-ZRZYJ", "运城市自然资源局", False),
    ("YC-ZJJ", "运城市住房和城乡建设局", False),
    ("YC-GDGS", "国网运城供电公司", False),
    # Those that answer financing and hiring problems (service demo, seed 002's 500万 of working capital).
    ("YC-JRJ", "运城市地方金融监督管理局", False),
    ("YC-RSJ", "运城市人力资源和社会保障局", False),
]

SQUAD_REGIONS = [TargetRegion.YANGTZE_DELTA, TargetRegion.PEARL_DELTA, TargetRegion.JINGJINJI, TargetRegion.CHENGYU]

# Where the seeds publish "三个一批" figures: 古县 (001), 阳城 (001), 交城 (004).
OTHER_CITIES = [
    ("LF", "临汾市", "LF-GX", "古县", "LF-GX-KFQ", "古县经济技术开发区"),
    ("JC", "晋城市", "JC-YC", "阳城县", "JC-YC-KFQ", "阳城经济技术开发区"),
    ("LL", "吕梁市", "LL-JC", "交城县", "LL-JC-KFQ", "交城经济开发区"),
]

# One demo person for each role: (username, name, title, home unit code, role, role unit code).
PEOPLE = [
    ("admin", "系统管理员", "信息科科员", "YC-ZSZX", Role.SYSTEM_ADMIN, "YC"),
    ("auditor", "审计管理员", "机关纪委干事", "YC-ZSZX", Role.AUDIT_ADMIN, "YC"),
    ("zhongxin", "黄锋斌", "市招商投资促进中心主任", "YC-ZSZX", Role.OFFICE_STAFF, "YC"),
    ("wangfeng", "王峰", "杭州招商组组长、区域合作部科长", "YC-T-HZ", Role.TEAM_LEADER, "YC-T-HZ"),
    ("hz_member", "李晓燕", "杭州招商组组员", "YC-T-HZ", Role.TEAM_MEMBER, "YC-T-HZ"),
    ("yanhu", "张伟", "盐湖区招商服务中心副主任", "YC-YH", Role.COUNTY_STAFF, "YC-YH"),
    ("ziranziyuan", "赵敏", "市自然资源局规划科科长", "YC-ZRZYJ", Role.DEPARTMENT_STAFF, "YC-ZRZYJ"),
    ("leader", "刘市长", "运城市副市长", "YC", Role.LEADER, "YC"),
    ("hejian", "陈静", "市招商投资促进中心项目核验员", "YC-ZSZX", Role.VERIFIER, "YC"),
]
PHONES = {"wangfeng": "13935900001", "hz_member": "13935900002", "yanhu": "13935900003", "zhongxin": "03592020000"}


def _unit(code, name, kind, parent=None, sort_order=0, **extra):
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    unit.name, unit.kind, unit.parent, unit.sort_order, unit.active = name, kind, parent, sort_order, True
    for key, value in extra.items():
        setattr(unit, key, value)
    unit.save()
    path = f"{parent.path if parent else '/'}{unit.pk}/"
    if unit.path != path:
        unit.path, unit.depth = path, path.count("/") - 2
        unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def load_demo():
    """Create or refresh the demo tree and people; return (units, people) counts."""
    province = _unit("SX", "山西省", UnitKind.PROVINCE)
    city = _unit("YC", "运城市", UnitKind.CITY, province, 1)
    _unit("YC-ZSZX", "运城市招商投资促进中心", UnitKind.DEPARTMENT, city, 0)
    for i, (code, name, base, regions, focus) in enumerate(TEAMS):
        _unit(code, name, UnitKind.TEAM, city, 10 + i, base_city=base, target_regions=list(regions), focus=focus)
    for i, (code, name) in enumerate(COUNTIES):
        county = _unit(code, name, UnitKind.COUNTY, city, 30 + i)
        _unit(
            f"{code}-XFD",
            f"{name}驻点招商小分队",
            UnitKind.SQUAD,
            county,
            base_city="",
            target_regions=SQUAD_REGIONS,
            focus="瞄准长三角、珠三角、京津冀、成渝等重点发达区域，入驻重点区域商协会，敲门式招商、产业链招商。",
        )
    zone = _unit("YC-JKQ", "运城经济技术开发区", UnitKind.ZONE, city, 50)
    _unit("YC-JKQ-XFD", "运城经开区驻点招商小分队", UnitKind.SQUAD, zone, target_regions=SQUAD_REGIONS)
    _unit("YC-LY-NYQ", "临猗现代农业产业示范区", UnitKind.ZONE, Unit.objects.get(code="YC-LY"), 1)
    for i, (code, name, has_squad) in enumerate(DEPARTMENTS):
        dept = _unit(code, name, UnitKind.DEPARTMENT, city, 60 + i)
        if has_squad:
            _unit(
                f"{code}-XFD",
                f"{name.removeprefix('运城市')}驻点招商小分队",
                UnitKind.SQUAD,
                dept,
                target_regions=SQUAD_REGIONS,
            )
    for i, (city_code, city_name, county_code, county_name, zone_code, zone_name) in enumerate(OTHER_CITIES):
        other = _unit(city_code, city_name, UnitKind.CITY, province, 2 + i)
        county = _unit(county_code, county_name, UnitKind.COUNTY, other)
        _unit(zone_code, zone_name, UnitKind.ZONE, county)

    now = timezone.now()
    for username, name, title, home_code, role, role_code in PEOPLE:
        person = User.objects.filter(username=username).first() or User(username=username)
        person.name, person.title, person.is_active, person.is_demo = name, title, True, True
        person.home_unit = Unit.objects.get(code=home_code)
        person.phone = PHONES.get(username, "")
        person.must_change_password = False
        person.set_password(DEMO_PASSWORD)
        person.password_changed_at = now
        person.save()
        Membership.objects.update_or_create(
            user=person, unit=Unit.objects.get(code=role_code), role=role, defaults={"active": True}
        )
    units, people = Unit.objects.count(), User.objects.filter(is_demo=True).count()
    audit.record(
        action=AuditAction.IMPORT,
        object_type="organizations.unit",
        message=f"载入演示数据：{units} 个单位，{people} 名演示人员",
        actor_name="系统",
    )
    return units, people
