"""Demo problems and meetings for 运城 (issue 6): "件件有落实、事事有回音" (seed 003) as the seeds tell it.

Forty problems from November 2022 to December 2023, on the demo projects of 运城 (the projects demo),
at meetings and on the complaint line:

- raised by the projects' service team (杭州招商组's 王峰 is on every team) or by the office at a
  meeting, assigned by the office (黄锋斌) to one department or to two with one in the lead (有诉联办),
  accepted and answered by each department's demo person, confirmed by the service team with a grade;
- the 行政审批服务管理局 solves nearly all of its problems the day they are assigned: its 日清日结
  share is above the 80% 交城 publishes (seed 004);
- a few are overdue, a few were sent back (退回重办) and so went to supervision, and one company
  raised the same kind of problem three times (屡诉督办 — seed 002);
- the meetings: a 早餐会, a 下午茶, the 夜沙龙 where the jewellery firm 金玉珠宝 asks for a bigger plant
  and 500万 of working capital (seed 002's 尊祥 story, moved to 运城经开区), a monthly dispatch and a
  joint meeting, with their decisions, owners and due dates;
- two complaints filed on the public form, one answered and waiting for the company's word.

Everything goes through service.services, which date their records "now"; afterwards each problem's
times (raised, assigned, accepted, solved, confirmed, escalated, its timeline) and its number are set
back to the story, and 日清日结 and 按期 are worked out from those times. The audit log keeps the true
times. Idempotent: problems are matched by title per project (per meeting for a company's, by phone
and text for a complaint), meetings by title, decisions by text; a second run adds nothing.
"""

import datetime
import random
from typing import NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.models import AuditAction
from core.workdays import is_working_day
from enterprises.services import resolve_company
from organizations.choices import Role
from organizations.demo import DEMO_PASSWORD
from organizations.models import Membership, Unit, User
from projects.models import Project

from . import services
from .choices import MeetingKind, ProblemStatus, Source, Urgency
from .models import Meeting, Problem, ProblemAssignment, ProblemEvent

# The day the story is told up to: whatever is still open and past its due date then is overdue.
STORY_END = datetime.date(2023, 12, 29)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A demo person for each department that answers problems (自然资源局's 赵敏 is in organizations.demo).
STAFF = [
    ("shenpi", "李娜", "市行政审批服务管理局项目服务科科长", "YC-SPJ"),
    ("zhujian", "王强", "市住房和城乡建设局建设管理科科长", "YC-ZJJ"),
    ("gongdian", "张磊", "国网运城供电公司客户服务中心主任", "YC-GDGS"),
    ("gongxin", "郭晓东", "市工业和信息化局投资规划科科长", "YC-GXJ"),
    ("jinrong", "孙丽", "市地方金融监督管理局金融服务科科长", "YC-JRJ"),
    ("renshe", "周敏", "市人力资源和社会保障局就业促进科科长", "YC-RSJ"),
    ("ziranziyuan", None, None, "YC-ZRZYJ"),
]
# The unit whose 日清日结 share the demo shows above 80% (seed 004).
SAME_DAY_UNIT = "YC-SPJ"

JEWELLER = "运城市金玉珠宝有限公司"
DEMO_COMPLAINT_PHONE = "13935912345"


class Spec(NamedTuple):
    """One problem of the story.

    project: index into 运城's demo projects (ordered by signing), None for a company's problem.
    departments: unit codes, the lead first. fate: how far it got —
    raised, assigned, accepted, solved (awaiting confirmation), closed, reopened (sent back, still with the
    departments), reopened_accepted (sent back and taken up again), reopened_closed (sent back, solved
    again, confirmed). days: calendar days from raising to solving
    (0: the same day it was assigned — 日清日结).
    """

    project: int | None
    title: str
    category: str
    raised: datetime.date
    departments: tuple
    fate: str
    description: str
    answer: str = ""
    days: int = 0
    satisfaction: int = 5
    co_note: str = ""
    reason: str = ""
    days2: int = 0
    answer2: str = ""
    meeting: str = ""
    source: str = Source.SERVICE_TEAM
    urgency: str = Urgency.NORMAL
    files: tuple = ()


D = datetime.date

PROBLEMS = [
    # --- 审批: the 行政审批服务管理局 answers at the window the day it is assigned (日清日结) ---
    Spec(
        9,
        "项目备案证明办理",
        "approval",
        D(2022, 11, 8),
        ("YC-SPJ",),
        "closed",
        "项目已签约，企业需尽快取得备案证明以办理后续环评、能评手续。",
        "已通过投资项目在线审批监管平台当日完成备案，备案证明已推送企业。",
    ),
    Spec(
        10,
        "研发中心建设项目环评审批",
        "approval",
        D(2022, 11, 15),
        ("YC-SPJ",),
        "closed",
        "企业反映环评审批时间较长，影响开工计划，请审批局加快办理。",
        "环评报告表已受理并当日完成技术审查，批复文件已出具。",
    ),
    Spec(
        15,
        "营业执照变更登记",
        "approval",
        D(2022, 11, 22),
        ("YC-SPJ",),
        "closed",
        "项目公司变更名称和注册资本，需换发营业执照。",
        "名称、注册资本变更当日办结，新营业执照已邮寄送达企业。",
    ),
    Spec(
        13,
        "建设工程规划许可办理",
        "approval",
        D(2022, 12, 6),
        ("YC-SPJ", "YC-ZRZYJ"),
        "closed",
        "总平面图已完成，请协调尽快核发建设工程规划许可证。",
        "规划方案经自然资源局审查通过，当日核发建设工程规划许可证。",
        satisfaction=4,
        co_note="规划条件核实意见已出具，同意按审查方案核发许可。",
    ),
    Spec(
        14,
        "项目节能审查",
        "approval",
        D(2023, 1, 10),
        ("YC-SPJ",),
        "closed",
        "扩产项目年综合能耗超过 5000 吨标准煤，需办理节能审查。",
        "节能报告已组织专家评审，当日出具节能审查意见。",
    ),
    Spec(
        16,
        "项目备案信息变更",
        "approval",
        D(2023, 2, 14),
        ("YC-SPJ",),
        "closed",
        "项目建设规模和总投资调整，需变更备案信息。",
        "建设规模和总投资变更已在线办理，当日完成。",
    ),
    Spec(
        11,
        "施工许可证并联审批",
        "approval",
        D(2023, 3, 8),
        ("YC-SPJ", "YC-ZJJ"),
        "closed",
        "厂房施工图已审查合格，企业希望月内开工，请并联办理施工许可和质量安全监督手续。",
        "审批局牵头、住建局配合，施工许可与质量安全监督手续并联办理，当日核发施工许可证。",
        co_note="质量安全监督登记已同步办理。",
        meeting="breakfast",
    ),
    Spec(
        12,
        "药品生产许可申报材料预审",
        "approval",
        D(2023, 3, 8),
        ("YC-SPJ",),
        "closed",
        "企业首次申报药品生产许可证，对申报要件不熟悉，希望提前预审。",
        "已组织专家对申报材料预审，列出补正清单；企业补正后已报省药品监督管理局。",
        days=4,
        satisfaction=4,
        meeting="breakfast",
    ),
    Spec(
        17,
        "医疗器械生产许可咨询",
        "approval",
        D(2023, 4, 11),
        ("YC-SPJ",),
        "closed",
        "企业拟生产二类医疗器械，需了解生产许可办理流程和要件。",
        "已安排专人一次性告知申报要件，并协助企业对接省药品监督管理局。",
        satisfaction=4,
    ),
    Spec(
        19,
        "消防设计审查",
        "approval",
        D(2023, 5, 9),
        ("YC-SPJ", "YC-ZJJ"),
        "closed",
        "生产车间属丙类厂房，消防设计审查需与施工许可同步推进。",
        "审批局与住建局联合审查，当日出具消防设计审查合格意见。",
        co_note="消防设计技术审查已完成，无修改意见。",
    ),
    Spec(
        21,
        "施工图审查与施工许可",
        "approval",
        D(2023, 8, 15),
        ("YC-SPJ",),
        "solved",
        "项目施工图已完成，请协调施工图审查并核发施工许可证。",
        "施工图审查合格，施工许可证当日核发，请企业确认。",
    ),
    # --- 用地 ---
    Spec(
        9,
        "项目用地预审与选址意见",
        "land",
        D(2022, 11, 29),
        ("YC-ZRZYJ",),
        "closed",
        "项目选址涉及一般耕地，需办理用地预审与选址意见书。",
        "用地预审已通过，建设项目用地预审与选址意见书已核发。",
        days=6,
        satisfaction=4,
    ),
    Spec(
        0,
        "区域总部办公用地规划调整",
        "land",
        D(2022, 12, 13),
        ("YC-ZRZYJ", "YC-ZJJ"),
        "closed",
        "区域总部拟建研发办公楼，现有地块规划为工业用地，需调整用地性质。",
        "控制性详细规划局部调整已经市规划委员会审议通过，用地性质调整为商务办公用地。",
        days=38,
        satisfaction=3,
        co_note="建筑设计方案已预审，符合调整后的规划条件。",
    ),
    Spec(
        18,
        "新增用地指标调剂",
        "land",
        D(2023, 2, 21),
        ("YC-ZRZYJ",),
        "closed",
        "二期项目需新增建设用地约 45 亩，县里年度指标不足。",
        "已从市级统筹指标中调剂 45 亩，报省自然资源厅备案。",
        days=12,
        satisfaction=4,
    ),
    Spec(
        19,
        "不动产权证书办理",
        "land",
        D(2023, 6, 6),
        ("YC-ZRZYJ",),
        "closed",
        "土地出让金已缴清，企业需尽快取得不动产权证书用于融资抵押。",
        "出让金缴纳凭证核验无误，当日核发不动产权证书。",
    ),
    Spec(
        13,
        "剩余两户土地征收协调",
        "land",
        D(2023, 7, 5),
        ("YC-ZRZYJ",),
        "reopened_accepted",
        "项目用地内仍有两户未完成搬迁，施工单位无法进场。",
        "已会同属地政府完成征收补偿方案公示，预计 8 月中旬交地。",
        days=20,
        reason="两户征收至今仍未完成，企业无法进场施工，答复只有预计时间。",
        meeting="dispatch",
        urgency=Urgency.URGENT,
    ),
    Spec(
        14,
        "扩产项目新增建设用地报批",
        "land",
        D(2023, 10, 17),
        ("YC-ZRZYJ",),
        "accepted",
        "扩产项目需新增建设用地 30 亩，请协调农用地转用和土地征收报批。",
    ),
    # --- 水电气: 宏达 raises its third utilities problem and goes to supervision (屡诉督办) ---
    Spec(
        7,
        "施工临时用电接入",
        "utilities",
        D(2022, 11, 10),
        ("YC-GDGS",),
        "closed",
        "项目即将开工，需接入施工临时用电 630 千伏安。",
        "已完成临时用电方案答复并装表接电。",
        days=2,
        source=Source.VISIT,
    ),
    Spec(
        7,
        "天然气管道接入",
        "utilities",
        D(2023, 1, 5),
        ("YC-ZJJ",),
        "closed",
        "生产线调试需要天然气，厂区尚未接通燃气管道。",
        "已协调燃气公司完成接驳方案，管道已于 1 月 10 日通气。",
        days=5,
        satisfaction=4,
    ),
    Spec(
        1,
        "配套园区双回路供电",
        "utilities",
        D(2023, 3, 14),
        ("YC-GDGS",),
        "reopened_closed",
        "配套园区连续生产，需双回路供电保障。",
        "双回路供电方案已编制完成，已答复企业。",
        days=5,
        satisfaction=4,
        reason="只有文字答复，没有施工时间表，企业无法安排投产计划。",
        days2=10,
        answer2="已明确第二回路 4 月底前建成，4 月 27 日双回路正式投运。",
    ),
    Spec(
        5,
        "生产线扩能用电增容",
        "utilities",
        D(2023, 4, 18),
        ("YC-GDGS",),
        "closed",
        "新增两条生产线，需用电增容 2000 千伏安。",
        "增容方案已答复，新增 2000 千伏安变压器已送电。",
        days=3,
    ),
    Spec(
        20,
        "生产用蒸汽管网接入",
        "utilities",
        D(2023, 5, 17),
        ("YC-ZJJ",),
        "closed",
        "发酵车间需要生产用蒸汽，园区供热管网未延伸到厂区。",
        "已协调热电厂制定管网延伸方案，施工队伍已进场，5 月底前通汽。",
        days=5,
        satisfaction=4,
        meeting="tea",
    ),
    Spec(
        7,
        "生产用水增容",
        "utilities",
        D(2023, 8, 22),
        ("YC-ZJJ", "YC-GDGS"),
        "closed",
        "产能提升后日用水量增加到 1800 吨，现有供水管径不足，夏季多次停产。",
        "住建局、供电公司联合现场办公，新建加压泵站及供电专线，供水能力提升至每日 2000 吨。",
        days=24,
        satisfaction=3,
        co_note="加压泵站供电专线已接入。",
        urgency=Urgency.URGENT,
    ),
    Spec(
        4,
        "厂区专用变电站报装",
        "utilities",
        D(2023, 11, 21),
        ("YC-GDGS",),
        "assigned",
        "项目需新建 35 千伏专用变电站，报装申请已提交两周未有答复。",
    ),
    # --- 人才用工 ---
    Spec(
        2,
        "高校毕业生就业见习补贴",
        "labour",
        D(2023, 2, 28),
        ("YC-RSJ",),
        "closed",
        "企业吸纳高校毕业生见习 30 人，申请就业见习补贴。",
        "已认定为就业见习基地，首批见习补贴 12.6 万元已拨付。",
        days=6,
        satisfaction=4,
    ),
    Spec(
        6,
        "招聘技术工人 80 名",
        "labour",
        D(2023, 5, 17),
        ("YC-RSJ",),
        "closed",
        "新生产线投产需要电解、机修技术工人 80 名，本地招聘困难。",
        "已在县城举办专场招聘会，达成意向 96 人，首批 62 人已入职。",
        days=8,
        meeting="tea",
    ),
    Spec(
        5,
        "员工宿舍和人才公寓",
        "labour",
        D(2023, 7, 11),
        ("YC-RSJ", "YC-ZJJ"),
        "solved",
        "外地技术人员和新招员工住宿困难，希望协调人才公寓。",
        "已安排人才公寓 40 套，员工可按季度申请入住。",
        days=9,
        co_note="公租房 20 套已纳入配租计划。",
    ),
    # --- 政策兑现 ---
    Spec(
        1,
        "投产奖励政策兑现",
        "policy",
        D(2023, 4, 25),
        ("YC-GXJ",),
        "closed",
        "项目已投产，按投资协议应兑现投产奖励 300 万元。",
        "投产奖励 300 万元已经市政府常务会议研究同意并拨付。",
        days=30,
        satisfaction=3,
    ),
    Spec(
        2,
        "技改项目省级专项资金申报",
        "policy",
        D(2023, 6, 20),
        ("YC-GXJ",),
        "closed",
        "企业智能化改造项目拟申报省级技改专项资金，需指导。",
        "已指导企业完成申报，项目已列入省级技改专项资金计划。",
        days=7,
    ),
    Spec(
        5,
        "首台（套）重大技术装备认定",
        "policy",
        D(2023, 9, 5),
        ("YC-GXJ",),
        "reopened",
        "企业研制的碳纤维预浸料生产线申请首台（套）重大技术装备认定和奖励。",
        "已将申报材料转报省工业和信息化厅。",
        days=9,
        reason="只转报了材料，认定结果和奖励何时兑现没有答复。",
    ),
    # --- 融资 ---
    Spec(
        8,
        "钢结构厂房建设贷款",
        "financing",
        D(2023, 3, 21),
        ("YC-JRJ",),
        "closed",
        "二期厂房建设资金缺口约 8000 万元，希望对接银行贷款。",
        "已组织三家银行对接，运城农商银行授信 8000 万元，首笔已放款。",
        days=9,
        satisfaction=4,
    ),
    Spec(
        3,
        "项目融资未到位需协调",
        "financing",
        D(2023, 7, 5),
        ("YC-JRJ", "YC-GXJ"),
        "accepted",
        "项目因融资未能按期到位暂缓建设，需协调金融机构恢复授信。",
        co_note="已将项目列入市级重点项目融资需求清单。",
        meeting="dispatch",
        urgency=Urgency.CRITICAL,
    ),
    Spec(
        16,
        "设备融资租赁对接",
        "financing",
        D(2023, 12, 26),
        ("YC-JRJ",),
        "raised",
        "生产设备采购约 3000 万元，希望对接融资租赁公司。",
    ),
    # --- 其他 ---
    Spec(
        18,
        "园区道路及雨污管网配套",
        "other",
        D(2023, 3, 28),
        ("YC-ZJJ",),
        "closed",
        "厂区外园区支路未建成，雨污管网未接通，影响竣工验收。",
        "园区支路及雨污管网已纳入年度市政计划，5 月底前完工。",
        days=10,
        satisfaction=4,
    ),
    Spec(
        15,
        "厂区外部排水接入市政管网",
        "other",
        D(2023, 4, 4),
        ("YC-ZJJ",),
        "closed",
        "厂区排水需接入市政污水管网，需办理排水许可。",
        "排水接入方案已审定，排水许可证已核发。",
        days=6,
        satisfaction=4,
    ),
    Spec(
        12,
        "厂区周边道路照明",
        "other",
        D(2023, 11, 7),
        ("YC-ZJJ",),
        "closed",
        "厂区周边道路没有路灯，夜班员工通勤不安全。",
        "已安装路灯 36 盏，11 月 10 日亮灯。",
        days=4,
    ),
    # --- The 夜沙龙 at 运城经开区: the jewellery firm's two problems (seed 002) ---
    Spec(
        None,
        "现有厂房面积不足，需搬入园区新厂房",
        "land",
        D(2023, 6, 14),
        ("YC-ZRZYJ", "YC-ZJJ"),
        "closed",
        "公司去年把总部从上海迁回运城，现租用厂房约 800 平方米，已无法满足订单增长，希望搬入园区标准化厂房。",
        "园区新厂房已于 6 月 15 日完成竣工验收，6 月 16 日与企业签订入园协议，约定 7 月底前搬迁。",
        days=2,
        co_note="园区新厂房竣工验收已完成。",
        meeting="salon",
        files=("现有厂房平面图.pdf",),
    ),
    Spec(
        None,
        "缺少流动资金约 500 万元",
        "financing",
        D(2023, 6, 14),
        ("YC-JRJ", "YC-GXJ"),
        "closed",
        "订单增加后原料黄金采购占用资金多，缺少流动资金，有 500 万元就能运转起来。",
        "已组织运城农商银行、晋商银行对接，企业以黄金存货质押获得 500 万元流动资金贷款，并纳入创业担保贷款贴息。",
        days=13,
        co_note="已将企业列入市级专精特新培育库，协助申报品牌推广补助。",
        meeting="salon",
    ),
]

# Two complaints from the public form (接诉即办): (company, contact, phone, category, filed, text, fate, answer, dept).
COMPLAINTS = [
    (
        "运城市恒盛包装材料有限公司",
        "李先生",
        DEMO_COMPLAINT_PHONE,
        "environment",
        D(2023, 10, 16),
        "办理消防验收时多次往返，各窗口要求的材料不一致，已耽误投产近一个月。",
        "solved",
        "已安排专人与企业对接，材料清单一次性告知；10 月 19 日完成现场验收并出具验收意见。",
        "YC-ZJJ",
    ),
    (
        "运城市晋南冷链物流有限公司",
        "赵女士",
        "13835967890",
        "utilities",
        D(2023, 12, 18),
        "冷库项目申请用电报装已一个多月，至今没有答复，请帮助协调。",
        "raised",
        "",
        "YC-GDGS",
    ),
]

# The meetings: key → (kind, title, held on, host ("projects": the host of its problems' projects, or a unit
# code), place, attendees, summary, decisions [(text, owner unit code, owner name, due, done)]).
MEETINGS = {
    "breakfast": (
        MeetingKind.BREAKFAST,
        "运城经开区政企对接早餐会（第 3 期）",
        D(2023, 3, 8),
        "projects",
        "经开区管委会一楼会议室",
        "经开区管委会主任（主持）；市行政审批服务管理局、市住房和城乡建设局；入园企业负责人",
        "早 7 点半开始。企业反映施工许可和药品生产许可办理中的问题，审批局、住建局现场答复，能当场办的当场办。",
        [
            ("施工许可实行并联审批，当日办结", "YC-SPJ", "李娜", D(2023, 3, 8), D(2023, 3, 8)),
            ("安排专人帮办药品生产许可申报", "YC-JKQ", "经开区企业服务局", D(2023, 3, 17), D(2023, 3, 13)),
        ],
    ),
    "tea": (
        MeetingKind.TEA,
        "政企对接下午茶（技工招聘与蒸汽供应）",
        D(2023, 5, 17),
        "projects",
        "县政务服务中心三楼会议室",
        "县长（主持）；市人力资源和社会保障局、市住房和城乡建设局；县内重点项目企业负责人",
        "围绕技术工人招聘和生产用蒸汽供应，各方充分讨论，当场明确责任单位和时限。",
        [
            ("5 月底前举办技术工人专场招聘会", "YC-RSJ", "周敏", D(2023, 5, 31), D(2023, 5, 25)),
            ("协调热电厂制定蒸汽管网延伸方案", "YC-ZJJ", "王强", D(2023, 5, 24), D(2023, 5, 22)),
        ],
    ),
    "salon": (
        MeetingKind.SALON,
        "运城经开区政企对接夜沙龙（金玉珠宝专场）",
        D(2023, 6, 14),
        "YC-JKQ",
        "经开区管委会四楼会议室（20:30）",
        "经开区管委会主任（主持）；市自然资源局、市住房和城乡建设局、市地方金融监督管理局、市工业和信息化局；"
        "运城农商银行、晋商银行运城分行；运城市金玉珠宝有限公司负责人",
        "晚上 8 点半开始。金玉珠宝是一家小微企业，去年把公司总部从上海迁回运城、入驻经开区，发展较慢。"
        "企业负责人有备而来：一是现在的厂房小，想搬到园区里；二是缺少流动资金，有 500 万元就能运转起来。"
        "与会各方围绕资金筹措、市场开发、品牌打造“头脑风暴”近 3 小时。主持人当场指派专人落实场地问题，"
        "并和大家一起为企业资金筹措提出解决思路。",
        [
            (
                "这周抓紧组织验收园区新厂房，尽快签订入园协议",
                "YC-JKQ",
                "经开区企业服务局",
                D(2023, 6, 16),
                D(2023, 6, 16),
            ),
            (
                "协调金融机构对接企业 500 万元流动资金需求，一周内提出方案",
                "YC-JRJ",
                "孙丽",
                D(2023, 6, 21),
                D(2023, 6, 20),
            ),
            ("帮助企业开展品牌推广、对接电商平台", "YC-GXJ", "郭晓东", D(2023, 9, 30), None),
        ],
    ),
    "dispatch": (
        MeetingKind.DISPATCH,
        "2023 年 6 月全市重点项目月度调度会",
        D(2023, 7, 5),
        "YC",
        "市政府第二会议室",
        "副市长（主持）；市招商投资促进中心；各县（市、区）、开发区；市直有关部门",
        "逐项目调度 6 月进展，梳理问题清单，现场交办用地、融资等问题。",
        [
            ("各县（市、区）7 月 10 日前报送重点项目问题清单", "YC-ZSZX", "黄锋斌", D(2023, 7, 10), D(2023, 7, 10)),
            ("自然资源局会同属地政府 7 月底前完成剩余两户土地征收", "YC-ZRZYJ", "赵敏", D(2023, 7, 31), None),
            ("金融局牵头组织银企对接，帮助暂缓项目恢复建设", "YC-JRJ", "孙丽", D(2023, 8, 15), None),
        ],
    ),
    "joint": (
        MeetingKind.JOINT,
        "优化营商环境联席会议（2023 年第三季度）",
        D(2023, 9, 12),
        "YC",
        "市政府第一会议室",
        "副市长（主持）；市招商投资促进中心、市行政审批服务管理局、市自然资源局、市住房和城乡建设局、国网运城供电公司",
        "研究退回重办和同一企业反复反映的问题，明确联合办理和周调度机制。",
        [
            (
                "住建局、供电公司对同一企业反复反映的用水问题联合现场办公，9 月 15 日前拿出方案",
                "YC-ZJJ",
                "王强",
                D(2023, 9, 15),
                D(2023, 9, 14),
            ),
            ("对退回重办、屡次反映的问题实行周调度，招商中心每周通报", "YC-ZSZX", "黄锋斌", D(2023, 12, 31), None),
        ],
    ),
}
# Projects discussed at the joint meeting (no new problems are raised there): indices into the projects.
JOINT_PROJECTS = (7, 13)


def _workday(day):
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _workday_before(day):
    """The last working day before `day`."""
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _people():
    """The departments' demo people (created once, never reset), by unit code."""
    now = timezone.now()
    found = {}
    for username, name, title, code in STAFF:
        unit = Unit.objects.get(code=code)
        person = User.objects.filter(username=username).first()
        if person is None:
            person = User(username=username, name=name, title=title, is_demo=True, must_change_password=False)
            person.home_unit = unit
            person.set_password(DEMO_PASSWORD)
            person.password_changed_at = now
            person.save()
        Membership.objects.get_or_create(user=person, unit=unit, role=Role.DEPARTMENT_STAFF, defaults={"active": True})
        found[code] = person
    return found


class _Story:
    """Plays each problem through the services, then sets its times back to the story."""

    def __init__(self, city, office):
        self.city, self.office = city, office
        self.rng = random.Random("service-demo")
        self.staff = _people()
        self.team = User.objects.get(username="wangfeng")
        self.units = {u.code: u for u in Unit.objects.filter(path__startswith=city.path)}
        self.categories = {c.code: c for c in services.categories_for(city)}
        self.projects = list(
            Project.objects.filter(owner=city, lead__isnull=False)
            .order_by("signed_on", "id")
            .prefetch_related("investors")
        )
        self.created = []

    # -- time ------------------------------------------------------------------------------------

    def at(self, day, hour, spread=40):
        minute = self.rng.randint(0, spread)
        naive = datetime.datetime.combine(day, datetime.time(hour, 0)) + datetime.timedelta(minutes=minute)
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def step(self, when, call, **kwargs):
        """Run one service; the timeline entries it writes happened at `when`."""
        mark = ProblemEvent.objects.aggregate(m=Max("id"))["m"] or 0
        result = call(**kwargs)
        ProblemEvent.objects.filter(id__gt=mark).update(at=when)
        return result

    def renumber(self, problem, prefix):
        """A number of the year the problem was raised in (the services number by the current year)."""
        year = problem.raised_on.year
        count = Problem.objects.filter(number__startswith=f"{prefix}{year}-").count() + 1
        number = f"{prefix}{year}-{count:05d}{problem.number[-1]}"
        while Problem.objects.filter(number=number).exists():
            count += 1
            number = f"{prefix}{year}-{count:05d}{problem.number[-1]}"
        Problem.objects.filter(pk=problem.pk).update(number=number)
        problem.number = number

    def settle(self, problem, *, raised_at, assigned_at=None, solved_at=None, closed_at=None, accepted=None):
        """Set the problem's own times to the story's, and 日清日结 / 按期 from them."""
        problem.refresh_from_db()
        solved = problem.status in (ProblemStatus.SOLVED, ProblemStatus.CLOSED)
        solved_at = solved_at if solved else None
        last = max(t for t in (raised_at, assigned_at, solved_at, closed_at) if t is not None)
        escalated_at = None
        if problem.escalated:
            event = problem.events.filter(kind="escalated").order_by("id").first()
            escalated_at = event.at if event else last
        local = timezone.localdate
        Problem.objects.filter(pk=problem.pk).update(
            created_at=raised_at,
            updated_at=max(last, escalated_at or last),
            assigned_at=assigned_at,
            solved_at=solved_at,
            closed_at=closed_at if problem.status == ProblemStatus.CLOSED else None,
            escalated_at=escalated_at,
            same_day=bool(solved_at and assigned_at and local(solved_at) == local(assigned_at)),
            on_time=bool(solved_at and (problem.due_on is None or local(solved_at) <= problem.due_on)),
        )
        for unit_id, when in (accepted or {}).items():
            ProblemAssignment.objects.filter(problem=problem, department_id=unit_id, accepted_at__isnull=False).update(
                accepted_at=when
            )
        self.created.append(problem.pk)

    # -- the story ---------------------------------------------------------------------------------

    def meeting(self, key):
        kind, title, held_on, host, place, attendees, summary, decisions = MEETINGS[key]
        found = Meeting.objects.filter(owner=self.city, title=title).first()
        specs = [s for s in PROBLEMS if s.meeting == key]
        projects = [self.projects[s.project] for s in specs if s.project is not None and s.project < len(self.projects)]
        if key == "joint":
            projects = [self.projects[i] for i in JOINT_PROJECTS if i < len(self.projects)]
        if found is None:
            host_unit = projects[0].host_unit if host == "projects" and projects else self.units[host]
            companies = [c for p in projects for c in p.investors.all()]
            if key == "salon":
                companies.append(self.jeweller)
            found = services.create_meeting(
                actor=self.office,
                host_unit=host_unit,
                kind=kind,
                title=title,
                held_on=held_on,
                place=place,
                attendees=attendees,
                summary=summary,
                companies=list(dict.fromkeys(companies)),
                projects=list(dict.fromkeys(projects)),
            )
        for text, owner_code, owner_name, due_on, done_on in decisions:
            if found.decisions.filter(text=text).exists():
                continue
            decision = services.add_decision(
                actor=self.office,
                meeting=found,
                text=text,
                owner_unit=self.units.get(owner_code),
                owner_name=owner_name,
                due_on=due_on,
            )
            if done_on:
                services.complete_decision(actor=self.office, decision=decision, done_on=done_on)
        return found

    def play(self, spec, meetings):
        if spec.project is not None and spec.project >= len(self.projects):
            return
        project = self.projects[spec.project] if spec.project is not None else None
        meeting = meetings.get(spec.meeting)
        existing = Problem.objects.filter(owner=self.city, title=spec.title, is_complaint=False)
        existing = (
            existing.filter(project=project) if project else existing.filter(project__isnull=True, meeting=meeting)
        )
        if existing.exists():
            return
        raised_on = _workday(spec.raised)
        raiser = self.team if project is not None and meeting is None else self.office
        confirmer = self.team if project is not None else self.office
        raised_at = self.at(raised_on, 20 if spec.meeting == "salon" else 9)
        problem = self.step(
            raised_at,
            services.raise_problem,
            actor=raiser,
            title=spec.title,
            description=spec.description,
            category=self.categories[spec.category],
            project=project,
            company=self.jeweller if project is None else None,
            source=spec.source,
            meeting=meeting,
            urgency=spec.urgency,
            raised_on=raised_on,
            owner=self.city,
            files=[SimpleUploadedFile(name, PDF, content_type="application/pdf") for name in spec.files],
        )
        self.renumber(problem, "WT")
        self.handle(problem, spec, raised_at, confirmer)

    def handle(self, problem, spec, raised_at, confirmer):
        """Assign, accept, answer, solve, confirm or reopen as far as the spec's fate says."""
        times = {"raised_at": raised_at}
        fate = spec.fate
        if fate == "raised":
            return self.settle(problem, **times)
        raised_day = timezone.localdate(raised_at)
        # Raised at an evening meeting: assigned the next working morning.
        day = _workday(raised_day + datetime.timedelta(days=1)) if raised_at.hour >= 18 else raised_day
        departments = [self.units[code] for code in spec.departments]
        lead, helpers = departments[0], departments[1:]
        times["assigned_at"] = self.at(day, 10)
        self.step(
            times["assigned_at"],
            services.assign_problem,
            actor=self.office,
            problem=problem,
            departments=departments,
            lead_department=lead,
        )
        accepted = times["accepted"] = {}
        if fate == "assigned":
            return self.settle(problem, **times)
        lead_person = self.staff[spec.departments[0]]
        same_day = spec.days == 0
        accepted[lead.pk] = self.at(day, 10 if same_day else 14) + datetime.timedelta(minutes=45)
        self.step(accepted[lead.pk], services.accept_problem, actor=lead_person, problem=problem)
        solved_on = day if same_day else max(day, _workday(raised_day + datetime.timedelta(days=spec.days)))
        # The other departments give their part the day before the lead solves it (on an open one, at once).
        helper_day = day if same_day or fate == "accepted" else max(day, _workday_before(solved_on))
        for unit in helpers:
            accepted[unit.pk] = max(
                self.at(helper_day, 11 if same_day else 15), accepted[lead.pk] + datetime.timedelta(minutes=20)
            )
            note = spec.co_note or "已按职责配合办理。"
            self.step(
                accepted[unit.pk],
                services.answer_problem,
                actor=self.staff[unit.code],
                problem=problem,
                answer=note,
            )
        if fate == "accepted":
            return self.settle(problem, **times)
        times["solved_at"] = self.at(solved_on, 16)
        self.step(
            times["solved_at"],
            services.answer_problem,
            actor=lead_person,
            problem=problem,
            answer=spec.answer,
            solved=True,
        )
        if fate == "solved":
            return self.settle(problem, **times)
        if fate in ("reopened", "reopened_accepted", "reopened_closed"):
            reopened_on = _workday(solved_on + datetime.timedelta(days=3))
            self.step(
                self.at(reopened_on, 9),
                services.reopen_problem,
                actor=confirmer,
                problem=problem,
                reason=spec.reason,
            )
            accepted.clear()
            if fate == "reopened":
                # Back with the departments, not yet taken up again: 退回重办, on the supervision list.
                times.pop("solved_at")
                return self.settle(problem, **times)
            accepted[lead.pk] = self.at(reopened_on, 11)
            self.step(accepted[lead.pk], services.accept_problem, actor=lead_person, problem=problem)
            if fate == "reopened_accepted":
                times.pop("solved_at")
                return self.settle(problem, **times)
            solved_on = _workday(reopened_on + datetime.timedelta(days=spec.days2))
            times["solved_at"] = self.at(solved_on, 16)
            self.step(
                times["solved_at"],
                services.answer_problem,
                actor=lead_person,
                problem=problem,
                answer=spec.answer2,
                solved=True,
            )
        closed_on = _workday(solved_on + datetime.timedelta(days=self.rng.randint(1, 2)))
        times["closed_at"] = self.at(closed_on, 10)
        self.step(
            times["closed_at"],
            services.confirm_problem,
            actor=confirmer,
            problem=problem,
            satisfaction=spec.satisfaction,
            note="企业对办理结果表示认可。" if spec.satisfaction >= 4 else "",
        )
        return self.settle(problem, **times)

    def complaint(self, spec):
        company, contact, phone, code, filed, text, fate, answer, department = spec
        if Problem.objects.filter(owner=self.city, is_complaint=True, contact_phone=phone, description=text).exists():
            return
        raised_at = self.at(_workday(filed), 8)
        complaint = self.step(
            raised_at,
            services.submit_complaint,
            owner=self.city,
            company_name=company,
            contact_name=contact,
            contact_phone=phone,
            category=self.categories[code],
            description=text,
        )
        # Filed on the story's day: the due date the office sets counts from it.
        Problem.objects.filter(pk=complaint.pk).update(raised_on=timezone.localdate(raised_at))
        complaint.refresh_from_db()
        self.renumber(complaint, "TS")
        spec = Spec(None, complaint.title, code, filed, (department,), fate, text, answer, days=3)
        self.handle(complaint, spec, raised_at, confirmer=None)

    def escalate_overdue(self):
        """What was still open past its due date at the end of the story went to supervision then."""
        mark = ProblemEvent.objects.aggregate(m=Max("id"))["m"] or 0
        services.escalate_overdue(today=STORY_END)
        for event in ProblemEvent.objects.filter(id__gt=mark).select_related("problem"):
            problem = event.problem
            when = self.at(_workday(problem.due_on + datetime.timedelta(days=1)), 8)
            ProblemEvent.objects.filter(pk=event.pk).update(at=when)
            Problem.objects.filter(pk=problem.pk).update(escalated_at=when, updated_at=when)

    def run(self):
        self.jeweller, _created = resolve_company(
            actor=self.office,
            owner=self.city,
            name=JEWELLER,
            address="运城经济技术开发区",
            industry="黄金珠宝首饰设计加工",
            description="小微企业，去年将公司总部从上海迁回运城，入驻运城经开区（seed 002 的夜沙龙故事）。",
        )
        meetings = {key: self.meeting(key) for key in MEETINGS}
        for spec in sorted(PROBLEMS, key=lambda s: s.raised):
            self.play(spec, meetings)
        for spec in COMPLAINTS:
            self.complaint(spec)
        self.escalate_overdue()
        return meetings


@transaction.atomic
def load_service_demo(*, city, actor):
    """Load 运城's demo problems, meetings and complaints once; return counts of what exists afterwards.

    `city` is 运城 (its projects demo loaded), `actor` its office person (黄锋斌) who assigns and hosts.
    """
    story = _Story(city, actor)
    story.run()
    counts = _counts(city)
    if story.created:
        audit.record(
            action=AuditAction.IMPORT,
            actor=actor,
            actor_name="系统",
            object_type="service.problem",
            message="载入演示问题和会议：" + "，".join(f"{k} {v}" for k, v in counts.items()),
        )
    return counts


def _counts(city):
    problems = Problem.objects.filter(owner=city)
    return {
        "问题": problems.count(),
        "已办结": problems.filter(status__in=[ProblemStatus.SOLVED, ProblemStatus.CLOSED]).count(),
        "督办": problems.exclude(escalated="").count(),
        "会议": Meeting.objects.filter(owner=city).count(),
        "企业投诉": problems.filter(is_complaint=True).count(),
    }


def demo_complaint(city):
    """The answered demo complaint's number and phone, for trying the public status page."""
    found = Problem.objects.filter(owner=city, is_complaint=True, contact_phone=DEMO_COMPLAINT_PHONE).first()
    return (found.number, found.contact_phone) if found else None
