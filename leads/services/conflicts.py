"""Conflicts (撞单): finding them, the office's decision, duplicates; the merge and unit hooks."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from outreach.models import Visit

from ..choices import ConflictStatus, LeadEventKind, LeadStatus
from ..models import HELD_STATUSES, Lead, LeadConflict
from .common import (
    CONFLICT_AUDIT_FIELDS,
    CONFLICT_VISIT_DAYS,
    INACTIVE_STATUSES,
    LEAD_AUDIT_FIELDS,
    _event,
    _fmt_time,
    _person,
    _require_office,
    _require_visible,
    _text,
    lead_key,
)

# --- Conflicts (撞单) ------------------------------------------------------------------------


def _holders(lead):
    """The units holding a lead: the one that reported it and the county or zone it is pushed to."""
    units = [lead.reporting_unit]
    if lead.receiving_unit_id and lead.status in HELD_STATUSES:
        units.append(lead.receiving_unit)
    return units


def _same_side(units_a, units_b):
    """Two sets of units are one side if any unit of one is the other or lies under it (a county and its squad)."""
    for a in units_a:
        for b in units_b:
            if a.path.startswith(b.path) or b.path.startswith(a.path):
                return True
    return False


def _conflict_note(unit, what):
    return _("%(unit)s也在对接该投资方（%(what)s）") % {"unit": unit.name, "what": what}


def _record_conflict(*, actor, lead, company, other_lead=None, other_visit=None, other_unit):
    conflict = LeadConflict.objects.create(lead=lead, company=company, other_lead=other_lead, other_visit=other_visit)
    if other_lead is not None:
        _event(
            lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=other_unit,
            to_value=other_unit.name,
            # The other unit is named, not its lead: that stays behind Lead.objects.visible_to.
            note=_conflict_note(other_unit, _("已报送线索")),
        )
        mine = lead.reporting_unit
        _event(
            other_lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=mine,
            to_value=mine.name,
            note=_conflict_note(mine, _("已报送线索")),
        )
    else:
        _event(
            lead,
            LeadEventKind.CONFLICT,
            actor,
            unit=other_unit,
            to_value=other_unit.name,
            note=_conflict_note(other_unit, _("%(date)s 走访") % {"date": other_visit.visit_date}),
        )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=conflict,
        object_repr=f"{lead} · {company}",
        after=audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS),
        message=_("发现撞单：%(a)s / %(b)s") % {"a": lead.reporting_unit.name, "b": other_unit.name},
    )
    return conflict


def detect_conflicts(lead, *, actor=None) -> list[LeadConflict]:
    """Find other units holding the same investor (撞单, seed 003) and record each pair once, on both timelines.

    Another unit holds it when it reported or was pushed a counted lead of the same city
    for that investor, or visited the investor in the last 180 days. The office decides
    who leads (decide_conflict).
    """
    lead = Lead.objects.select_related("owner", "reporting_unit", "receiving_unit", "investor").get(pk=lead.pk)
    if lead.investor_id is None or lead.duplicate_of_id or lead.status in INACTIVE_STATUSES:
        return []
    mine = _holders(lead)
    found = []
    others = (
        Lead.objects.counted()
        .filter(owner_id=lead.owner_id, investor_id=lead.investor_id)
        .exclude(pk=lead.pk)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("reporting_unit", "receiving_unit")
        .order_by("id")
    )
    paired = LeadConflict.objects.filter(Q(lead_id=lead.pk) | Q(other_lead_id=lead.pk))
    known_leads = {pk for row in paired.values_list("lead_id", "other_lead_id") for pk in row if pk}
    for other in others:
        if other.pk in known_leads or _same_side(mine, _holders(other)):
            continue
        found.append(
            _record_conflict(
                actor=actor, lead=lead, company=lead.investor, other_lead=other, other_unit=other.reporting_unit
            )
        )
        known_leads.add(other.pk)
    since = timezone.localdate() - datetime.timedelta(days=CONFLICT_VISIT_DAYS)
    visits = (
        Visit.objects.filter(company_id=lead.investor_id, visit_date__gte=since, unit__path__startswith=lead.owner.path)
        .select_related("unit")
        .order_by("-visit_date", "-id")
    )
    known_units = set(
        LeadConflict.objects.filter(lead_id=lead.pk, other_visit__isnull=False).values_list(
            "other_visit__unit_id", flat=True
        )
    )
    for visit in visits:
        if visit.unit_id in known_units or _same_side(mine, [visit.unit]):
            continue
        found.append(
            _record_conflict(actor=actor, lead=lead, company=lead.investor, other_visit=visit, other_unit=visit.unit)
        )
        known_units.add(visit.unit_id)
    return found


def check_visit_conflicts(visit) -> list[LeadConflict]:
    """A visit just logged: leads of other units for the same company gain a conflict (once per lead and unit).

    Run inside the visit's own transaction (core.registry.after_visit_recorded), so the
    visit and the conflicts it reveals are written together.
    """
    unit = visit.unit
    leads = (
        Lead.objects.counted()
        .filter(investor_id=visit.company_id)
        .exclude(status__in=INACTIVE_STATUSES)
        .select_related("owner", "reporting_unit", "receiving_unit", "investor")
        .order_by("id")
    )
    known = set(
        LeadConflict.objects.filter(company_id=visit.company_id, other_visit__unit_id=unit.pk).values_list(
            "lead_id", flat=True
        )
    )
    found = []
    for lead in leads:
        if lead.pk in known or not unit.path.startswith(lead.owner.path) or _same_side(_holders(lead), [unit]):
            continue
        found.append(
            _record_conflict(
                actor=visit.created_by, lead=lead, company=lead.investor, other_visit=visit, other_unit=unit
            )
        )
    return found


def _involved_units(conflict):
    lead = conflict.lead
    units = {u.pk: u for u in _holders(lead)}
    if conflict.other_lead_id:
        units.update({u.pk: u for u in _holders(conflict.other_lead)})
    if conflict.other_visit_id:
        units[conflict.other_visit.unit_id] = conflict.other_visit.unit
    return units


@transaction.atomic
def decide_conflict(*, actor, conflict, leading_unit, same_lead=False, decision="") -> LeadConflict:
    """The office decides which unit leads on a contested investor.

    When the two leads are found to be one project (same_lead), the one not led is marked
    a duplicate of the other: it stays on record, but no total counts it again.
    """
    conflict = LeadConflict.objects.select_for_update(of=("self",)).filter(pk=conflict.pk).first()
    if conflict is None:
        raise PermissionDenied(_("未找到该撞单记录，或您无权查看。"))
    conflict = LeadConflict.objects.select_related(
        "lead__owner",
        "lead__reporting_unit",
        "lead__receiving_unit",
        "other_lead__reporting_unit",
        "other_lead__receiving_unit",
        "other_visit__unit",
        "decided_by",
    ).get(pk=conflict.pk)
    _require_visible(actor, conflict.lead)
    _require_office(actor, conflict.lead.owner, _("只有招商中心工作人员可以裁定撞单。"))
    if conflict.status == ConflictStatus.DECIDED:
        raise ValidationError(
            _("该撞单已由 %(who)s 于 %(at)s 裁定，请刷新。")
            % {"who": _person(conflict.decided_by), "at": _fmt_time(conflict.decided_at)}
        )
    units = _involved_units(conflict)
    if leading_unit is None or leading_unit.pk not in units:
        names = "、".join(u.name for u in units.values())
        raise ValidationError({"leading_unit": _("牵头单位须为撞单涉及的单位之一：%(names)s。") % {"names": names}})
    leading_unit = units[leading_unit.pk]
    decision = _text(decision)
    before = audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS)
    duplicate = kept = None
    if same_lead:
        if conflict.other_lead_id is None:
            raise ValidationError({"same_lead": _("与走访的撞单不涉及另一条线索，不能认定为同一线索。")})
        a, b = conflict.lead, conflict.other_lead
        a_leads = _same_side([leading_unit], _holders(a))
        b_leads = _same_side([leading_unit], _holders(b))
        if a_leads and not b_leads:
            kept, duplicate = a, b
        elif b_leads and not a_leads:
            kept, duplicate = b, a
        else:
            kept, duplicate = (a, b) if a.pk < b.pk else (b, a)
        kept, duplicate = _mark_duplicate(actor, kept=kept, duplicate=duplicate)
    conflict.status = ConflictStatus.DECIDED
    conflict.leading_unit = leading_unit
    conflict.decided_by = actor
    conflict.decided_at = timezone.now()
    conflict.decision = decision
    conflict.save()
    for lead in filter(None, (conflict.lead, conflict.other_lead)):
        note = _decision_note(leading_unit, decision, same_lead=duplicate is not None, is_duplicate=lead == duplicate)
        _event(lead, LeadEventKind.CONFLICT_DECIDED, actor, unit=leading_unit, to_value=leading_unit.name, note=note)
    # The audit log (read by the audit administrator) names both leads; the timelines do not.
    message = _("由%(unit)s牵头") % {"unit": leading_unit.name}
    if duplicate is not None:
        message += _("；“%(dup)s”认定为“%(kept)s”的重复线索，不再重复计数") % {
            "dup": duplicate.name,
            "kept": kept.name,
        }
    if decision:
        message += f"。{decision}"
    old, new = audit.changed(before, audit.snapshot(conflict, CONFLICT_AUDIT_FIELDS))
    audit.record(action=AuditAction.STATE_CHANGE, actor=actor, obj=conflict, before=old, after=new, message=message)
    return conflict


def _decision_note(leading_unit, decision, *, same_lead, is_duplicate):
    """The decision as one lead's timeline tells it: who leads, never the other lead's name.

    Each timeline is read by that lead's holders, who may not open the other lead
    (Lead.objects.visible_to); both need to know which unit leads and whether their lead
    still counts, nothing more.
    """
    if not same_lead:
        note = _("招商中心裁定：由%(unit)s牵头") % {"unit": leading_unit.name}
    elif is_duplicate:
        note = _("招商中心裁定：与另一单位的线索为同一线索，由%(unit)s牵头；本线索认定为重复线索，不再重复计数") % {
            "unit": leading_unit.name
        }
    else:
        note = _("招商中心裁定：与另一单位的线索为同一线索，由%(unit)s牵头；另一单位的线索不再重复计数") % {
            "unit": leading_unit.name
        }
    if decision:
        note += f"。{decision}"
    return note


def _mark_duplicate(actor, *, kept, duplicate):
    """Mark `duplicate` as `kept`'s (following `kept` to the lead it is itself a duplicate of); no loops."""
    locked = {
        lead.pk: lead for lead in Lead.objects.select_for_update(of=("self",)).filter(pk__in=[kept.pk, duplicate.pk])
    }
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    seen = {duplicate.pk}
    while kept.duplicate_of_id and kept.duplicate_of_id not in seen:
        seen.add(kept.pk)
        kept = Lead.objects.select_for_update(of=("self",)).get(pk=kept.duplicate_of_id)
    if kept.pk == duplicate.pk:
        return kept, duplicate
    before = audit.snapshot(duplicate, LEAD_AUDIT_FIELDS)
    duplicate.duplicate_of = kept
    duplicate.save(update_fields=["duplicate_of", "updated_at"])
    # Leads that were duplicates of this one now point at the one that counts.
    Lead.objects.filter(duplicate_of_id=duplicate.pk).update(duplicate_of_id=kept.pk)
    audit.record_update(actor=actor, obj=duplicate, fields=LEAD_AUDIT_FIELDS, before=before)
    return kept, duplicate


# --- Hooks --------------------------------------------------------------------------------


def rekey_after_merge(*, keep, absorb):
    """After a company merge, moved leads get the key the kept company gives them (so a re-import still matches).

    Where the new key is already taken the old one stays: both leads remain, for a person to decide.
    """
    fields = ("id", "reporting_unit_id", "collected_date", "name", "dedupe_key")
    leads = list(Lead.objects.filter(investor=keep).only(*fields))
    units = {lead.reporting_unit_id for lead in leads}
    taken = set(Lead.objects.filter(reporting_unit_id__in=units).values_list("reporting_unit_id", "dedupe_key"))
    changed = []
    for lead in leads:
        key = lead_key(
            reporting_unit_id=lead.reporting_unit_id,
            collected_date=lead.collected_date,
            investor_id=keep.pk,
            name=lead.name,
        )
        if key != lead.dedupe_key and (lead.reporting_unit_id, key) not in taken:
            taken.add((lead.reporting_unit_id, key))
            lead.dedupe_key = key
            changed.append(lead)
    Lead.objects.bulk_update(changed, ["dedupe_key"], batch_size=1000)


OPEN_WORK_STATUSES = (LeadStatus.REPORTED, LeadStatus.DISPATCHED, LeadStatus.ACCEPTED, LeadStatus.RETURNED)


def open_leads_of(unit):
    """Open leads reported by or pushed to `unit`: a unit cannot be deactivated while it holds them."""
    reported = Lead.objects.filter(reporting_unit=unit, status__in=OPEN_WORK_STATUSES).count()
    received = Lead.objects.filter(receiving_unit=unit, status__in=(LeadStatus.DISPATCHED, LeadStatus.ACCEPTED)).count()
    found = []
    if reported:
        found.append(_("还有 %(n)d 条报送中的线索") % {"n": reported})
    if received:
        found.append(_("还有 %(n)d 条承接中的线索") % {"n": received})
    return found
