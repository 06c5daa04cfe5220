"""Reading projects: lists in scope, the "三个一批" rates, the signed projects' rates, the library, cycle times,
the monthly dispatch. Every figure carries its basis and the filter of the list behind it."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .choices import Batch, ProjectKind, RateBasis, Stage, Verification
from .models import MonthlyProgress, Project, Round, RoundEntry, StageChange

YI = Decimal(10000)
HUNDRED = Decimal(100)


def projects_for(user):
    return Project.objects.visible_to(user)


def rounds_for(user):
    return Round.objects.visible_to(user)


def pending_changes_for(user):
    """Moves awaiting a verifier that the user may confirm: at their host or below, recorded by someone else."""
    from core.scope import scope_of
    from organizations.choices import Role

    scope = scope_of(user)
    return (
        StageChange.objects.filter(verification=Verification.PENDING)
        .filter(scope.subtree_q("project__host_unit__path", Role.VERIFIER))
        .exclude(actor=user)
        .select_related("project", "project__host_unit", "actor")
        .order_by("at", "id")
    )


# --- Rates ----------------------------------------------------------------------------------


@dataclass
class Rate:
    """One published rate: its name, the basis it is counted on, numerator over denominator, and the list behind it."""

    key: str
    label: str
    basis: str
    numerator: Decimal
    denominator: Decimal
    numerator_label: str = ""
    denominator_label: str = ""
    decimals: int = 1
    # The filters of the project list behind the figure (the list and the figure always agree).
    link_params: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def link(self):
        if not self.link_params:
            return ""
        return f"{reverse('projects:project_list')}?{urlencode(self.link_params)}"

    @property
    def value(self):
        """The share in percent (Decimal), or None when nothing is in the denominator."""
        if not self.denominator:
            return None
        return self.numerator * HUNDRED / self.denominator

    @property
    def display(self):
        """As the office publishes it: 96%, 71.7% (the round's decimals), "—" when there is nothing to divide."""
        value = self.value
        if value is None:
            return "—"
        quantum = Decimal(1).scaleb(-self.decimals)
        if value == value.to_integral_value():
            # A whole share is published whole: 阳城 writes 71.7% and 100%, never 100.0% (seed 001).
            quantum = Decimal(1)
        return f"{value.quantize(quantum, rounding=ROUND_HALF_UP)}%"

    @property
    def basis_label(self):
        return RateBasis(self.basis).label

    def amount_in_yi(self, value):
        return (value / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _entries(rounds):
    """The entries of these rounds, a project counted once per batch (its first listing) when rounds repeat it."""
    entries = (
        RoundEntry.objects.filter(round__in=rounds)
        .select_related("project")
        .order_by("round__held_on", "round_id", "id")
        .only(
            "batch",
            "investment",
            "round_id",
            "project__id",
            "project__started_on",
            "project__producing_on",
            "project__at_capacity_on",
            "project__completed_investment",
        )
    )
    seen, kept = set(), []
    for entry in entries:
        if (entry.project_id, entry.batch) not in seen:
            seen.add((entry.project_id, entry.batch))
            kept.append(entry)
    return kept


def _list_params(rounds_filter, batch, reached=None):
    params = {"batch": batch, **rounds_filter}
    if reached:
        params["reached"] = reached
    return params


# (key, label, batch, the dated field that says it got there, the list filter, amount numerator)
RATE_SPECS = (
    ("signed_started", _("签约开工率"), Batch.SIGNED, "started_on", "started", "listed"),
    ("started_producing", _("开工投产率"), Batch.STARTED, "producing_on", "producing", "completed"),
    ("producing_capacity", _("投产达效率"), Batch.PRODUCING, "at_capacity_on", "at_capacity", "listed"),
)
RATE_LABELS = {
    ("signed_started", RateBasis.AMOUNT): (_("已开工项目投资"), _("签约一批总投资")),
    ("signed_started", RateBasis.COUNT): (_("已开工项目数"), _("签约一批项目数")),
    ("started_producing", RateBasis.AMOUNT): (_("已投产项目累计完成投资"), _("开工一批总投资")),
    ("started_producing", RateBasis.COUNT): (_("已投产项目数"), _("开工一批项目数")),
    ("producing_capacity", RateBasis.AMOUNT): (_("已达效项目投资"), _("投产一批总投资")),
    ("producing_capacity", RateBasis.COUNT): (_("已达效项目数"), _("投产一批项目数")),
}


def round_rates(rounds, basis=RateBasis.AMOUNT, *, decimals=1, rounds_filter=None):
    """签约开工率, 开工投产率 and 投产达效率 of one round or several, on the basis asked for.

    - 签约开工率: of the 签约一批, those started (confirmed) — by amount, their listed investment.
    - 开工投产率: of the 开工一批, those in production — by amount, the investment they completed over the
      batch's listed investment (古县 6.31 / 10.12 = 62%, 阳城 20.7 / 28.87 = 71.7%, seed 001).
    - 投产达效率: of the 投产一批, those at capacity — by amount, their listed investment.
    """
    entries = _entries(rounds)
    basis = RateBasis(basis)
    out = []
    for key, label, batch, reached_field, reached, amount_of in RATE_SPECS:
        listed = [e for e in entries if e.batch == batch]
        done = [e for e in listed if getattr(e.project, reached_field) is not None]
        listed_amount = sum((e.investment for e in listed), Decimal(0))
        done_amount = sum((e.investment for e in done), Decimal(0))
        if basis == RateBasis.AMOUNT:
            num = (
                sum((e.project.completed_investment for e in done), Decimal(0))
                if amount_of == "completed"
                else done_amount
            )
            den = listed_amount
        else:
            num, den = Decimal(len(done)), Decimal(len(listed))
        num_label, den_label = RATE_LABELS[(key, basis)]
        out.append(
            Rate(
                key=key,
                label=label,
                basis=basis,
                numerator=num,
                denominator=den,
                numerator_label=num_label,
                denominator_label=den_label,
                decimals=decimals,
                link_params=_list_params(rounds_filter or {}, batch, reached),
                extra={
                    "listed": len(listed),
                    "reached": len(done),
                    "listed_amount": listed_amount,
                    "reached_amount": done_amount,
                },
            )
        )
    return out


def rounds_in(user, *, unit=None, start=None, end=None):
    """The rounds a user may see, held by `unit` or below it, between two dates."""
    rounds = rounds_for(user)
    if unit is not None:
        rounds = rounds.filter(host_unit__path__startswith=unit.path)
    if start:
        rounds = rounds.filter(held_on__gte=start)
    if end:
        rounds = rounds.filter(held_on__lte=end)
    return rounds


def published_decimals(rounds, default=1):
    """The decimals the host publishes its rates with: those its rounds share (古县 0: 96%), else `default`."""
    found = set(Round.objects.filter(pk__in=rounds.values("pk")).values_list("rate_decimals", flat=True).distinct())
    return found.pop() if len(found) == 1 else default


def batch_summary(rounds):
    """Per batch: how many projects and how much (万元) the rounds list, each project once."""
    entries = _entries(rounds)
    summary = {b: {"count": 0, "amount": Decimal(0)} for b in Batch.values}
    for entry in entries:
        summary[entry.batch]["count"] += 1
        summary[entry.batch]["amount"] += entry.investment
    return summary


# --- Signed projects' rates (seed 003; 许昌's practice) -------------------------------------------------


def counted_projects(queryset, settings):
    return queryset.counted(settings.min_count_amount)


def signed_rates(projects, *, today=None):
    """履约率 and 开工率 by count over signed; 资金到位率 by funds arrived over contract amount; 投资完成率 by
    completed investment over total. `projects` are the counted signed projects."""
    today = today or timezone.localdate()
    figures = projects.aggregate(
        signed=Count("id"),
        started=Count("id", filter=Q(started_on__isnull=False)),
        # 履约: not stopped or ended, and either started or still within its planned start.
        performing=Count(
            "id",
            filter=~Q(stage__in=[Stage.SUSPENDED, Stage.TERMINATED])
            & (Q(started_on__isnull=False) | Q(expected_start__isnull=True) | Q(expected_start__gte=today)),
        ),
        total=Sum("total_investment"),
        arrived=Sum("funds_arrived"),
        completed=Sum("completed_investment"),
    )
    zero = Decimal(0)
    signed = Decimal(figures["signed"])
    return [
        Rate(
            "performance",
            _("履约率"),
            RateBasis.COUNT,
            Decimal(figures["performing"]),
            signed,
            _("履约项目数"),
            _("签约项目数"),
        ),
        Rate(
            "start",
            _("开工率"),
            RateBasis.COUNT,
            Decimal(figures["started"]),
            signed,
            _("已开工项目数"),
            _("签约项目数"),
        ),
        Rate(
            "funds",
            _("资金到位率"),
            RateBasis.AMOUNT,
            figures["arrived"] or zero,
            figures["total"] or zero,
            _("到位资金"),
            _("签约总投资"),
        ),
        Rate(
            "completion",
            _("投资完成率"),
            RateBasis.AMOUNT,
            figures["completed"] or zero,
            figures["total"] or zero,
            _("累计完成投资"),
            _("签约总投资"),
        ),
    ]


# --- The library, cycle times -----------------------------------------------------------------------


def library_counts(projects):
    """The project library (入库) by kind and stage: count and total investment (屯留's way, seed 003)."""
    rows = (
        projects.filter(in_library=True)
        .order_by()
        .values("kind", "stage")
        .annotate(count=Count("id"), amount=Sum("total_investment"))
    )
    by_kind = {k: {"count": 0, "amount": Decimal(0)} for k in ProjectKind.values}
    by_stage = {s: {"count": 0, "amount": Decimal(0)} for s in Stage.values}
    total = {"count": 0, "amount": Decimal(0)}
    for row in rows:
        amount = row["amount"] or Decimal(0)
        for bucket in (by_kind[row["kind"]], by_stage[row["stage"]], total):
            bucket["count"] += row["count"]
            bucket["amount"] += amount
    filed = projects.filter(in_library=True, filed=True).aggregate(count=Count("id"), amount=Sum("total_investment"))
    return {"by_kind": by_kind, "by_stage": by_stage, "total": total, "filed": filed}


def cycle_days(projects):
    """Average days first contact → signing, signing → start, signing → production (seed 002: 54 and 150)."""
    out = {}
    pairs = {
        "contact_to_signing": ("first_contact_on", "signed_on"),
        "signing_to_start": ("signed_on", "started_on"),
        "signing_to_production": ("signed_on", "producing_on"),
    }
    for key, (start, end) in pairs.items():
        rows = projects.filter(**{f"{start}__isnull": False, f"{end}__isnull": False}).values_list(start, end)
        days = [(b - a).days for a, b in rows]
        out[key] = {"count": len(days), "average": round(sum(days) / len(days), 1) if days else None}
    return out


# --- Monthly dispatch ---------------------------------------------------------------------------------


def previous_month(today=None):
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def with_progress_flags(projects, month):
    """Annotate each project with whether `month`'s report is in, and whether it came late."""
    reports = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=month)
    return projects.annotate(
        reported=Exists(reports),
        reported_late=Exists(reports.filter(late=True)),
    )


def dispatch_rows(projects, month):
    """Every signed project of a unit with whether `month`'s report is in and came late (the 月调度 view)."""
    return (
        with_progress_flags(projects.filter(stage__in=REPORTING_STAGES), month)
        .select_related("host_unit", "responsible_unit")
        .order_by("host_unit__sort_order", "host_unit_id", "-total_investment", "id")
    )


# The stages in which a project reports monthly progress (signed and not ended).
REPORTING_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING, Stage.AT_CAPACITY, Stage.SUSPENDED)


def overdue_report_q(month, today=None):
    """Projects whose report for `month` came late, or is missing after its due day (by each city's setting)."""
    from .models import ProjectSettings

    today = today or timezone.localdate()
    reports = MonthlyProgress.objects.filter(project=OuterRef("pk"), month=month)
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    # Cities whose due day for `month` has passed; a city without settings uses the default (5th).
    passed_day = (today - following).days + 1 if today >= following else 0
    late_cities = ProjectSettings.objects.filter(progress_due_day__lt=passed_day).values("owner_id")
    default_passed = passed_day > ProjectSettings._meta.get_field("progress_due_day").default
    missing_here = Q(owner_id__in=late_cities)
    if default_passed:
        missing_here |= ~Q(owner_id__in=ProjectSettings.objects.values("owner_id"))
    return (~Exists(reports) & missing_here) | Exists(reports.filter(late=True))
