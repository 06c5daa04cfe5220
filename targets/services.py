"""Setting targets: one at a time, or many at once from seed 000's templates; every value stays editable.

The office of a city sets its targets. A target is refused when its value is negative, its
period runs backwards, its unit is not a team, squad, county, zone or the city, or another
target already covers the same indicator for the same unit (or person) in an overlapping
period. One transaction each, audited.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.parsing import ParseError, parse_amount
from core.scope import scope_of
from organizations.choices import Role, UnitKind
from organizations.models import Unit

from .choices import PERSON_INDICATORS, TEMPLATE_VALUES, Indicator, Template
from .models import Target

TARGET_UNIT_KINDS = (UnitKind.TEAM, UnitKind.SQUAD, UnitKind.COUNTY, UnitKind.ZONE, UnitKind.CITY)
FIELDS = ("owner", "indicator", "unit", "person", "start", "end", "value", "template", "name")


def _require_office(actor, owner):
    if not any(owner.path.startswith(p) for p in scope_of(actor).paths(Role.OFFICE_STAFF)):
        raise PermissionDenied(_("只有本市招商中心可以设定目标。"))


def _value(value):
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    else:
        try:
            amount = parse_amount(value)
        except ParseError as exc:
            raise ValidationError({"value": str(exc)})
    if amount is None:
        raise ValidationError({"value": _("请填写目标值。")})
    if amount < 0:
        raise ValidationError({"value": _("目标值不能为负数。")})
    return amount


def _check(target):
    if target.indicator not in Indicator.values:
        raise ValidationError({"indicator": _("无效的指标。")})
    if target.end < target.start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    personal = target.indicator in PERSON_INDICATORS
    if personal and target.person is None:
        raise ValidationError({"person": _("“%(i)s”是个人指标，请选择人员。") % {"i": target.get_indicator_display()}})
    if not personal and target.unit is None:
        raise ValidationError({"unit": _("请选择单位。")})
    if personal:
        target.unit = None
        home = target.person.home_unit
        if home is None or not home.path.startswith(target.owner.path):
            raise ValidationError({"person": _("所选人员不在本市。")})
    else:
        target.person = None
        if target.unit.kind not in TARGET_UNIT_KINDS:
            raise ValidationError(
                {
                    "unit": _("“%(name)s”不能设定目标：只能为招商组、小分队、县区、开发区或全市设定。")
                    % {"name": target.unit.name}
                }
            )
        if not target.unit.path.startswith(target.owner.path):
            raise ValidationError({"unit": _("“%(name)s”不在本市。") % {"name": target.unit.name}})
    same = Target.objects.filter(
        indicator=target.indicator, unit=target.unit, person=target.person, start__lte=target.end, end__gte=target.start
    ).exclude(pk=target.pk)
    clash = same.first()
    if clash is not None:
        raise ValidationError(
            {
                "start": _("%(who)s的“%(i)s”在 %(s)s 至 %(e)s 已有目标，期间不能重叠。")
                % {
                    "who": target.unit or target.person,
                    "i": target.get_indicator_display(),
                    "s": clash.start,
                    "e": clash.end,
                }
            }
        )


@transaction.atomic
def create_target(
    *, actor, owner, indicator, start, end, value, unit=None, person=None, name="", template=""
) -> Target:
    """One target for a unit or a person."""
    _require_office(actor, owner)
    target = Target(
        owner=owner,
        indicator=indicator,
        unit=unit,
        person=person,
        start=start,
        end=end,
        value=_value(value),
        name=(name or "").strip()[:100],
        template=template or "",
        created_by=actor,
    )
    _check(target)
    target.save()
    audit.record(action=AuditAction.CREATE, actor=actor, obj=target, after=audit.snapshot(target, FIELDS))
    return target


@transaction.atomic
def update_target(*, actor, target, value=None, start=None, end=None, name=None) -> Target:
    _require_office(actor, target.owner)
    before = audit.snapshot(target, FIELDS)
    if value is not None:
        target.value = _value(value)
    if start is not None:
        target.start = start
    if end is not None:
        target.end = end
    if name is not None:
        target.name = name.strip()[:100]
    _check(target)
    target.save()
    old, new = audit.changed(before, audit.snapshot(target, FIELDS))
    audit.record(action=AuditAction.UPDATE, actor=actor, obj=target, before=old, after=new)
    return target


@transaction.atomic
def delete_target(*, actor, target) -> None:
    _require_office(actor, target.owner)
    audit.record(action=AuditAction.DELETE, actor=actor, obj=target, before=audit.snapshot(target, FIELDS))
    target.delete()


def month_range(year, month):
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return first, last


@transaction.atomic
def apply_template(*, actor, owner, template, start, end, units=(), people=(), name="") -> list[Target]:
    """Fill a template for many units (or people) at once; all or nothing: one overlap refuses the whole batch.

    The routine monthly template is one target per unit, indicator and month of the period.
    """
    _require_office(actor, owner)
    if template not in Template.values:
        raise ValidationError({"template": _("无效的模板。")})
    values = TEMPLATE_VALUES[Template(template)]
    if end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})
    if template == Template.CITY_1521:
        units = [owner]
    periods = [(start, end)]
    if template == Template.ROUTINE_MONTHLY:
        periods, day = [], start.replace(day=1)
        while day <= end:
            periods.append(month_range(day.year, day.month))
            day = periods[-1][1] + datetime.timedelta(days=1)
    made = []
    for period_start, period_end in periods:
        for indicator, value in values.items():
            whom = people if indicator in PERSON_INDICATORS else units
            for who in whom:
                kwargs = {"person": who} if indicator in PERSON_INDICATORS else {"unit": who}
                made.append(
                    create_target(
                        actor=actor,
                        owner=owner,
                        indicator=indicator,
                        start=period_start,
                        end=period_end,
                        value=value,
                        name=name or str(Template(template).label),
                        template=template,
                        **kwargs,
                    )
                )
    if not made:
        raise ValidationError({"units": _("请选择要设定目标的单位或人员。")})
    return made


def teams_of(owner):
    """The city's stationed teams (the routine and campaign templates' default units)."""
    return list(
        Unit.objects.filter(path__startswith=owner.path, kind=UnitKind.TEAM, active=True).order_by("sort_order", "id")
    )
