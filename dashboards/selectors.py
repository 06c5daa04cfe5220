"""The dashboard's figures for a unit (city, county or zone) and a period, for what the user may see.

Every figure is counted from `Model.objects.visible_to(user)` restricted to the unit, in a fixed number of
queries whatever the number of teams, counties, chains or projects: grouped aggregates rolled up the tree in
Python by path, and the period's projects read once (a city-year holds a few thousand); never a query per
row. Every figure carries the filters of the list behind it (the apps' one FilterSet per list, shared by the
page and the API) and both URLs, so the figure and the list always agree: the filters below and the conditions
of the queries are written side by side.

What each figure counts (the same rules as targets.selectors, so the targets pages agree):

- companies visited / invited to inspect: distinct companies in the visits / inspections dated in the period,
  recorded by the unit or below it;
- leads: counted leads (never a duplicate) collected in the period, reported by or pushed to the unit (a city:
  its own); effective ones by the city's rule; connected ones past the city's first pool (在谈库 or beyond);
- projects: counted projects (统计口径: first confirmed signing, at least the city's minimum) credited to the
  unit (the team whose lead it was, the host county or zone; a city: its own), signed / started / in
  production / at capacity on a date in the period; signed investment and funds arrived over those signed;
- the "三个一批" rates of the rounds the unit (or a unit below it) held in the period (projects.selectors);
- open and overdue problems raised by the unit or about a project it hosts (a city: all its own), now.
"""

import datetime
import functools
import hashlib
import statistics
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chains.models import IndustryChain
from core.place_filters import region_of, work_cities
from core.scope import scope_of
from leads.filtersets import connected_q, settings_for, with_effective_for
from leads.models import Lead
from organizations.choices import TargetRegion, UnitKind
from organizations.models import Unit
from outreach.models import Inspection, Visit
from projects import selectors as project_selectors
from projects.choices import RateBasis
from projects.filtersets import counted_q
from projects.models import Project
from service.choices import OPEN_STATUSES
from service.models import Problem
from service.selectors import overdue_q

YI = Decimal(10000)
DASHBOARD_KINDS = (UnitKind.CITY, UnitKind.COUNTY, UnitKind.ZONE)
TEAM_KINDS = (UnitKind.TEAM, UnitKind.SQUAD)
AREA_KINDS = (UnitKind.COUNTY, UnitKind.ZONE)

# The list page and the API list of each kind of record, filtered by the same FilterSet.
LISTS = {
    "visit": ("outreach:visit_list", "outreach_api:visit-list"),
    "inspection": ("outreach:inspection_list", "outreach_api:inspection-list"),
    "lead": ("leads:lead_list", "leads_api:lead-list"),
    "project": ("projects:project_list", "projects_api:project-list"),
    "problem": ("service:problem_list", "service_api:problem-list"),
}


# --- Units and periods ---------------------------------------------------------------------------------


def units_for(user):
    """The units whose dashboard the user may open: the cities, counties and zones they may see (the office and
    leaders: the city and every county and zone in it; a county: itself and its zones); someone who sees none
    of them (a team, a department) gets the city they work in, counted over what they may see."""
    units = list(
        Unit.objects.visible_to(user).filter(kind__in=DASHBOARD_KINDS, active=True).order_by("depth", "sort_order")
    )
    if not units:
        units = list(work_cities(user).filter(active=True).order_by("depth", "sort_order"))
    return sorted(units, key=lambda u: (u.depth, u.path.count("/"), u.path))


def default_period(user, unit, today=None):
    """The year shown when none is asked for: this year, or the latest year before it holding a visit or a
    signing the user may see in the unit (January's dashboard, or a demo of past years, is not a page of zeros)."""
    from django.db.models import Max

    from outreach.models import Visit
    from projects.models import Project

    today = today or timezone.localdate()
    visits = Visit.objects.visible_to(user).filter(unit__path__startswith=unit.path, visit_date__lte=today)
    signed = Project.objects.visible_to(user).filter(host_unit__path__startswith=unit.path, signed_on__lte=today)
    days = [
        visits.aggregate(day=Max("visit_date"))["day"],
        signed.aggregate(day=Max("signed_on"))["day"],
    ]
    days = [d for d in days if d is not None]
    year = today.year if not days or any(d.year == today.year for d in days) else max(days).year
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_bounds(day=None):
    day = day or timezone.localdate()
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


# --- Figures and their lists ---------------------------------------------------------------------------


def yi(wan):
    """万元 → 亿元, two decimals, as the seeds print amounts."""
    return (Decimal(wan or 0) / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=64)
def _list_paths(model, prefix, urlconf):
    # Reversed once per list (a dashboard holds hundreds of links); keyed by what reverse() depends on.
    page, api = LISTS[model]
    return reverse(page, urlconf=urlconf), reverse(api, urlconf=urlconf)


def list_urls(model, params):
    page, api = _list_paths(model, get_script_prefix(), get_urlconf())
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{page}?{query}", f"{api}?{query}"


def count_figure(key, label, value, model, params, *, unit=""):
    """A count and the list of exactly the records it counts."""
    url, api_url = list_urls(model, params)
    value = int(value or 0)
    return {
        "key": key,
        "label": label,
        "kind": "count",
        "value": value,
        "display": str(value),
        "unit": unit,
        "list": model,
        "filters": params,
        "url": url,
        "api_url": api_url,
    }


def amount_figure(key, label, wan, model, params, *, sum_field):
    """A sum (万元 inside, 亿元 shown) of `sum_field` over the list behind it."""
    url, api_url = list_urls(model, params)
    wan = Decimal(wan or 0)
    return {
        "key": key,
        "label": label,
        "kind": "amount",
        "value": str(wan),
        "yi": str(yi(wan)),
        "display": str(yi(wan)),
        "unit": _("亿元"),
        "list": model,
        "filters": params,
        "sum_field": sum_field,
        "url": url,
        "api_url": api_url,
    }


class Within:
    """How the dashboard's unit restricts each kind of record: as a Q for the figures, as list filters for the links.

    A city takes its own records (its owner field; the ledgers by the units under it), complaints included; a
    county or zone what the lists filter by unit: its ledgers, the leads it reported or received, the projects
    credited to it (as the targets count them) and the problems it raised or that its projects raised.
    """

    def __init__(self, unit):
        self.unit = unit
        self.city = unit.kind == UnitKind.CITY
        self.path = unit.path

    def outreach(self):
        key = "city" if self.city else "unit"
        return Q(unit__path__startswith=self.path), {key: self.unit.pk}

    def leads(self):
        if self.city:
            return Q(owner=self.unit), {"city": self.unit.pk}
        q = Q(reporting_unit__path__startswith=self.path) | Q(receiving_unit__path__startswith=self.path)
        return q, {"unit": self.unit.pk}

    def projects(self):
        if self.city:
            return Q(owner=self.unit), {"city": self.unit.pk}
        return credited_q(self.path), {"credited_to": self.unit.pk}

    def problems(self):
        if self.city:
            return Q(owner=self.unit), {"city": self.unit.pk}
        q = Q(raised_unit__path__startswith=self.path) | Q(project__host_unit__path__startswith=self.path)
        return q, {"unit": self.unit.pk}

    def rounds_filter(self, start, end):
        """The project list's filters for the rounds the unit held in the period."""
        key = "city" if self.city else "round_host"
        return {key: self.unit.pk, "round_from": start.isoformat(), "round_to": end.isoformat()}


def credited_q(path):
    """Projects credited to the unit at `path` (ProjectFilterSet.credited_to): its teams' leads, its hosting."""
    return Q(lead__reporting_unit__path__startswith=path) | Q(host_unit__path__startswith=path)


def _collapse(rows, keys):
    """Grouped rows summed by their paths: fine groups (a lead's province, chain …) become one row per unit."""
    out = {}
    for row in rows:
        found = out.setdefault(row["paths"], dict.fromkeys(keys, 0))
        for key in keys:
            found[key] += row[key] or 0
    return [{"paths": paths, **sums} for paths, sums in out.items()]


def _under(path, rows, *keys):
    """Sum the counters `keys` of grouped `rows` whose path (any of row["paths"]) lies at or under `path`."""
    totals = dict.fromkeys(keys, 0)
    for row in rows:
        if any(p and p.startswith(path) for p in row["paths"]):
            for key in keys:
                totals[key] += row[key] or 0
    return totals


# --- The dashboard ---------------------------------------------------------------------------------------


def dashboard(user, unit, start, end, today=None):
    """Every figure of the dashboard of `unit` for [start, end] as the user may see it (a JSON-ready dict)."""
    today = today or timezone.localdate()
    within = Within(unit)
    dates = {"date_from": start.isoformat(), "date_to": end.isoformat()}
    period = (start, end)

    # The units of the rankings: teams and squads, counties and zones below this one that the user may see.
    below = list(
        Unit.objects.visible_to(user)
        .filter(path__startswith=unit.path, active=True, kind__in=(*TEAM_KINDS, *AREA_KINDS))
        .exclude(pk=unit.pk)
        .order_by("sort_order", "path")
    )
    teams = [u for u in below if u.kind in TEAM_KINDS]
    areas = [u for u in below if u.kind in AREA_KINDS]

    out = {
        "unit": {"id": unit.pk, "name": unit.name, "kind": unit.kind, "kind_label": unit.get_kind_display()},
        "start": start.isoformat(),
        "end": end.isoformat(),
        "today": today.isoformat(),
    }
    visits_part = _visits(user, within, period, dates, teams)
    inspections_part = _inspections(user, within, period, dates, teams)
    leads_part = _leads(user, within, period, dates, teams)
    projects_part = _projects(user, within, period, teams, areas)
    out["funnel"] = [
        visits_part["companies"],
        leads_part["counted"],
        leads_part["effective"],
        inspections_part["companies"],
        leads_part["connected"],
        *projects_part["stages"],
    ]
    out["money"] = projects_part["money"]
    out["rates"] = _rates(user, unit, within, start, end)
    out["teams"] = [
        {
            "unit": {"id": team.pk, "name": team.name},
            "visits": visits_part["teams"][team.pk],
            "leads": leads_part["teams"][team.pk],
            "inspections": inspections_part["teams"][team.pk],
            "signed": projects_part["teams"][team.pk],
        }
        for team in teams
    ]
    out["teams"].sort(key=lambda row: (-row["signed"]["value"], -row["leads"]["value"], -row["visits"]["value"]))
    out["areas"] = projects_part["areas"]
    out["provinces"], out["regions"] = _origins(leads_part, projects_part, within, dates, period)
    out["chains"] = _chains(user, leads_part, projects_part)
    out["cycles"] = projects_part["cycles"]
    out["problems"] = _problems(user, within, today)
    return out


def _visits(user, within, period, dates, teams):
    where, params = within.outreach()
    visits = Visit.objects.visible_to(user).filter(where, visit_date__range=period).order_by()
    companies = visits.aggregate(n=Count("company", distinct=True))["n"]
    rows = [
        {"paths": (row["unit__path"],), "n": row["n"]}
        for row in visits.values("unit__path").annotate(n=Count("id")).order_by()
    ]
    return {
        "companies": count_figure(
            "visited", _("走访企业"), companies, "visit", {**params, **dates, "each_company": "true"}, unit=_("家")
        ),
        "teams": {
            team.pk: count_figure(
                "visits", _("走访"), _under(team.path, rows, "n")["n"], "visit", {**params, **dates, "unit": team.pk}
            )
            for team in teams
        },
    }


def _inspections(user, within, period, dates, teams):
    where, params = within.outreach()
    inspections = Inspection.objects.visible_to(user).filter(where, inspection_date__range=period).order_by()
    companies = inspections.aggregate(n=Count("company", distinct=True))["n"]
    rows = [
        {"paths": (row["unit__path"],), "n": row["n"]}
        for row in inspections.values("unit__path").annotate(n=Count("id")).order_by()
    ]
    return {
        "companies": count_figure(
            "inspected",
            _("邀请来考察企业"),
            companies,
            "inspection",
            {**params, **dates, "each_company": "true"},
            unit=_("家"),
        ),
        "teams": {
            team.pk: count_figure(
                "inspections",
                _("考察"),
                _under(team.path, rows, "n")["n"],
                "inspection",
                {**params, **dates, "unit": team.pk},
            )
            for team in teams
        },
    }


def _leads(user, within, period, dates, teams):
    where, params = within.leads()
    base = {**params, **dates, "counted": "true"}
    leads = Lead.objects.visible_to(user).counted().filter(where, collected_date__range=period).order_by()
    rated = with_effective_for(leads, settings_for(user))
    # One scan of the period's leads, grouped finely enough for every lead figure (totals, teams, origins, chains).
    groups = list(
        rated.values("reporting_unit__path", "investor__province", "chain_id")
        .annotate(
            n=Count("id"),
            effective=Count("id", filter=Q(is_effective=True)),
            connected=Count("id", filter=connected_q()),
        )
        .order_by()
    )
    totals = {key: sum(g[key] for g in groups) for key in ("n", "effective", "connected")}
    by_reporter = _collapse([{"paths": (g["reporting_unit__path"],), "n": g["effective"]} for g in groups], ("n",))
    by_province, by_chain = {}, {}
    for g in groups:
        by_province[g["investor__province"]] = by_province.get(g["investor__province"], 0) + g["n"]
        if g["chain_id"] is not None:
            by_chain[g["chain_id"]] = by_chain.get(g["chain_id"], 0) + g["n"]
    return {
        "counted": count_figure("leads", _("收集线索"), totals["n"], "lead", base, unit=_("条")),
        "effective": count_figure(
            "effective_leads", _("实效线索"), totals["effective"], "lead", {**base, "effective": "true"}, unit=_("条")
        ),
        "connected": count_figure(
            "connected", _("对接项目"), totals["connected"], "lead", {**base, "connected": "true"}, unit=_("个")
        ),
        "teams": {
            team.pk: count_figure(
                "leads",
                _("实效线索"),
                _under(team.path, by_reporter, "n")["n"],
                "lead",
                {**base, "effective": "true", "reported_by": team.pk},
            )
            for team in teams
        },
        "params": base,
        "by_province": by_province,
        "by_chain": by_chain,
    }


STAGE_FIGURES = (
    # (key, label, the dated field, the list's `reached`)
    ("started", gettext_lazy("开工项目"), "started_on", "started"),
    ("producing", gettext_lazy("投产项目"), "producing_on", "producing"),
    ("at_capacity", gettext_lazy("达效项目"), "at_capacity_on", "at_capacity"),
)
CYCLES = (
    # (key, label, from, to, the list's filters beyond the unit)
    ("contact_to_signing", gettext_lazy("首次接洽→签约"), "first_contact_on", "signed_on"),
    ("signing_to_start", gettext_lazy("签约→开工"), "signed_on", "started_on"),
    ("signing_to_production", gettext_lazy("签约→投产"), "signed_on", "producing_on"),
)


PROJECT_COLUMNS = (
    "pk",
    "investors__province",
    "total_investment",
    "funds_arrived",
    "chain_id",
    "host_unit__path",
    "lead__reporting_unit__path",
    "first_contact_on",
    "signed_on",
    "started_on",
    "producing_on",
    "at_capacity_on",
)


def _period_projects(projects, period):
    """The counted projects with a stage reached in the period, one query: a row per project and investor, folded
    into one dict per project with the set of its investors' provinces (a city-year holds a few thousand)."""
    start, end = period
    in_period = Q(signed_on__range=period)
    for _key, _label, field, _reached in STAGE_FIGURES:
        in_period |= Q(**{f"{field}__range": period})
    found = {}
    for row in projects.filter(in_period).values_list(*PROJECT_COLUMNS):
        record = dict(zip(PROJECT_COLUMNS, row, strict=True))
        project = found.get(record["pk"])
        if project is None:
            project = found[record["pk"]] = record
            project["provinces"] = set()
            project["total_investment"] = record["total_investment"] or Decimal(0)
            project["paths"] = (record["host_unit__path"], record["lead__reporting_unit__path"])
            for field in ("signed_on", "started_on", "producing_on", "at_capacity_on"):
                project[f"in_{field}"] = record[field] is not None and start <= record[field] <= end
        project["provinces"].add(record["investors__province"])
    return list(found.values())


def _projects(user, within, period, teams, areas):
    start, end = period
    where, params = within.projects()
    projects = Project.objects.visible_to(user).filter(counted_q()).filter(where).order_by()
    dated = _period_projects(projects, period)
    signed = [p for p in dated if p["in_signed_on"]]
    totals = {
        "signed": len(signed),
        "investment": sum((p["total_investment"] for p in signed), Decimal(0)),
        "funds": sum((p["funds_arrived"] for p in signed), Decimal(0)),
        **{key: sum(1 for p in dated if p[f"in_{field}"]) for key, _l, field, _r in STAGE_FIGURES},
    }
    signed_params = {**params, "counted": "true", "signed_from": start.isoformat(), "signed_to": end.isoformat()}

    def reached_params(reached):
        return {
            **params,
            "counted": "true",
            "reached": reached,
            "reached_from": start.isoformat(),
            "reached_to": end.isoformat(),
        }

    stages = [count_figure("signed", _("签约项目"), totals["signed"], "project", signed_params, unit=_("个"))]
    for key, label, _field, reached in STAGE_FIGURES:
        stages.append(count_figure(key, str(label), totals[key], "project", reached_params(reached), unit=_("个")))
    money = [
        amount_figure(
            "signed_investment",
            _("签约项目总投资"),
            totals["investment"],
            "project",
            signed_params,
            sum_field="total_investment",
        ),
        amount_figure(
            "funds_arrived", _("其中累计到位资金"), totals["funds"], "project", signed_params, sum_field="funds_arrived"
        ),
    ]

    # Both rankings from the same projects: credited by host and by the unit that reported the lead.
    rows = _collapse(
        [
            {
                "paths": p["paths"],
                "signed": int(p["in_signed_on"]),
                "investment": p["total_investment"] if p["in_signed_on"] else Decimal(0),
                "started": int(p["in_started_on"]),
            }
            for p in dated
        ],
        ("signed", "investment", "started"),
    )
    team_figures = {
        team.pk: count_figure(
            "signed",
            _("签约项目"),
            _under(team.path, rows, "signed")["signed"],
            "project",
            {**signed_params, "credited_to": team.pk},
        )
        for team in teams
    }
    area_rows = []
    for area in areas:
        found = _under(area.path, rows, "signed", "investment", "started")
        area_rows.append(
            {
                "unit": {"id": area.pk, "name": area.name, "kind_label": area.get_kind_display()},
                "signed": count_figure(
                    "signed", _("签约项目"), found["signed"], "project", {**signed_params, "credited_to": area.pk}
                ),
                "investment": amount_figure(
                    "investment",
                    _("签约总投资"),
                    found["investment"],
                    "project",
                    {**signed_params, "credited_to": area.pk},
                    sum_field="total_investment",
                ),
                "started": count_figure(
                    "started",
                    _("开工项目"),
                    found["started"],
                    "project",
                    {**reached_params("started"), "credited_to": area.pk},
                ),
            }
        )
    area_rows.sort(key=lambda r: (-Decimal(r["investment"]["value"]), -r["signed"]["value"], r["unit"]["name"]))

    # Where the investors come from: each signed project once per province (and per region) of its investors;
    # a project without investors is of no province and of the region 其他.
    by_province, by_region, by_chain = {}, {}, {}
    for p in signed:
        amount = p["total_investment"]
        for province in {x for x in p["provinces"] if x}:
            entry = by_province.setdefault(province, {"n": 0, "amount": Decimal(0)})
            entry["n"] += 1
            entry["amount"] += amount
        for region in {region_of(x) for x in p["provinces"]}:
            entry = by_region.setdefault(region, {"n": 0, "amount": Decimal(0)})
            entry["n"] += 1
            entry["amount"] += amount
        if p["chain_id"] is not None:
            n, total = by_chain.get(p["chain_id"], (0, Decimal(0)))
            by_chain[p["chain_id"]] = (n + 1, total + amount)

    # Cycle times: the projects whose later date falls in the period.
    cycles = []
    for key, label, first, last in CYCLES:
        days = [(p[last] - p[first]).days for p in dated if p[first] is not None and p[f"in_{last}"]]
        if last == "signed_on":
            cycle_params = {**signed_params, "first_contact": "true"}
        else:
            cycle_params = reached_params("started" if last == "started_on" else "producing")
        figure = count_figure(key, str(label), len(days), "project", cycle_params, unit=_("个"))
        figure["median"] = _days(statistics.median(days)) if days else None
        figure["average"] = _days(sum(days) / len(days)) if days else None
        cycles.append(figure)

    return {
        "stages": stages,
        "money": money,
        "teams": team_figures,
        "areas": area_rows,
        "params": signed_params,
        "by_province": by_province,
        "by_region": by_region,
        "by_chain": by_chain,
        "cycles": cycles,
    }


def _days(value):
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _origins(leads_part, projects_part, within, dates, period):
    """By the investor's province and by region: leads collected, projects signed and their investment."""
    lead_params, project_params = leads_part["params"], projects_part["params"]

    def row(key, name, leads, projects, extra_params):
        n, amount = projects
        return {
            "key": key,
            "name": name,
            "leads": count_figure("leads", _("线索"), leads, "lead", {**lead_params, **extra_params}),
            "projects": count_figure("projects", _("签约项目"), n, "project", {**project_params, **extra_params}),
            "investment": amount_figure(
                "investment",
                _("签约总投资"),
                amount,
                "project",
                {**project_params, **extra_params},
                sum_field="total_investment",
            ),
        }

    lead_provinces = {p: n for p, n in leads_part["by_province"].items() if p}
    names = sorted(set(lead_provinces) | set(projects_part["by_province"]))
    provinces = []
    for name in names:
        project = projects_part["by_province"].get(name, {"n": 0, "amount": Decimal(0)})
        provinces.append(
            row(name, name, lead_provinces.get(name, 0), (project["n"], project["amount"]), {"province": name})
        )
    provinces.sort(key=lambda r: (-r["projects"]["value"], -r["leads"]["value"], r["name"]))

    lead_regions = {}
    for province, n in leads_part["by_province"].items():
        region = region_of(province)
        lead_regions[region] = lead_regions.get(region, 0) + n
    regions = []
    for region, label in TargetRegion.choices:
        project = projects_part["by_region"].get(region, {"n": 0, "amount": Decimal(0)})
        regions.append(
            row(region, str(label), lead_regions.get(region, 0), (project["n"], project["amount"]), {"region": region})
        )
    return provinces, regions


def _chains(user, leads_part, projects_part):
    """By chain: leads collected, projects signed and their investment (the chains the lists offer)."""
    found = set(leads_part["by_chain"]) | set(projects_part["by_chain"])
    if not found:
        return []
    chains = IndustryChain.objects.visible_to(user).filter(active=True, pk__in=found).order_by("id")
    rows = []
    for chain in chains:
        n, amount = projects_part["by_chain"].get(chain.pk, (0, Decimal(0)))
        params = {"chain": chain.pk}
        rows.append(
            {
                "chain": {"id": chain.pk, "name": chain.name},
                "leads": count_figure(
                    "leads",
                    _("线索"),
                    leads_part["by_chain"].get(chain.pk, 0),
                    "lead",
                    {**leads_part["params"], **params},
                ),
                "projects": count_figure(
                    "projects", _("签约项目"), n, "project", {**projects_part["params"], **params}
                ),
                "investment": amount_figure(
                    "investment",
                    _("签约总投资"),
                    amount,
                    "project",
                    {**projects_part["params"], **params},
                    sum_field="total_investment",
                ),
            }
        )
    rows.sort(key=lambda r: (-Decimal(r["investment"]["value"]), -r["leads"]["value"], r["chain"]["name"]))
    return rows


def _rates(user, unit, within, start, end):
    """签约开工率, 开工投产率, 投产达效率 of the rounds the unit held in the period, by investment (as published) and
    by number; each with its fraction and the lists of the projects listed and reached."""
    rounds = project_selectors.rounds_in(user, unit=unit, start=start, end=end)
    rounds_filter = within.rounds_filter(start, end)
    decimals = project_selectors.published_decimals(rounds)
    by_amount = project_selectors.round_rates(rounds, RateBasis.AMOUNT, decimals=decimals, rounds_filter=rounds_filter)
    rows = []
    for amount in by_amount:
        # By number: what the amount's rate counted, projects reached over projects listed (no second query).
        count = project_selectors.Rate(
            amount.key,
            amount.label,
            RateBasis.COUNT,
            Decimal(amount.extra["reached"]),
            Decimal(amount.extra["listed"]),
            *project_selectors.RATE_LABELS[(amount.key, RateBasis.COUNT)],
            decimals=decimals,
        )
        listed_params = {k: v for k, v in amount.link_params.items() if k != "reached"}
        rows.append(
            {
                "key": amount.key,
                "label": str(amount.label),
                "basis_label": str(amount.basis_label),
                "display": amount.display,
                "numerator": str(yi(amount.numerator)),
                "denominator": str(yi(amount.denominator)),
                "numerator_label": str(amount.numerator_label),
                "denominator_label": str(amount.denominator_label),
                "count_basis_label": str(count.basis_label),
                "count_display": count.display,
                "count_numerator": int(count.numerator),
                "count_denominator": int(count.denominator),
                "reached": count_figure(
                    "reached", str(count.numerator_label), amount.extra["reached"], "project", amount.link_params
                ),
                "listed": count_figure(
                    "listed", str(count.denominator_label), amount.extra["listed"], "project", listed_params
                ),
            }
        )
    return {"decimals": decimals, "rows": rows}


def _problems(user, within, today):
    where, params = within.problems()
    problems = Problem.objects.visible_to(user).filter(where).order_by()
    totals = problems.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    return [
        count_figure(
            "open", _("未办结问题"), totals["open"], "problem", {**params, "status": list(OPEN_STATUSES)}, unit=_("件")
        ),
        count_figure(
            "overdue", _("其中逾期"), totals["overdue"], "problem", {**params, "overdue": "true"}, unit=_("件")
        ),
    ]


def scope_signature(user):
    """What the user's visibility depends on: their id (包联 and service teams are personal) and their roles."""
    scope = scope_of(user)
    roles = sorted((role, path) for role, units in scope.by_role.items() for _id, path in units)
    digest = hashlib.sha256(repr(roles).encode("utf-8")).hexdigest()[:16]
    return f"{user.pk}:{digest}"
