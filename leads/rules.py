"""What makes a lead effective (实效线索): only effective leads count towards a team's targets.

The rule is the office's (LeadSettings): by default a named investor, a concrete project
content, an estimated amount and a contact reached. It is written twice on purpose, once
in Python (a lead's page says why it is or is not effective) and once as a query filter
(a city-year's figures count millions of rows in SQL); the tests hold the two to the
same answer on the same leads.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _

from .models import LeadSettings


def _settings(settings):
    # An unsaved LeadSettings carries the defaults: a city that never changed them gets those.
    return settings if settings is not None else LeadSettings(grades=["A", "B", "C"])


def effective_reasons(lead, settings) -> list[str]:
    """Why `lead` is not effective under `settings`, in Chinese; an empty list means it is effective."""
    settings = _settings(settings)
    reasons = []
    if settings.requires_investor and not lead.investor_id:
        reasons.append(_("缺少明确的投资方"))
    if settings.requires_content and len((lead.content or "").strip()) < settings.min_content_length:
        reasons.append(_("项目内容不够具体（少于 %(n)d 字）") % {"n": settings.min_content_length})
    if settings.requires_amount and not (lead.estimated_amount is not None and lead.estimated_amount > 0):
        reasons.append(_("缺少拟投资额"))
    if settings.requires_contact and not lead.contact_reached:
        reasons.append(_("尚未与投资方取得联系"))
    return reasons


def is_effective(lead, settings) -> bool:
    return not effective_reasons(lead, settings)


def effective_q(settings, prefix=""):
    """The same rule as a filter on Lead (or, with `prefix` such as "lead__", on a model pointing at one).

    SQL's TRIM strips spaces only, Python's strip() all whitespace; the services store
    content already stripped, so on stored leads the two agree.
    """
    settings = _settings(settings)
    q = Q()
    if settings.requires_investor:
        q &= Q(**{f"{prefix}investor__isnull": False})
    if settings.requires_content:
        q &= Q(GreaterThanOrEqual(Length(Trim(f"{prefix}content")), settings.min_content_length))
    if settings.requires_amount:
        q &= Q(**{f"{prefix}estimated_amount__gt": 0})
    if settings.requires_contact:
        q &= Q(**{f"{prefix}contact_reached": True})
    return q


def with_effective(queryset, settings):
    """Annotate each lead with `is_effective` (a boolean computed in the database)."""
    rule = effective_q(settings)
    if not rule:
        # Nothing required: every lead is effective (an empty Q cannot be wrapped as an expression).
        rule = Q(pk__isnull=False)
    return queryset.annotate(is_effective=ExpressionWrapper(rule, output_field=BooleanField()))
