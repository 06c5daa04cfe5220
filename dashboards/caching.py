"""The dashboard's figures, cached per (the user's scope, unit, period), never older than the last write.

A figure is read from the cache only under the current data version, made of two parts:

- a counter in the cache that any write to a counted model bumps (post_save, post_delete and m2m_changed
  signals on visits, inspections, leads, pools, projects, rounds, progress reports, problems, units and
  memberships …), at once and again when the transaction commits (so no request can store what it read
  before the commit under the new version);
- the length of the audit chain (one row, one cheap query). Every write is audited, including the bulk
  ones that send no signal (ledger imports, the demo load, `queryset.update`), and a per-process cache
  (LocMemCache, several workers) never sees another process's signal: the audit chain is in the database
  every process shares.

The key also holds the user (包联 leaders and service teams see projects of their own), their roles, the
language of the labels and today's date (what is overdue changes at midnight). The page says when its
figures were computed ("数据更新于 HH:MM").
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

VERSION_KEY = "dashboards:data-version"
TIMEOUT = 60 * 60
COUNTED_MODELS = (
    "outreach.Visit",
    "outreach.Inspection",
    "leads.Lead",
    "leads.LeadPool",
    "leads.LeadSettings",
    "leads.LeadShare",
    "projects.Project",
    "projects.ProjectSettings",
    "projects.ProjectTeamMember",
    "projects.MonthlyProgress",
    "projects.Round",
    "projects.RoundEntry",
    "service.Problem",
    "service.ProblemAssignment",
    "chains.IndustryChain",
    "enterprises.Company",
    "organizations.Unit",
    "organizations.Membership",
)
M2M_FIELDS = (("projects.Project", "investors"), ("outreach.Inspection", "host_units"))


def bump_version(**kwargs):
    """A counted record changed: figures computed before now are never served again."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (first write, or evicted): any new value differs from what keys hold
        cache.set(VERSION_KEY, _fresh(), None)


def _fresh():
    # Milliseconds: a counter started again after an eviction never meets an old key's value.
    return int(timezone.now().timestamp() * 1000)


def data_version():
    from core.models import AuditChainHead

    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, _fresh(), None)
        stamp = cache.get(VERSION_KEY, 0)
    audited = AuditChainHead.objects.filter(pk=1).values_list("count", flat=True).first() or 0
    return f"{stamp}.{audited}"


def figures(user, unit, start, end, compute):
    """The figures from the cache when still current, else `compute()`d now; with `computed_at` and `cached`."""
    from .selectors import scope_signature

    today = timezone.localdate()
    key = ":".join(
        [
            "dashboards",
            data_version(),
            translation.get_language() or "",
            scope_signature(user),
            str(unit.pk),
            start.isoformat(),
            end.isoformat(),
            today.isoformat(),
        ]
    )
    found = cache.get(key)
    if found is not None:
        return {**found, "cached": True}
    result = compute()
    result["computed_at"] = timezone.localtime().isoformat(timespec="seconds")
    cache.set(key, result, TIMEOUT)
    return {**result, "cached": False}


def connect_signals():
    from django.apps import apps

    for label in COUNTED_MODELS:
        model = apps.get_model(label)
        uid = f"dashboards-version-{label}"
        post_save.connect(bump_version, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(bump_version, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    for label, field in M2M_FIELDS:
        through = getattr(apps.get_model(label), field).through
        m2m_changed.connect(
            bump_version, sender=through, dispatch_uid=f"dashboards-version-{label}-{field}", weak=False
        )
