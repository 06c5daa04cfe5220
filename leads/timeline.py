"""Leads on a company's page (enterprises.timeline): the leads naming it as investor, as the viewer may see them.

Registered from LeadsConfig.ready(). Each lead is one entry on the day it was collected,
under its reporting unit; the units in touch are the reporting units and the counties or
zones holding the leads. One query each, through Lead.objects.visible_to(user).
"""

from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.timeline import TimelineEntry, Touch, filtered_list, link_to, one_line, register_source

LABEL = gettext_lazy("线索")


def _leads(company, user):
    from .models import Lead

    return Lead.objects.visible_to(user).filter(investor=company)


def lead_entries(company, user, limit):
    rows = (
        _leads(company, user)
        .select_related("reporting_unit", "receiving_unit", "pool")
        .order_by("-collected_date", "-id")[:limit]
    )
    for lead in rows:
        where = _("推送至%(unit)s") % {"unit": lead.receiving_unit.name} if lead.receiving_unit_id else ""
        yield TimelineEntry(
            lead.collected_date,
            str(LABEL),
            lead.reporting_unit,
            one_line(lead.name, lead.get_status_display(), where, lead.pool.name),
            link_to(lead),
        )


def lead_touches(company, user):
    """The units holding the company's leads: each reporting unit, and each county or zone it was pushed to."""
    from .models import HELD_STATUSES

    leads = _leads(company, user).order_by()
    by_unit = {}
    reported = leads.values("reporting_unit_id", "reporting_unit__name").annotate(
        last=Max("collected_date"), n=Count("pk")
    )
    for row in reported:
        by_unit[row["reporting_unit_id"]] = Touch(
            row["reporting_unit_id"], row["reporting_unit__name"], row["last"], row["n"]
        )
    held = (
        leads.filter(status__in=HELD_STATUSES, receiving_unit__isnull=False)
        .values("receiving_unit_id", "receiving_unit__name")
        .annotate(last=Max("collected_date"), n=Count("pk"))
    )
    for row in held:
        known = by_unit.get(row["receiving_unit_id"])
        count = row["n"] + (known.count if known else 0)
        last = max(row["last"], known.last_date) if known else row["last"]
        by_unit[row["receiving_unit_id"]] = Touch(row["receiving_unit_id"], row["receiving_unit__name"], last, count)
    return list(by_unit.values())


def register():
    register_source(
        lead_entries,
        key="leads.leads",
        label=LABEL,
        touches=lead_touches,
        list_url=filtered_list("leads:lead_list", "/leads/"),
    )
