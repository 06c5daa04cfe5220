"""A project's kinds and stages, the moves between stages, the evidence each needs, and the rounds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    """As 屯留 counts its project library (seed 003): industrial, infrastructure, other."""

    INDUSTRIAL = "industrial", _("产业类")
    INFRASTRUCTURE = "infrastructure", _("基础设施类")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    PLANNED = "planned", _("谋划/储备")
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    AT_CAPACITY = "at_capacity", _("达效")
    SUSPENDED = "suspended", _("停建")
    TERMINATED = "terminated", _("终止")


# The way forward, in order: a project's progress is its place on this line.
FORWARD = [Stage.PLANNED, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY]
RANK = {stage: i for i, stage in enumerate(FORWARD)}

# Moves that count in the figures only once a second person (a verifier) confirmed the evidence.
VERIFIED_STAGES = {Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY}

# The only moves a stage may make. True: the move needs a reason (a step back, a halt, an end).
# 停建 resumes to the stage the project stopped at; that move is checked separately (resume_to).
STAGE_TRANSITIONS = {
    Stage.PLANNED: {Stage.NEGOTIATING: False, Stage.TERMINATED: True},
    Stage.NEGOTIATING: {Stage.SIGNED: False, Stage.PLANNED: True, Stage.TERMINATED: True},
    Stage.SIGNED: {Stage.STARTED: False, Stage.SUSPENDED: True, Stage.TERMINATED: True},
    Stage.STARTED: {Stage.PRODUCING: False, Stage.SUSPENDED: True, Stage.TERMINATED: True},
    Stage.PRODUCING: {Stage.AT_CAPACITY: False, Stage.SUSPENDED: True, Stage.TERMINATED: True},
    Stage.AT_CAPACITY: {},
    Stage.SUSPENDED: {Stage.TERMINATED: True},
    Stage.TERMINATED: {},
}


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", _("签约合同/协议")
    PERMIT = "permit", _("施工许可证")
    SITE_PHOTO = "site_photo", _("开工现场照片")
    LICENCE = "licence", _("生产许可证")
    FIRST_SALE = "first_sale", _("首笔销售记录")
    OUTPUT = "output", _("产值数据")
    OTHER = "other", _("其他")


# What evidence each verified stage takes: any one of these kinds, with a file.
STAGE_EVIDENCE = {
    Stage.SIGNED: {EvidenceKind.CONTRACT},
    Stage.STARTED: {EvidenceKind.PERMIT, EvidenceKind.SITE_PHOTO},
    Stage.PRODUCING: {EvidenceKind.LICENCE, EvidenceKind.FIRST_SALE},
    Stage.AT_CAPACITY: {EvidenceKind.OUTPUT},
}


class Verification(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需核验")
    PENDING = "pending", _("待核验")
    CONFIRMED = "confirmed", _("已核验")
    REJECTED = "rejected", _("核验退回")


class SigningForm(models.TextChoices):
    FRAMEWORK = "framework", _("框架协议")
    INVESTMENT = "investment", _("投资协议")
    CONTRACT = "contract", _("正式合同")


class Duty(models.TextChoices):
    """The "四包" of a project of 2亿 or more (seed 003)."""

    COORDINATE = "coordinate", _("包协调")
    SERVICE = "service", _("包服务")
    LANDING = "landing", _("包落地")
    PRODUCTION = "production", _("包投产")


# Projects of at least this much (万元) carry the four duties: 2亿.
FOUR_DUTIES_FROM = 20000


class AmendmentKind(models.TextChoices):
    """Changes that never make a new project (统计口径): a capital increase adds its amount only."""

    CAPITAL_INCREASE = "capital_increase", _("增资")
    RENAME = "rename", _("更名")
    RESIGN = "resign", _("重新签约")


class RoundLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    ZONE = "zone", _("开发区")


class Batch(models.TextChoices):
    SIGNED = "signed", _("签约一批")
    STARTED = "started", _("开工一批")
    PRODUCING = "producing", _("投产一批")


class RateBasis(models.TextChoices):
    AMOUNT = "amount", _("按投资额")
    COUNT = "count", _("按项目个数")
