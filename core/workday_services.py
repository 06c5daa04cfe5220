"""Working-day overrides (工作日调整): the entries that win over the official calendar (core.workdays).

chinese_calendar knows the State Council's holidays and 调休 days up to the year its
release covers. When next year's arrangement is announced (each November) the office
enters it here, day by day, without waiting for an upgrade; a local day off is entered
the same way. Deadlines counted in working days ("assess within 3 working days") read
these entries the next time they are computed, in any process.

Office staff and system administrators keep them. Each service is one transaction,
checks who acts, refuses bad input with a Chinese message keyed by field (writing
nothing) and leaves an audit record.
"""

import datetime

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from organizations.choices import Role

from . import audit
from .models import AuditAction, WorkdayOverride
from .scope import scope_of

EDITOR_ROLES = (Role.OFFICE_STAFF, Role.SYSTEM_ADMIN)
AUDIT_FIELDS = ("date", "is_workday", "note")
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
NOTE_MAX = 100


def may_edit_workdays(user) -> bool:
    """Whether `user` keeps the working-day overrides (office staff or a system administrator, anywhere)."""
    return scope_of(user).has(*EDITOR_ROLES)


def official_is_workday(day):
    """What the official calendar says of `day`: True (working day), False (day off), None (year not covered)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def _require_editor(actor):
    if not may_edit_workdays(actor):
        raise PermissionDenied(_("只有招商中心工作人员或系统管理员可以调整工作日。"))


def _taken_message(day):
    return _("%(date)s 已有调整记录，请修改该条。") % {"date": day.isoformat()}


def _clean(*, date, is_workday, note, exclude_pk=None):
    if isinstance(date, datetime.datetime):
        date = date.date()
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": _("请填写有效的日期。")})
    if not EARLIEST <= date <= LATEST:
        raise ValidationError({"date": _("日期须在 2000 年至 2100 年之间。")})
    if is_workday is None or is_workday == "":
        raise ValidationError({"is_workday": _("请选择该日上班（工作日）还是放假（休息日）。")})
    note = " ".join(str(note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("说明不能超过 %(n)d 字。") % {"n": NOTE_MAX}})
    if WorkdayOverride.objects.filter(date=date).exclude(pk=exclude_pk).exists():
        raise ValidationError({"date": _taken_message(date)})
    return date, bool(is_workday), note


def _save(override):
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError:
        # Two people entering the same day at the same moment: the unique date stopped the second.
        raise ValidationError({"date": _taken_message(override.date)})


def _locked(override):
    found = WorkdayOverride.objects.select_for_update().filter(pk=getattr(override, "pk", None)).first()
    if found is None:
        raise ValidationError(_("该工作日调整已被删除，请刷新。"))
    return found


@transaction.atomic
def create_workday_override(*, actor, date, is_workday, note="") -> WorkdayOverride:
    """Mark one day a working day (调休上班) or a day off (放假), over the official calendar."""
    _require_editor(actor)
    date, is_workday, note = _clean(date=date, is_workday=is_workday, note=note)
    override = WorkdayOverride(date=date, is_workday=is_workday, note=note)
    _save(override)
    audit.record(action=AuditAction.CREATE, actor=actor, obj=override, after=audit.snapshot(override, AUDIT_FIELDS))
    return override


@transaction.atomic
def update_workday_override(*, actor, override, date, is_workday, note="") -> WorkdayOverride:
    """Correct an entry: its day, whether it is worked, its note."""
    _require_editor(actor)
    override = _locked(override)
    before = audit.snapshot(override, AUDIT_FIELDS)
    date, is_workday, note = _clean(date=date, is_workday=is_workday, note=note, exclude_pk=override.pk)
    override.date, override.is_workday, override.note = date, is_workday, note
    _save(override)
    audit.record_update(actor=actor, obj=override, fields=AUDIT_FIELDS, before=before)
    return override


@transaction.atomic
def delete_workday_override(*, actor, override) -> None:
    """Remove an entry: the official calendar decides that day again. The audit log keeps what it was."""
    _require_editor(actor)
    override = _locked(override)
    audit.record(action=AuditAction.DELETE, actor=actor, obj=override, before=audit.snapshot(override, AUDIT_FIELDS))
    override.delete()
