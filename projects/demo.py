"""Demo projects: 运城's 22 signed projects (seed 000) and the "三个一批" rounds of 古县, 阳城, 交城 (seeds 001, 004).

运城: the stationed teams signed 22 projects by early November 2022 (781 : 579 : 112 : 22). The
leads demo put 22 leads in 签约库 and 落地库; each becomes a project through
services.create_project_from_lead, is signed on the day its lead reached 签约库 with its
contract, and confirmed by the city's verifier (陈静, "hejian"); the landed ones started on
the day they reached 落地库, two are in production. Each has its 包联 (a county leader, a
responsible unit, a service team of demo people), the 四包 when ≥ 2亿, and monthly progress
through October 2022. A few moves await the verifier and one project is halted.

The rounds: every project, amount and outcome the seeds publish, so that the round pages show
the published rates exactly — 古县 (2022–2023, seven rounds) 96% / 62% / 100%, 阳城 (2023, four
rounds) 100% / 71.7% / 100%, 交城 (2023, four rounds) 100% / 100%. Per-project amounts are the
demo's own, varied, and sum exactly to the published totals; completed investment comes from
monthly reports. Each city gets a demo office person (its chains), a zone staff member (who
enters and moves the projects) and a verifier (who confirms, four eyes).

Everything goes through the services, which date their records "now"; afterwards the recording
and verification times and the monthly reports' submission times are set back to the history
they describe (the audit log keeps the true times). Idempotent: a part already loaded is
skipped, so a second run adds nothing.
"""

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from core import audit
from core.models import AuditAction
from organizations.choices import Role
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Unit, User

from . import services
from .choices import Batch, Duty, EvidenceKind, ProjectKind, RoundLevel, SigningForm, Stage, Verification
from .models import MonthlyProgress, Project, Round, StageChange

DEMO_SEED = 22
YI = Decimal(10000)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The evidence each confirmed move carries: its kind and the scanned document's name.
EVIDENCE = {
    Stage.SIGNED: (EvidenceKind.CONTRACT, "投资协议.pdf"),
    Stage.STARTED: (EvidenceKind.PERMIT, "施工许可证.pdf"),
    Stage.PRODUCING: (EvidenceKind.LICENCE, "生产许可证.pdf"),
    Stage.AT_CAPACITY: (EvidenceKind.OUTPUT, "产值统计表.pdf"),
}
VERIFY_NOTE = "佐证材料齐全，与现场核查一致，核验通过。"

# --- 运城 (seed 000) ---------------------------------------------------------------------------

YC_LAST_DAY = datetime.date(2022, 11, 4)  # "截至发稿日"
LEADERS = ["王建军", "李卫东", "张志刚", "赵晓峰", "刘海涛", "陈文斌", "杨国栋", "孙立新", "周振华", "吴建平"]
PROGRESS = {
    Stage.SIGNED: [
        "项目公司已注册，正在办理备案、环评、能评等前期手续。",
        "完成项目选址和用地预审，规划设计方案编制中。",
        "土地摘牌完成，施工图设计和招标准备中。",
    ],
    Stage.STARTED: [
        "主体厂房基础施工，钢结构进场安装。",
        "厂房主体封顶，设备基础施工，部分设备已订货。",
        "生产设备安装调试，配套水电气工程施工。",
    ],
    Stage.PRODUCING: ["首条生产线投产，产能逐步释放。", "试生产运行平稳，产品通过客户认证，开始批量供货。"],
    Stage.SUSPENDED: ["项目暂停建设，县区正协调企业融资。"],
}
PROBLEMS = [
    "",
    "",
    "",
    "项目用电增容审批进度较慢，需供电公司协调。",
    "施工用地有两户搬迁未完成，需乡镇协调。",
    "企业反映环评批复时间较长，请审批局加快办理。",
]

# --- "三个一批" (seeds 001, 004) -----------------------------------------------------------------
# (name, investor, chain, total 亿元, stage reached, completed 亿元 or None, expected output 亿元 or None)
GUXIAN = {
    Batch.SIGNED: [
        ("吡啶新材料系列产品生产项目", "山西宏源精细化工有限公司", "精细化工", "10.0", Stage.STARTED, "2.6", None),
        ("甲醇、合成氨技改工程项目", "山西盛隆泰达焦化有限公司", "煤焦化", "4.0", Stage.STARTED, "1.1", None),
        ("焦炉煤气制氢及加氢站项目", "古县新锦源氢能科技有限公司", "氢能", "2.1", Stage.STARTED, "0.6", None),
        ("医药中间体生产项目", "京合生物科技有限公司", "生物医药", "1.6", Stage.STARTED, "0.5", None),
        ("粗苯精制加氢项目", "临汾华晟化工科技有限公司", "精细化工", "1.3", Stage.STARTED, "0.4", None),
        ("煤矸石综合利用项目", "古县恒达新型建材有限公司", "煤焦化", "1.1", Stage.STARTED, "0.3", None),
        ("焦化废水深度处理及回用项目", "山西清源环保科技有限公司", "煤焦化", "0.9", Stage.STARTED, "0.3", None),
        ("高性能碳材料中试项目", "山西碳谷新材料有限公司", "精细化工", "0.8", Stage.STARTED, "0.2", None),
        ("危险化学品仓储物流项目", "古县通达化工物流有限公司", "精细化工", "0.6", Stage.STARTED, "0.2", None),
        ("焦化余热发电项目", "古县鑫源热电有限公司", "煤焦化", "0.5", Stage.STARTED, "0.15", None),
        ("甲醇汽车示范运营项目", "浙江绿色智行科创有限公司", "氢能", "1.0", Stage.SIGNED, None, None),
    ],
    Batch.STARTED: [
        ("干熄焦余热综合利用项目", "山西盛隆泰达焦化有限公司", "煤焦化", "2.5", Stage.PRODUCING, "1.9", None),
        ("年产3万吨高纯氢项目", "古县新锦源氢能科技有限公司", "氢能", "1.8", Stage.PRODUCING, "1.35", None),
        ("年产5000吨医药中间体项目", "京合生物科技有限公司", "生物医药", "1.2", Stage.PRODUCING, "0.88", None),
        ("年产10万吨改质沥青项目", "山西宏源精细化工有限公司", "精细化工", "1.0", Stage.PRODUCING, "0.75", None),
        ("化工园区污水处理厂项目", "古县开发区建设投资有限公司", "精细化工", "0.8", Stage.PRODUCING, "0.62", None),
        ("年产2万吨工业萘项目", "临汾华晟化工科技有限公司", "精细化工", "0.6", Stage.PRODUCING, "0.46", None),
        ("厂房屋顶分布式光伏项目", "山西晋能新能源开发有限公司", "氢能", "0.5", Stage.PRODUCING, "0.35", None),
        ("年产6万吨煤基针状焦项目", "山西碳谷新材料有限公司", "精细化工", "1.02", Stage.STARTED, "0.45", None),
        ("化工园区公共管廊项目", "古县开发区建设投资有限公司", "精细化工", "0.70", Stage.STARTED, "0.3", None),
    ],
    Batch.PRODUCING: [
        (
            "年产192万吨焦及干熄焦发电项目",
            "山西盛隆泰达焦化有限公司",
            "煤焦化",
            "15.6",
            Stage.AT_CAPACITY,
            "15.1",
            None,
        ),
        ("焦炉煤气综合利用制LNG项目", "山西宏源精细化工有限公司", "煤焦化", "4.2", Stage.AT_CAPACITY, "4.0", None),
        ("年产20万吨煤焦油加工项目", "临汾华晟化工科技有限公司", "精细化工", "2.6", Stage.AT_CAPACITY, "2.5", None),
        (
            "年产1000吨噻唑、3000吨硫酸铵项目",
            "京合生物科技有限公司",
            "生物医药",
            "2.3",
            Stage.AT_CAPACITY,
            "2.2",
            None,
        ),
        ("年产1万吨医药原料药项目", "山西古县医药化工有限公司", "生物医药", "1.5", Stage.AT_CAPACITY, "1.45", None),
        ("危险废物综合处置项目", "山西清源环保科技有限公司", "煤焦化", "0.98", Stage.AT_CAPACITY, "0.95", None),
        ("开发区标准化厂房项目", "古县开发区建设投资有限公司", "精细化工", "0.7", Stage.AT_CAPACITY, "0.7", None),
    ],
}
YANGCHENG = {
    Batch.SIGNED: [
        ("高端日用陶瓷智能化生产线项目", "山西阳城华瓷陶瓷有限公司", "现代陶瓷", "8.5", Stage.STARTED, "2.1", "6.0"),
        ("电子级氢氟酸项目", "晋城中晶电子材料有限公司", "精细化工", "6.2", Stage.STARTED, "1.6", "5.2"),
        ("年产500万件卫生陶瓷项目", "阳城县金瓯陶瓷有限公司", "现代陶瓷", "5.0", Stage.STARTED, "1.2", "4.1"),
        ("精密电子元器件生产项目", "深圳鑫晟电子科技有限公司", "电子信息", "3.8", Stage.STARTED, "0.9", "3.0"),
        ("陶瓷岩板生产线项目", "佛山新景陶瓷有限公司", "现代陶瓷", "3.2", Stage.STARTED, "0.8", "2.6"),
        ("电子信息产业园二期项目", "阳城经开区产业园运营有限公司", "电子信息", "2.6", Stage.STARTED, "0.7", "2.2"),
        ("氮化铝陶瓷基板项目", "山西晶瓷新材料有限公司", "现代陶瓷", "2.2", Stage.STARTED, "0.5", "1.9"),
        ("锂电池电解液添加剂项目", "江苏华盛锂电材料有限公司", "精细化工", "1.9", Stage.STARTED, "0.5", "1.5"),
        ("光学镜片精密加工项目", "东莞光辉光学科技有限公司", "电子信息", "1.6", Stage.STARTED, "0.4", "1.3"),
        ("陶瓷色釉料项目", "阳城县瓷都色釉料有限公司", "现代陶瓷", "1.3", Stage.STARTED, "0.3", "1.1"),
        ("柔性线路板生产项目", "深圳鑫晟电子科技有限公司", "电子信息", "1.04", Stage.STARTED, "0.25", "0.9"),
        ("电子级双氧水项目", "晋城中晶电子材料有限公司", "精细化工", "0.8", Stage.STARTED, "0.2", "0.7"),
    ],
    Batch.STARTED: [
        ("年产2万吨电子特气项目", "晋城中晶电子材料有限公司", "精细化工", "6.8", Stage.PRODUCING, "5.1", "5.0"),
        ("智能卫浴陶瓷生产基地项目", "山西阳城华瓷陶瓷有限公司", "现代陶瓷", "5.1", Stage.PRODUCING, "3.8", "4.0"),
        ("电子陶瓷元件项目", "山西晶瓷新材料有限公司", "现代陶瓷", "4.2", Stage.PRODUCING, "3.0", "3.2"),
        ("SMT智能贴片生产线项目", "深圳鑫晟电子科技有限公司", "电子信息", "3.5", Stage.PRODUCING, "2.5", "2.6"),
        ("高纯氧化铝粉体项目", "阳城县金瓯陶瓷有限公司", "现代陶瓷", "2.9", Stage.PRODUCING, "2.0", "2.1"),
        ("精细化工中间体项目", "江苏华盛锂电材料有限公司", "精细化工", "2.1", Stage.PRODUCING, "1.5", "1.6"),
        ("LED显示模组项目", "东莞光辉光学科技有限公司", "电子信息", "1.6", Stage.PRODUCING, "1.2", "1.2"),
        ("日用陶瓷釉下彩生产线项目", "阳城县瓷都色釉料有限公司", "现代陶瓷", "1.2", Stage.PRODUCING, "0.9", "0.9"),
        ("电子产品包装材料项目", "阳城县恒通包装有限公司", "电子信息", "0.87", Stage.PRODUCING, "0.7", "0.5"),
        ("化工园区危化品停车场项目", "阳城经开区产业园运营有限公司", "精细化工", "0.6", Stage.STARTED, "0.3", "0.4"),
    ],
    Batch.PRODUCING: [
        ("建筑陶瓷智能制造项目", "佛山新景陶瓷有限公司", "现代陶瓷", "7.2", Stage.AT_CAPACITY, "7.0", "2.6"),
        ("电子级硫酸项目", "晋城中晶电子材料有限公司", "精细化工", "4.6", Stage.AT_CAPACITY, "4.5", "1.9"),
        ("蓝宝石衬底片项目", "山西晶瓷新材料有限公司", "电子信息", "3.8", Stage.AT_CAPACITY, "3.7", "1.5"),
        ("日用陶瓷礼品瓷生产线项目", "山西阳城华瓷陶瓷有限公司", "现代陶瓷", "2.9", Stage.AT_CAPACITY, "2.8", "1.2"),
        ("电子线束加工项目", "深圳鑫晟电子科技有限公司", "电子信息", "2.3", Stage.AT_CAPACITY, "2.2", "1.0"),
        ("环保型水处理剂项目", "江苏华盛锂电材料有限公司", "精细化工", "1.9", Stage.AT_CAPACITY, "1.85", "0.8"),
        ("陶瓷窑炉余热利用项目", "阳城县金瓯陶瓷有限公司", "现代陶瓷", "1.4", Stage.AT_CAPACITY, "1.35", "0.6"),
        ("手机玻璃盖板加工项目", "东莞光辉光学科技有限公司", "电子信息", "0.9", Stage.AT_CAPACITY, "0.9", "0.4"),
        ("陶瓷包装物流中心项目", "阳城县恒通包装有限公司", "现代陶瓷", "0.7", Stage.AT_CAPACITY, "0.7", "0.3"),
    ],
}
JIAOCHENG = {
    Batch.SIGNED: [
        ("医药中间体技改项目", "山西新天源医药化工有限公司", "精细化工", "2.6", Stage.STARTED, "0.7", None),
        ("年产1万吨特种助剂项目", "山西金兰化工股份有限公司", "精细化工", "1.8", Stage.STARTED, "0.5", None),
        ("锂电池负极材料项目", "吕梁宏泰新能源材料有限公司", "新能源材料", "1.2", Stage.STARTED, "0.3", None),
        ("化工园区智慧安全监管平台项目", "交城经开区建设投资有限公司", "精细化工", "0.9", Stage.STARTED, "0.3", None),
        ("光伏支架生产项目", "山西晋中光伏科技有限公司", "新能源材料", "0.66", Stage.STARTED, "0.2", None),
        ("工业气体充装项目", "交城县华通气体有限公司", "精细化工", "0.48", Stage.STARTED, "0.15", None),
    ],
    Batch.STARTED: [
        ("年产3万吨高端树脂项目", "山西金兰化工股份有限公司", "精细化工", "3.2", Stage.PRODUCING, "2.6", None),
        ("原料药生产线扩建项目", "山西新天源医药化工有限公司", "精细化工", "2.4", Stage.PRODUCING, "1.9", None),
        ("储能电池材料项目", "吕梁宏泰新能源材料有限公司", "新能源材料", "1.9", Stage.PRODUCING, "1.5", None),
        ("化工园区蒸汽管网项目", "交城经开区建设投资有限公司", "精细化工", "1.5", Stage.PRODUCING, "1.3", None),
        ("铸造用新材料项目", "交城县鑫达新材料有限公司", "新能源材料", "1.1", Stage.PRODUCING, "0.9", None),
        ("危化品运输车辆停车场项目", "交城县华通气体有限公司", "精细化工", "0.8", Stage.STARTED, "0.4", None),
        ("研发检测中心项目", "山西金兰化工股份有限公司", "精细化工", "0.45", Stage.STARTED, "0.2", None),
        ("分布式光伏发电项目", "山西晋中光伏科技有限公司", "新能源材料", "0.28", Stage.STARTED, "0.15", None),
    ],
    Batch.PRODUCING: [
        (
            "年产60万吨焦化副产品深加工项目",
            "山西金兰化工股份有限公司",
            "精细化工",
            "22.0",
            Stage.AT_CAPACITY,
            "21.3",
            None,
        ),
        (
            "年产10万吨锂电池正极材料项目",
            "吕梁宏泰新能源材料有限公司",
            "新能源材料",
            "13.5",
            Stage.AT_CAPACITY,
            "13.0",
            None,
        ),
        ("医药化工一体化项目", "山西新天源医药化工有限公司", "精细化工", "7.2", Stage.AT_CAPACITY, "7.0", None),
        ("年产5万吨电子化学品项目", "交城县鑫达新材料有限公司", "精细化工", "3.84", Stage.AT_CAPACITY, "3.7", None),
        ("工业副产氢提纯项目", "交城县华通气体有限公司", "新能源材料", "2.0", Stage.AT_CAPACITY, "1.95", None),
    ],
}

# (city code, zone code, rounds' dates, last day of the history, published decimals, batches, cluster, chains)
ZONES = [
    (
        "LF",
        "LF-GX-KFQ",
        [datetime.date(2022, m, d) for m, d in ((3, 30), (6, 29), (9, 28), (12, 28))]
        + [datetime.date(2023, m, d) for m, d in ((3, 29), (6, 28), (9, 27))],
        datetime.date(2023, 12, 20),
        0,
        GUXIAN,
        ("现代煤化工", "依托古县开发区化工园区，以盛隆泰达、宏源两大链主企业延链补链强链（seed 001）。"),
        {
            "煤焦化": "焦炭、干熄焦发电、焦炉煤气综合利用。",
            "氢能": "焦炉煤气制氢、加氢站、氢能车辆示范。",
            "精细化工": "煤焦油、粗苯深加工，吡啶等精细化学品。",
            "生物医药": "医药中间体与原料药。",
        },
    ),
    (
        "JC",
        "JC-YC-KFQ",
        [datetime.date(2023, m, d) for m, d in ((3, 28), (6, 27), (9, 26), (11, 28))],
        datetime.date(2023, 12, 29),
        1,
        YANGCHENG,
        ("阳城开发区主导产业", "现代陶瓷、电子信息、精细化工三大主导产业（seed 001）。"),
        {
            "现代陶瓷": "日用陶瓷、建筑卫生陶瓷、电子陶瓷。",
            "电子信息": "电子元器件、显示模组、线路板。",
            "精细化工": "电子化学品、锂电材料、化工中间体。",
        },
    ),
    (
        "LL",
        "LL-JC-KFQ",
        [datetime.date(2023, m, d) for m, d in ((3, 30), (6, 29), (9, 28), (11, 30))],
        datetime.date(2023, 12, 29),
        0,
        JIAOCHENG,
        ("交城开发区主导产业", "精细化工与新能源材料（seed 004）。"),
        {"精细化工": "焦化副产品深加工、医药化工、特种助剂。", "新能源材料": "锂电材料、光伏配套、氢能。"},
    ),
]

# Demo people of the three other cities: (username, name, title, home unit code, role, role unit code).
OTHER_PEOPLE = [
    ("linfen_zx", "郭建华", "临汾市招商投资促进中心项目科科长", "LF", Role.OFFICE_STAFF, "LF"),
    ("guxian_kfq", "李红梅", "古县经济技术开发区投资促进部部长", "LF-GX-KFQ", Role.COUNTY_STAFF, "LF-GX-KFQ"),
    ("linfen_hy", "杨振宇", "临汾市招商投资促进中心项目核验员", "LF", Role.VERIFIER, "LF"),
    ("jincheng_zx", "常晓军", "晋城市招商投资促进中心项目科科长", "JC", Role.OFFICE_STAFF, "JC"),
    ("yangcheng_kfq", "张丽娜", "阳城经济技术开发区招商引资部部长", "JC-YC-KFQ", Role.COUNTY_STAFF, "JC-YC-KFQ"),
    ("jincheng_hy", "王海燕", "晋城市招商投资促进中心项目核验员", "JC", Role.VERIFIER, "JC"),
    ("lvliang_zx", "任志宏", "吕梁市招商投资促进中心项目科科长", "LL", Role.OFFICE_STAFF, "LL"),
    ("jiaocheng_kfq", "武建平", "交城经济开发区项目服务中心主任", "LL-JC-KFQ", Role.COUNTY_STAFF, "LL-JC-KFQ"),
    ("lvliang_hy", "高雅琴", "吕梁市招商投资促进中心项目核验员", "LL", Role.VERIFIER, "LL"),
]
NUMERALS = "一二三四五六七八九十"


def _document(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _yi(value):
    return (Decimal(value) * YI).quantize(Decimal("0.0001"))


def _days(day, n):
    return day + datetime.timedelta(days=n)


def _month(day):
    return day.replace(day=1)


def _months(first, last):
    """The first days of the months from `first`'s to `last`'s, inclusive."""
    month = _month(first)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


class _History:
    """What the services dated "now" in this load, to be set back to the days it describes."""

    def __init__(self):
        self.changes = []
        self.reports = []

    def move(self, project, to, on, *, recorder, verifier, confirm=True, reason="", output_value=None):
        kind, filename = EVIDENCE.get(Stage(to), ("", ""))
        change = services.advance_stage(
            actor=recorder,
            project=project,
            to=to,
            happened_on=on,
            reason=reason,
            evidence_kind=kind,
            files=[_document(filename)] if kind else (),
            output_value=output_value,
        )
        if confirm and change.verification == Verification.PENDING:
            services.verify_stage(actor=verifier, change=change, confirm=True, note=VERIFY_NOTE)
        self.changes.append(change.pk)
        project.refresh_from_db()
        return change

    def report(self, project, month, *, actor, completed, progress, funds=Decimal(0), problems="", outside=0.6):
        funds = Decimal(funds).quantize(Decimal("1"))
        fixed = (funds * Decimal("0.8")).quantize(Decimal("1"))
        report = services.report_progress(
            actor=actor,
            project=project,
            month=month,
            completed_investment=Decimal(completed).quantize(Decimal("0.0001")),
            progress=progress,
            funds_fixed=fixed,
            funds_non_fixed=funds - fixed,
            funds_outside_province=(funds * Decimal(str(outside))).quantize(Decimal("1"), rounding=ROUND_DOWN),
            funds_in_province=(funds * Decimal("0.1")).quantize(Decimal("1"), rounding=ROUND_DOWN),
            problems=problems,
        )
        self.reports.append(report.pk)
        return report

    def set_back(self, rng, late_share=0.08):
        """Recording, verification and reporting times as they were then; a few reports came in late."""
        tz = timezone.get_current_timezone()

        def at(day, hour, minute=0):
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), tz)

        changes = list(StageChange.objects.filter(pk__in=self.changes).order_by("id"))
        for change in changes:
            change.at = at(change.happened_on, 9, rng.randint(0, 59))
            if change.verified_at is not None:
                change.verified_at = at(_days(change.happened_on, rng.randint(1, 3)), 15, rng.randint(0, 59))
        StageChange.objects.bulk_update(changes, ["at", "verified_at"])
        reports = list(MonthlyProgress.objects.filter(pk__in=self.reports).order_by("id"))
        for report in reports:
            report.late = rng.random() < late_share
            day = _days(report.due_on, rng.randint(1, 6)) if report.late else _days(report.due_on, -rng.randint(0, 4))
            report.reported_at = at(day, rng.randint(9, 17), rng.randint(0, 59))
        MonthlyProgress.objects.bulk_update(reports, ["late", "reported_at"])


def _people():
    """The other cities' demo office person, zone staff and verifier (created once, never reset)."""
    now = timezone.now()
    found = {}
    for username, name, title, home_code, role, role_code in OTHER_PEOPLE:
        person = User.objects.filter(username=username).first()
        if person is None:
            person = User(username=username, name=name, title=title, is_demo=True, must_change_password=False)
            person.home_unit = Unit.objects.get(code=home_code)
            person.set_password(DEMO_PASSWORD)
            person.password_changed_at = now
            person.save()
        Membership.objects.get_or_create(
            user=person, unit=Unit.objects.get(code=role_code), role=role, defaults={"active": True}
        )
        found[username] = person
    return found


def _chains(*, city, actor, cluster_spec, chain_specs):
    """The city's demo cluster and chains (entered by its office through the chains services)."""
    from chains import services as chain_services
    from chains.models import IndustryChain, IndustryCluster

    name, description = cluster_spec
    cluster = IndustryCluster.objects.filter(owner=city, name=name).first() or chain_services.create_cluster(
        actor=actor, owner=city, name=name, description=description
    )
    chains = {}
    for order, (chain_name, chain_description) in enumerate(chain_specs.items(), start=1):
        chains[chain_name] = IndustryChain.objects.filter(
            cluster=cluster, name=chain_name
        ).first() or chain_services.create_chain(
            actor=actor, cluster=cluster, name=chain_name, description=chain_description, sort_order=order
        )
    return chains


@transaction.atomic
def load_projects_demo(*, city, actor):
    """Load the demo projects and rounds once; return counts of what exists afterwards.

    `city` is 运城 (its leads demo loaded), `actor` its office person who enters the projects.
    """
    rng = random.Random(DEMO_SEED)
    history = _History()
    if not Project.objects.filter(owner=city, lead__isnull=False).exists():
        _Yuncheng(city, actor, history, rng).run()
    people = _people()
    for city_code, zone_code, held, last_day, decimals, batches, cluster, chains in ZONES:
        zone = Unit.objects.get(code=zone_code)
        if Round.objects.filter(host_unit=zone).exists():
            continue
        owner = Unit.objects.get(code=city_code)
        prefix = city_code.lower()
        office = next(p for u, p in people.items() if u.endswith("_zx") and p.home_unit.code == city_code)
        verifier = next(p for u, p in people.items() if u.endswith("_hy") and p.home_unit.code == city_code)
        staff = next(p for p in people.values() if p.home_unit.code == zone_code)
        _Rounds(
            zone=zone,
            staff=staff,
            verifier=verifier,
            chains=_chains(city=owner, actor=office, cluster_spec=cluster, chain_specs=chains),
            held=held,
            last_day=last_day,
            decimals=decimals,
            history=history,
            rng=random.Random(f"{DEMO_SEED}-{prefix}"),
        ).run(batches)
    history.set_back(rng)
    counts = _counts(city)
    if history.changes:
        audit.record(
            action=AuditAction.IMPORT,
            actor=actor,
            actor_name="系统",
            object_type="projects.project",
            message="载入演示项目：" + "，".join(f"{k} {v}" for k, v in counts.items()),
        )
    return counts


def _counts(city):
    zones = Unit.objects.filter(code__in=[zone for _c, zone, *_rest in ZONES])
    return {
        "运城签约项目": Project.objects.filter(owner=city).counted().count(),
        "“三个一批”活动": Round.objects.filter(host_unit__in=zones).count(),
        "项目": Project.objects.count(),
    }


class _Yuncheng:
    """运城's 22 signed projects, from the leads in 签约库 and 落地库."""

    def __init__(self, city, actor, history, rng):
        self.city, self.office, self.history, self.rng = city, actor, history, rng
        self.verifier = User.objects.get(username="hejian")
        self.people = {p.username: p for p in User.objects.filter(username__in=["yanhu", "wangfeng", "hz_member"])}
        self.city_leader = User.objects.filter(username="leader").first()
        self.county_staff = {}
        for membership in Membership.objects.filter(
            unit__path__startswith=city.path, role=Role.COUNTY_STAFF, active=True, user__is_demo=True
        ).select_related("user"):
            self.county_staff.setdefault(membership.unit_id, membership.user)
        codes = ["YC-GXJ", "YC-ZRZYJ", "YC-SPJ", "YC-GDGS"]
        self.departments = {u.code: u for u in Unit.objects.filter(code__in=codes)}

    def leads(self):
        from leads.choices import LeadEventKind, LeadStatus
        from leads.models import Lead, LeadEvent

        leads = list(
            Lead.objects.filter(
                owner=self.city,
                pool__code__in=["signed", "landed"],
                status=LeadStatus.ACCEPTED,
                duplicate_of__isnull=True,
                receiving_unit__isnull=False,
            )
            .select_related("pool", "receiving_unit", "investor", "chain")
            .order_by("collected_date", "id")
        )
        moved = {}
        for lead_id, to, at in (
            LeadEvent.objects.filter(lead__in=leads, kind=LeadEventKind.POOL_MOVED)
            .order_by("at", "id")
            .values_list("lead_id", "to_value", "at")
        ):
            moved.setdefault(lead_id, {})[to] = timezone.localdate(at)
        return leads, moved

    def run(self):
        from chains.models import IndustryChain

        leads, moved = self.leads()
        chains = list(IndustryChain.objects.filter(cluster__owner=self.city, active=True).order_by("id"))
        plans = []
        for lead in leads:
            days = moved.get(lead.pk, {})
            signed = days.get("签约库") or _days(lead.collected_date, 60)
            landed = days.get("落地库") if lead.pool.code == "landed" else None
            plans.append((lead, min(signed, YC_LAST_DAY), landed and max(min(landed, YC_LAST_DAY), signed)))
        landed = sorted((p for p in plans if p[2]), key=lambda p: p[2])
        waiting = sorted((p for p in plans if not p[2]), key=lambda p: p[1])
        # The two landed first produce; the next awaits the verifier on its production; two of those only
        # signed have recorded a start the verifier has not yet seen; one signed project is halted.
        fate = {}
        for i, (lead, _s, _l) in enumerate(landed):
            fate[lead.pk] = "producing" if i < 2 else "producing_pending" if i == 2 else "started"
        for i, (lead, _s, _l) in enumerate(waiting):
            fate[lead.pk] = "start_pending" if i in (0, 2) else "suspended" if i == 1 else "signed"
        biggest = max(plans, key=lambda p: p[0].estimated_amount or 0)[0].pk if plans else None
        for n, (lead, signed, started) in enumerate(plans):
            self.project(n, lead, signed, started, fate=fate[lead.pk], chains=chains, biggest=lead.pk == biggest)

    def project(self, n, lead, signed, started, *, fate, chains, biggest):
        rng, office = self.rng, self.office
        host = lead.receiving_unit
        recorder = self.county_staff.get(host.pk, office)
        total = lead.estimated_amount or Decimal(rng.choice([8000, 15000, 30000]))
        output = (total * Decimal(str(rng.uniform(0.8, 1.8)))).quantize(Decimal("100"))
        expected_start = _days(signed, rng.randint(30, 90))
        extra = {
            "kind": ProjectKind.INDUSTRIAL,
            "fixed_investment": (total * Decimal(str(rng.uniform(0.6, 0.85)))).quantize(Decimal("100")),
            "land_mu": Decimal(max(10, int(total / 300))),
            "expected_output": output,
            "expected_tax": (output * Decimal("0.06")).quantize(Decimal("10")),
            "expected_jobs": max(30, int(total / 150)),
            "signing_form": rng.choice(
                [SigningForm.INVESTMENT, SigningForm.INVESTMENT, SigningForm.CONTRACT, SigningForm.FRAMEWORK]
            ),
            "expected_start": expected_start,
            "expected_production": _days(expected_start, rng.randint(240, 420)),
            "service_plan": (
                "一项目一清单一方案：县级领导包联，责任单位牵头办理备案、环评、能评和用地手续，"
                "服务专班每周一汇报进展，每月调度一次，问题清单限时办结。"
            ),
        }
        if lead.chain_id is None and chains:
            extra["chain"] = chains[n % len(chains)]
        project = services.create_project_from_lead(actor=office, lead=lead, **extra)
        # In the library from the signing; the landed ones filed (备案) before they started.
        services.set_library(
            actor=office,
            project=project,
            in_library=True,
            library_date=signed,
            filed=bool(started),
            filed_date=max(signed, _days(started, -10)) if started else None,
        )
        self.assign(n, project, host, biggest)
        self.history.move(project, Stage.SIGNED, signed, recorder=recorder, verifier=self.verifier)
        if started:
            self.history.move(project, Stage.STARTED, started, recorder=recorder, verifier=self.verifier)
        producing = None
        if fate in ("producing", "producing_pending"):
            producing = min(_days(started, rng.randint(70, 120)), YC_LAST_DAY)
            self.history.move(
                project,
                Stage.PRODUCING,
                producing,
                recorder=recorder,
                verifier=self.verifier,
                confirm=fate == "producing",
            )
        halted = None
        if fate == "suspended":
            halted = min(_days(signed, rng.randint(30, 60)), YC_LAST_DAY)
        self.progress(project, signed, started, producing, halted)
        if fate == "start_pending":
            self.history.move(
                project,
                Stage.STARTED,
                min(_days(signed, rng.randint(40, 80)), YC_LAST_DAY),
                recorder=recorder,
                verifier=self.verifier,
                confirm=False,
            )
        if halted:
            self.history.move(
                project,
                Stage.SUSPENDED,
                halted,
                recorder=recorder,
                verifier=self.verifier,
                reason="企业融资未能按期到位，项目暂缓建设；县区正协调金融机构对接。",
            )

    def assign(self, n, project, host, biggest):
        people = self.people
        team = [p for p in (self.county_staff.get(host.pk), people.get("wangfeng"), people.get("hz_member")) if p]
        team = list(dict.fromkeys(team))
        head = team[n % len(team)] if team else None
        departments = list(self.departments.values())
        responsible = host if n % 3 else (departments[n % len(departments)] if departments else host)
        leader = self.city_leader if biggest else None
        leader_name = leader.name if leader else LEADERS[n % len(LEADERS)]
        services.set_assignment(
            actor=self.office,
            project=project,
            leader=leader,
            leader_name=leader_name,
            responsible_unit=responsible,
            team=team,
            head=head,
        )
        if project.total_investment >= 20000:
            land = self.departments.get("YC-ZRZYJ")
            industry = self.departments.get("YC-GXJ")
            services.set_duties(
                actor=self.office,
                project=project,
                duties={
                    Duty.COORDINATE: (leader_name, host),
                    Duty.SERVICE: (head.name if head else leader_name, host),
                    Duty.LANDING: ("赵敏", land),
                    Duty.PRODUCTION: ("郭晓东", industry),
                },
            )
        project.refresh_from_db()

    def progress(self, project, signed, started, producing, halted):
        """Monthly reports from the signing month through October 2022 (the last full month before the report)."""
        rng = self.rng
        reporter = project.team.filter(is_head=True).select_related("user").first()
        actor = reporter.user if reporter else self.office
        total = project.total_investment
        done = Decimal(0)
        last = min(halted or YC_LAST_DAY, datetime.date(2022, 10, 1))
        months = list(_months(signed, last))
        for i, month in enumerate(months):
            if producing and month >= _month(producing):
                stage, share = Stage.PRODUCING, Decimal(str(rng.uniform(0.05, 0.12)))
            elif started and month >= _month(started):
                stage, share = Stage.STARTED, Decimal(str(rng.uniform(0.08, 0.18)))
            else:
                stage, share = Stage.SIGNED, Decimal(str(rng.uniform(0.0, 0.03)))
            if halted and month >= _month(halted):
                stage, share = Stage.SUSPENDED, Decimal(0)
            step = min((total * share).quantize(Decimal("10")), total - done)
            done += step
            texts = PROGRESS[stage]
            self.history.report(
                project,
                month,
                actor=actor,
                completed=done,
                funds=step,
                progress=texts[min(i, len(texts) - 1)] if stage != Stage.PRODUCING else rng.choice(texts),
                problems=rng.choice(PROBLEMS) if stage in (Stage.SIGNED, Stage.STARTED) else "",
                outside=rng.choice([0.5, 0.7, 0.9]),
            )
        if months:
            services.update_project(actor=self.office, project=project, progress_note=PROGRESS[stage][-1])


class _Rounds:
    """One zone's "三个一批" rounds with the projects, amounts and outcomes its seed publishes."""

    def __init__(self, *, zone, staff, verifier, chains, held, last_day, decimals, history, rng):
        self.zone, self.staff, self.verifier, self.chains = zone, staff, verifier, chains
        self.held, self.last_day, self.decimals = held, last_day, decimals
        self.history, self.rng = history, rng

    def clamp(self, day, floor):
        return max(min(day, self.last_day), floor)

    def run(self, batches):
        rounds = []
        per_year = {}
        for day in self.held:
            per_year[day.year] = per_year.get(day.year, 0) + 1
            rounds.append(
                services.create_round(
                    actor=self.staff,
                    host_unit=self.zone,
                    name=f"{self.zone.name}{day.year}年第{NUMERALS[per_year[day.year] - 1]}次“三个一批”活动",
                    held_on=day,
                    level=RoundLevel.PROVINCE,
                    rate_decimals=self.decimals,
                    note="省级“三个一批”活动，集中签约、开工、投产一批项目。",
                )
            )
        n = 0
        for batch, specs in batches.items():
            for i, spec in enumerate(specs):
                # In order over the rounds: the projects that got furthest are listed first, in the earlier rounds.
                rnd = rounds[i * len(rounds) // len(specs)]
                project = self.project(n, batch, rnd.held_on, spec)
                services.add_to_round(actor=self.staff, round=rnd, project=project, batch=batch)
                n += 1

    def project(self, n, batch, held, spec):
        name, investor, chain, amount, reached, completed, output = spec
        rng = self.rng
        total = _yi(amount)
        if batch == Batch.SIGNED:
            signed = held
        elif batch == Batch.STARTED:
            signed = _days(held, -rng.randint(60, 150))
        else:
            signed = _days(held, -rng.randint(380, 520))
        if output:
            expected_output = _yi(output)
        else:
            expected_output = (total * Decimal(str(rng.uniform(0.7, 1.4)))).quantize(Decimal("10"))
        infrastructure = any(word in name for word in ("园区", "管廊", "管网", "停车场"))
        project = services.create_project(
            actor=self.staff,
            host_unit=self.zone,
            name=name,
            investor_names=[investor],
            kind=ProjectKind.INFRASTRUCTURE if infrastructure else ProjectKind.INDUSTRIAL,
            content=f"{name.removesuffix('项目')}：建设生产装置、仓储及配套环保、安全设施。",
            total_investment=total,
            fixed_investment=(total * Decimal(str(rng.uniform(0.65, 0.9)))).quantize(Decimal("10")),
            land_mu=Decimal(max(8, int(total / 250))),
            expected_output=expected_output,
            expected_tax=(expected_output * Decimal("0.07")).quantize(Decimal("10")),
            expected_jobs=max(20, int(total / 200)),
            chain=self.chains.get(chain),
            first_contact_on=_days(signed, -rng.randint(45, 150)),
            signing_form=SigningForm.INVESTMENT,
            expected_start=_days(signed, rng.randint(20, 60)),
            expected_production=_days(signed, rng.randint(240, 400)),
            stage=Stage.NEGOTIATING,
            service_plan="一项目一专班：开发区领导包联，项目经理全程代办，问题清单周调度、月通报。",
        )
        services.set_assignment(
            actor=self.staff,
            project=project,
            leader_name=LEADERS[(n + 3) % len(LEADERS)],
            responsible_unit=self.zone,
            team=[self.staff],
            head=self.staff,
        )
        move = self.history.move
        move(project, Stage.SIGNED, signed, recorder=self.staff, verifier=self.verifier)
        dates = {Stage.SIGNED: signed}
        plan = {
            Batch.SIGNED: [(Stage.STARTED, _days(held, rng.randint(20, 75)))],
            Batch.STARTED: [(Stage.STARTED, held), (Stage.PRODUCING, _days(held, rng.randint(90, 160)))],
            Batch.PRODUCING: [
                (Stage.STARTED, _days(held, -rng.randint(240, 330))),
                (Stage.PRODUCING, held),
                (Stage.AT_CAPACITY, _days(held, rng.randint(20, 90))),
            ],
        }[batch]
        previous = signed
        for stage, planned in plan:
            if stage not in FORWARD_UNTIL[reached]:
                break
            day = self.clamp(planned, previous)
            value = expected_output if stage == Stage.AT_CAPACITY else None
            move(project, stage, day, recorder=self.staff, verifier=self.verifier, output_value=value)
            dates[stage] = previous = day
        self.progress(project, dates, completed, halfway=batch == Batch.STARTED)
        return project

    def progress(self, project, dates, completed, *, halfway):
        """The report at the last stage reached (and, for the 开工一批, one halfway): the investment completed."""
        rng = self.rng
        final = _yi(completed) if completed else Decimal(0)
        reached = max(dates.values())
        end = self.clamp(_days(reached, 20), reached)
        middle = _days(dates[Stage.SIGNED], (end - dates[Stage.SIGNED]).days // 2)
        steps = []
        if halfway and _month(middle) < _month(end):
            steps.append((middle, (final * Decimal("0.55")).quantize(Decimal("10"))))
        steps.append((end, final))
        done = Decimal(0)
        stage = Stage(project.stage)
        for month_day, value in steps:
            texts = PROGRESS.get(stage if stage != Stage.AT_CAPACITY else Stage.PRODUCING, PROGRESS[Stage.SIGNED])
            self.history.report(
                project,
                _month(month_day),
                actor=self.staff,
                completed=value,
                funds=value - done,
                progress=rng.choice(texts),
                outside=rng.choice([0.4, 0.6, 0.8]),
            )
            done = value


FORWARD_UNTIL = {
    Stage.SIGNED: (),
    Stage.STARTED: (Stage.STARTED,),
    Stage.PRODUCING: (Stage.STARTED, Stage.PRODUCING),
    Stage.AT_CAPACITY: (Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY),
}
