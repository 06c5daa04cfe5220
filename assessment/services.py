"""The office's assessment work: schemes (weights summing to 100) and locking a period's results.

One transaction each, audited. A scheme with locked results keeps its indicators and weights (a published
rank must stay explainable); the office makes a new scheme instead.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.scope import holds_over
from organizations.choices import Role, UnitKind
from targets.choices import PERSON_INDICATORS, Indicator

from .choices import Rule, Subjects
from .models import LockedScore, PeriodLock, Scheme, SchemeItem
from .selectors import live_scores

FIELDS = ("owner", "name", "subjects", "start", "end", "description")
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _require_office(actor, owner):
    if not holds_over(actor, owner, Role.OFFICE_STAFF):
        raise PermissionDenied(_("只有本市招商中心可以管理考核。"))


def _decimal(value, field, label):
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError({field: _("“%(label)s”须为数字。") % {"label": label}})
    # "NaN" parses as a Decimal but cannot be compared: refused like any other non-number.
    if not value.is_finite():
        raise ValidationError({field: _("“%(label)s”须为数字。") % {"label": label}})
    return value


def _cents(value, label):
    """Kept with two decimals (as stored), so "20" and "20.00" are the same weight when items are compared."""
    if value != value.quantize(CENT):
        raise ValidationError({"items": _("“%(i)s”最多保留两位小数。") % {"i": label}})
    return value.quantize(CENT)


def _clean_items(items):
    """[(indicator, weight, rule, cap)], checked: known unit indicators, no repeats, weights summing to 100."""
    cleaned, seen = [], set()
    for raw in items:
        indicator = raw.get("indicator")
        if indicator not in Indicator.values or indicator in PERSON_INDICATORS:
            raise ValidationError({"items": _("无效的考核指标：%(i)s。") % {"i": indicator}})
        label = Indicator(indicator).label
        if indicator in seen:
            raise ValidationError({"items": _("指标“%(i)s”重复。") % {"i": label}})
        seen.add(indicator)
        weight = _decimal(raw.get("weight"), "items", _("权重"))
        if weight <= 0 or weight > HUNDRED:
            raise ValidationError({"items": _("“%(i)s”的权重须大于 0 且不超过 100。") % {"i": label}})
        weight = _cents(weight, label)
        rule = raw.get("rule") or Rule.SHARE
        if rule not in Rule.values:
            raise ValidationError({"items": _("“%(i)s”的计分规则无效。") % {"i": label}})
        cap = _decimal(raw.get("cap") if raw.get("cap") not in (None, "") else 100, "items", _("封顶"))
        if cap < 1 or cap > 1000:
            raise ValidationError({"items": _("“%(i)s”的封顶比例须在 1 到 1000 之间。") % {"i": label}})
        cap = _cents(cap, label)
        cleaned.append((indicator, weight, rule, cap))
    if not cleaned:
        raise ValidationError({"items": _("请至少设置一项考核指标。")})
    total = sum(weight for _i, weight, _r, _c in cleaned)
    if total != HUNDRED:
        raise ValidationError({"items": _("各项权重之和须为 100，现为 %(total)s。") % {"total": total.normalize()}})
    return cleaned


def _check(scheme):
    if scheme.owner.kind != UnitKind.CITY:
        raise ValidationError({"owner": _("考核方案属于市。")})
    if not (scheme.name or "").strip():
        raise ValidationError({"name": _("请填写方案名称。")})
    if scheme.subjects not in Subjects.values:
        raise ValidationError({"subjects": _("无效的考核对象。")})
    if scheme.end < scheme.start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})


def _save_items(scheme, cleaned):
    scheme.items.all().delete()
    SchemeItem.objects.bulk_create(
        SchemeItem(scheme=scheme, indicator=i, weight=w, rule=r, cap=c, sort_order=n)
        for n, (i, w, r, c) in enumerate(cleaned)
    )


def _items_snapshot(cleaned):
    return [{"indicator": i, "weight": str(w), "rule": r, "cap": str(c)} for i, w, r, c in cleaned]


@transaction.atomic
def create_scheme(*, actor, owner, name, subjects, start, end, items, description="") -> Scheme:
    """A scheme with its weighted indicators; refused whole when the weights do not sum to 100."""
    _require_office(actor, owner)
    scheme = Scheme(
        owner=owner,
        name=(name or "").strip()[:100],
        subjects=subjects,
        start=start,
        end=end,
        description=(description or "").strip(),
        created_by=actor,
    )
    _check(scheme)
    cleaned = _clean_items(items)
    scheme.save()
    _save_items(scheme, cleaned)
    after = audit.snapshot(scheme, FIELDS) | {"items": _items_snapshot(cleaned)}
    audit.record(action=AuditAction.CREATE, actor=actor, obj=scheme, after=after)
    return scheme


@transaction.atomic
def update_scheme(*, actor, scheme, name=None, start=None, end=None, items=None, description=None) -> Scheme:
    _require_office(actor, scheme.owner)
    before = audit.snapshot(scheme, FIELDS)
    old_items = [
        {"indicator": i.indicator, "weight": str(i.weight), "rule": i.rule, "cap": str(i.cap)}
        for i in scheme.items.all()
    ]
    locked = scheme.locks.exists()
    if locked and (items is not None or start is not None or end is not None):
        new = _items_snapshot(_clean_items(items)) if items is not None else old_items
        if new != old_items or (start or scheme.start) != scheme.start or (end or scheme.end) != scheme.end:
            raise ValidationError(
                {"items": _("该方案已有锁定的考核结果，不能再改指标、权重或期间；如需调整，请新建方案。")}
            )
    if name is not None:
        scheme.name = name.strip()[:100]
    if start is not None:
        scheme.start = start
    if end is not None:
        scheme.end = end
    if description is not None:
        scheme.description = description.strip()
    _check(scheme)
    cleaned = _clean_items(items) if items is not None else None
    scheme.save()
    if cleaned is not None and not locked:
        _save_items(scheme, cleaned)
    old, new = audit.changed(before, audit.snapshot(scheme, FIELDS))
    if cleaned is not None and _items_snapshot(cleaned) != old_items:
        old["items"], new["items"] = old_items, _items_snapshot(cleaned)
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=scheme, before=old, after=new)
    return scheme


@transaction.atomic
def delete_scheme(*, actor, scheme) -> None:
    _require_office(actor, scheme.owner)
    if scheme.locks.exists():
        raise ValidationError({"scheme": _("该方案已有锁定的考核结果，不能删除。")})
    audit.record(action=AuditAction.DELETE, actor=actor, obj=scheme, before=audit.snapshot(scheme, FIELDS))
    scheme.delete()


def _check_period(scheme, start, end, today):
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if start < scheme.start or end > scheme.end:
        raise ValidationError(
            {"start": _("期间须在方案期间 %(s)s 至 %(e)s 之内。") % {"s": scheme.start, "e": scheme.end}}
        )
    if end >= today:
        raise ValidationError({"end": _("%(end)s 尚未结束，期满后才能锁定考核结果。") % {"end": end}})


@transaction.atomic
def lock_period(*, actor, scheme, start, end, note="", today=None) -> PeriodLock:
    """Publish a finished period's scores and ranks: kept as they are now, whatever the records do later."""
    _require_office(actor, scheme.owner)
    today = today or timezone.localdate()
    _check_period(scheme, start, end, today)
    if PeriodLock.objects.filter(scheme=scheme, start=start, end=end).exists():
        raise ValidationError({"start": _("%(s)s 至 %(e)s 的考核结果已锁定。") % {"s": start, "e": end}})
    lock = PeriodLock.objects.create(scheme=scheme, start=start, end=end, locked_by=actor, note=(note or "")[:200])
    scores = live_scores(scheme, start, end)
    LockedScore.objects.bulk_create(
        LockedScore(lock=lock, unit=s.unit, total=s.total, rank=s.rank, breakdown=[item.as_json() for item in s.items])
        for s in scores
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=lock,
        after={
            "scheme": scheme.name,
            "start": str(start),
            "end": str(end),
            "ranks": {s.unit.name: [s.rank, str(s.total)] for s in scores},
        },
    )
    return lock


def month_period(year, month):
    first = datetime.date(year, month, 1)
    return first, (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
