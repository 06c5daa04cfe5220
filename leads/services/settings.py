"""A city's lead rules, its pools and the negative lists of its counties and zones (负面清单)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import IndustryChain
from core import audit
from core.models import AuditAction
from enterprises.services import directory_owner
from organizations.choices import UnitKind
from organizations.models import Unit

from .. import selectors
from ..choices import DEFAULT_POOLS, PoolKind
from ..models import LeadPool, LeadSettings, NegativeListEntry
from .common import (
    DEFAULT_GRADES,
    NEGATIVE_LIST_AUDIT_FIELDS,
    POOL_AUDIT_FIELDS,
    SETTINGS_AUDIT_FIELDS,
    _check_visible,
    _require_office,
    _squash,
    _text,
)

# --- Settings and pools -----------------------------------------------------------------


@transaction.atomic
def lead_settings_for(owner) -> LeadSettings:
    """The city's lead rules; made with the defaults from practice the first time they are needed."""
    settings, created = LeadSettings.objects.get_or_create(owner=owner, defaults={"grades": list(DEFAULT_GRADES)})
    if created:
        audit.record(
            action=AuditAction.CREATE,
            obj=settings,
            after=audit.snapshot(settings, SETTINGS_AUDIT_FIELDS),
            message=_("按默认值建立线索规则"),
        )
    return settings


@transaction.atomic
def ensure_pools(owner) -> list[LeadPool]:
    """The city's active pools in order; the default 四库 are made once, the first time a city needs pools."""
    if not LeadPool.objects.filter(owner=owner).exists():
        # Two first leads of a city at once must not both create the defaults.
        Unit.objects.select_for_update().filter(pk=owner.pk).first()
        if not LeadPool.objects.filter(owner=owner).exists():
            for index, (code, name, kind) in enumerate(DEFAULT_POOLS, start=1):
                pool = LeadPool.objects.create(owner=owner, code=code, name=str(name), kind=kind, sort_order=index * 10)
                audit.record(
                    action=AuditAction.CREATE,
                    obj=pool,
                    after=audit.snapshot(pool, POOL_AUDIT_FIELDS),
                    message=_("按默认值建立线索库"),
                )
    return list(LeadPool.objects.filter(owner=owner, active=True).order_by("sort_order", "id"))


def first_pool(owner):
    """Where every new lead starts (线索库 by default): the first active open pool of the city."""
    for pool in ensure_pools(owner):
        if pool.kind == PoolKind.OPEN:
            return pool
    raise ValidationError(_("本市没有启用的线索库，请先在线索库设置中启用一个“跟进中”的库。"))


def _lost_pool(owner):
    return next((p for p in ensure_pools(owner) if p.kind == PoolKind.LOST), None)


def _clean_grades(raw):
    if isinstance(raw, str):
        raw = selectors.KEYWORD_SPLIT.split(raw)
    grades = list(dict.fromkeys(_text(g) for g in raw or [] if _text(g)))
    if not grades:
        raise ValidationError({"grades": _("请至少设置一个线索等级。")})
    if len(grades) > 10:
        raise ValidationError({"grades": _("线索等级最多 10 个。")})
    too_long = [g for g in grades if len(g) > 16]
    if too_long:
        raise ValidationError({"grades": _("线索等级“%(g)s”过长，不能超过 16 个字。") % {"g": too_long[0]}})
    return grades


SETTINGS_LIMITS = {
    "min_content_length": (0, 500, gettext_lazy("项目内容最少字数")),
    "assess_working_days": (0, 60, gettext_lazy("研判时限（工作日）")),
    "feedback_days": (0, 365, gettext_lazy("反馈时限（自然日）")),
}


@transaction.atomic
def update_lead_settings(*, actor, owner, **changes) -> LeadSettings:
    """The office changes what makes a lead effective, the grades and the deadlines of its city."""
    _require_office(actor, owner, _("只有招商中心工作人员可以修改线索规则。"))
    settings = lead_settings_for(owner)
    settings = LeadSettings.objects.select_for_update().get(pk=settings.pk)
    unknown = set(changes) - set(SETTINGS_AUDIT_FIELDS)
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(settings, SETTINGS_AUDIT_FIELDS)
    for field, raw in changes.items():
        if field == "grades":
            value = _clean_grades(raw)
        elif field in SETTINGS_LIMITS:
            low, high, label = SETTINGS_LIMITS[field]
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValidationError({field: _("%(label)s须为整数。") % {"label": label}})
            if not low <= value <= high:
                raise ValidationError(
                    {field: _("%(label)s须在 %(low)d 至 %(high)d 之间。") % {"label": label, "low": low, "high": high}}
                )
        else:
            value = bool(raw)
        setattr(settings, field, value)
    settings.save()
    audit.record_update(actor=actor, obj=settings, fields=SETTINGS_AUDIT_FIELDS, before=before)
    return settings


@transaction.atomic
def save_pool(*, actor, owner, code, name, kind, sort_order, active, pool=None) -> LeadPool:
    """The office adds, renames, reorders or retires a pool of its city (cities differ: the seeds define none).

    A pool still holding leads cannot be retired nor change its nature, and the city keeps
    at least one active open pool for new leads to start in.
    """
    _require_office(actor, owner, _("只有招商中心工作人员可以设置线索库。"))
    ensure_pools(owner)
    if pool is not None:
        pool = LeadPool.objects.select_for_update().filter(pk=pool.pk, owner=owner).first()
        if pool is None:
            raise ValidationError(_("未找到该线索库。"))
        before = audit.snapshot(pool, POOL_AUDIT_FIELDS)
    else:
        pool = LeadPool(owner=owner)
        before = None
    code = slugify(_text(code))
    if not code:
        raise ValidationError({"code": _("请填写编码（字母、数字、下划线或连字符）。")})
    name = _squash(name)
    if not name:
        raise ValidationError({"name": _("请填写线索库名称。")})
    if kind not in PoolKind.values:
        raise ValidationError({"kind": _("无效的线索库性质。")})
    others = LeadPool.objects.filter(owner=owner).exclude(pk=pool.pk)
    if others.filter(code=code).exists():
        raise ValidationError({"code": _("编码“%(code)s”已被本市其他线索库使用。") % {"code": code}})
    if others.filter(name=name).exists():
        raise ValidationError({"name": _("本市已有名为“%(name)s”的线索库。") % {"name": name}})
    if sort_order is None or sort_order == "":
        # Not given: a pool keeps its place, a new one goes after the last.
        if pool.pk:
            sort_order = pool.sort_order
        else:
            last = LeadPool.objects.filter(owner=owner).aggregate(last=Max("sort_order"))["last"] or 0
            sort_order = min(last + 10, 32767)
    try:
        sort_order = int(sort_order)
    except (TypeError, ValueError):
        raise ValidationError({"sort_order": _("排序须为整数。")})
    if not 0 <= sort_order <= 32767:
        raise ValidationError({"sort_order": _("排序须在 0 至 32767 之间。")})
    active = bool(active)
    if pool.pk:
        held = pool.leads.count()
        if held and not active:
            raise ValidationError(
                {"active": _("“%(name)s”中还有 %(n)d 条线索，不能停用。") % {"name": pool.name, "n": held}}
            )
        if held and kind != pool.kind:
            raise ValidationError(
                {"kind": _("“%(name)s”中还有 %(n)d 条线索，不能改变其性质。") % {"name": pool.name, "n": held}}
            )
    pool.code, pool.name, pool.kind, pool.sort_order, pool.active = code, name, kind, sort_order, active
    pool.full_clean(exclude=["owner"], validate_unique=False, validate_constraints=False)
    pool.save()
    if not LeadPool.objects.filter(owner=owner, active=True, kind=PoolKind.OPEN).exists():
        raise ValidationError({"active": _("本市至少要保留一个启用的“跟进中”线索库，新线索从那里开始。")})
    if before is None:
        audit.record(action=AuditAction.CREATE, actor=actor, obj=pool, after=audit.snapshot(pool, POOL_AUDIT_FIELDS))
    else:
        audit.record_update(actor=actor, obj=pool, fields=POOL_AUDIT_FIELDS, before=before)
    return pool


# --- Negative lists (负面清单) ---------------------------------------------------------------

NEGATIVE_LIST_DENIED = gettext_lazy("只有本市招商中心工作人员可以设置负面清单。")


def _negative_list_unit(actor, unit):
    """The county or zone whose list it is, and its city; only that city's office keeps it."""
    unit = Unit.objects.filter(pk=unit.pk).first() if unit is not None else None
    if unit is None:
        raise ValidationError({"unit": _("请选择县（市、区）或开发区。")})
    city = directory_owner(unit)
    _require_office(actor, city, NEGATIVE_LIST_DENIED)
    if unit.kind not in selectors.RECEIVING_UNIT_KINDS:
        raise ValidationError(
            {
                "unit": _("负面清单只能设在县（市、区）或开发区，“%(name)s”是%(kind)s。")
                % {"name": unit.name, "kind": UnitKind(unit.kind).label}
            }
        )
    if not unit.active:
        raise ValidationError({"unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    return unit, city


def _clean_keywords(raw):
    words = list(dict.fromkeys(w for w in selectors.KEYWORD_SPLIT.split(_text(raw)) if w))
    keywords = "、".join(words)
    if len(keywords) > 200:
        raise ValidationError({"keywords": _("关键词合计不能超过 200 字。")})
    return keywords


@transaction.atomic
def save_negative_list_entry(
    *, actor, entry=None, unit, industry, chain=None, keywords="", reason=""
) -> NegativeListEntry:
    """The office adds or corrects an industry a county or zone refuses (负面清单, seed 001).

    Only the office of the city the unit lies in keeps its list, and only a county or zone
    has one (a lead is pushed only there). An entry names a chain or keywords, since that
    is how a lead is found to fall under it when it is pushed (selectors.negative_list_hits);
    one unit does not list the same industry twice.
    """
    before = None
    if entry is not None:
        entry = NegativeListEntry.objects.select_for_update().select_related("unit").filter(pk=entry.pk).first()
        if entry is None:
            raise ValidationError(_("该负面清单条目已被删除，请刷新。"))
        _require_office(actor, directory_owner(entry.unit), NEGATIVE_LIST_DENIED)
        before = audit.snapshot(entry, NEGATIVE_LIST_AUDIT_FIELDS)
    unit, city = _negative_list_unit(actor, unit)
    industry = _squash(industry)
    if not industry:
        raise ValidationError({"industry": _("请填写限制或禁止的产业。")})
    if len(industry) > 100:
        raise ValidationError({"industry": _("产业名称不能超过 100 字。")})
    reason = _squash(reason)
    if len(reason) > 200:
        raise ValidationError({"reason": _("原因不能超过 200 字。")})
    keywords = _clean_keywords(keywords)
    if chain is not None:
        _check_visible(actor, IndustryChain, chain, "chain", _("所选产业链不存在，或您无权查看。"))
        if chain.cluster.owner_id != city.pk:
            raise ValidationError({"chain": _("所选产业链不属于%(city)s。") % {"city": city.name}})
    if chain is None and not keywords:
        raise ValidationError(
            {"keywords": _("请选择产业链或填写关键词：推送线索时按产业链和关键词识别是否属于负面清单。")}
        )
    same = NegativeListEntry.objects.filter(unit=unit, industry=industry)
    if entry is not None:
        same = same.exclude(pk=entry.pk)
    if same.exists():
        raise ValidationError(
            {"industry": _("“%(unit)s”的负面清单中已有“%(industry)s”。") % {"unit": unit.name, "industry": industry}}
        )
    entry = entry or NegativeListEntry()
    entry.unit, entry.industry, entry.chain, entry.keywords, entry.reason = unit, industry, chain, keywords, reason
    entry.save()
    if before is None:
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=entry,
            after=audit.snapshot(entry, NEGATIVE_LIST_AUDIT_FIELDS),
            message=_("负面清单：%(unit)s · %(industry)s") % {"unit": unit.name, "industry": industry},
        )
    else:
        audit.record_update(actor=actor, obj=entry, fields=NEGATIVE_LIST_AUDIT_FIELDS, before=before)
    return entry


@transaction.atomic
def delete_negative_list_entry(*, actor, entry) -> None:
    """The office takes an industry off a county's or zone's negative list; the audit log keeps what it was."""
    entry = NegativeListEntry.objects.select_for_update().select_related("unit").filter(pk=entry.pk).first()
    if entry is None:
        raise ValidationError(_("该负面清单条目已被删除，请刷新。"))
    _require_office(actor, directory_owner(entry.unit), NEGATIVE_LIST_DENIED)
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=entry,
        before=audit.snapshot(entry, NEGATIVE_LIST_AUDIT_FIELDS),
        message=_("删除负面清单：%(unit)s · %(industry)s") % {"unit": entry.unit.name, "industry": entry.industry},
    )
    entry.delete()
