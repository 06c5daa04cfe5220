"""What a month's bulletin says, counted from the records in a fixed number of queries; and who may read bulletins.

`monthly_figures(owner, year, month)` gathers every figure the bulletin prints, as plain JSON (strings as printed),
so the document can be written from it and the row can keep it unchanged for good:

- the city's month and its year to date: visits (of which universities), effective leads, inspections, signed
  projects and signed investment (亿元), started and producing projects, funds arrived (亿元), promotion events —
  counted by `targets.selectors.unit_counts` for the city, by the very rules a city-wide target is counted;
- each team's month against its targets, and the city-wide targets covering the month (the "1521" goal): the
  same targets and stand-ins the city progress page (/targets/progress/city/, `targets.tables.city_progress`)
  takes, counted by the same `targets.selectors.progress`, so the two agree by construction;
- the rankings of each of the city's assessment schemes covering the month (`assessment.selectors.results`:
  the locked results when the office locked the month, else the live ones, marked "（未锁定）");
- those ahead and those behind: teams whose every target is on schedule at the month's end (a month's own
  target: met) or not, and the first and last of each ranking;
- notable projects: the month's confirmed signings, starts and productions (统计口径), biggest first, top 10.

The queries: one per indicator and period for the counts, one for the teams, one for the targets, one for the
projects, a settings row or two, and per scheme a handful (its items, targets, one per indicator, its lock) —
never one per team, project or record.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q

from organizations.choices import UnitKind
from organizations.models import Unit
from targets import selectors as target_selectors
from targets.choices import Indicator
from targets.services import month_range
from targets.tables import city_progress, number

from .models import Bulletin

YI = Decimal(10000)
CENT = Decimal("0.01")
NOTABLE_PROJECTS = 10
# The city's figures, in the order the bulletin tells them.
CITY_INDICATORS = [
    Indicator.VISITS,
    Indicator.UNIVERSITY_VISITS,
    Indicator.EFFECTIVE_LEADS,
    Indicator.INSPECTIONS,
    Indicator.EVENTS,
    Indicator.SIGNED_PROJECTS,
    Indicator.SIGNED_INVESTMENT,
    Indicator.STARTED_PROJECTS,
    Indicator.PRODUCING_PROJECTS,
    Indicator.FUNDS_ARRIVED,
]
YI_INDICATORS = {Indicator.SIGNED_INVESTMENT, Indicator.FUNDS_ARRIVED}


def bulletins_for(user):
    return Bulletin.objects.visible_to(user)


# --- formatting: figures are kept as printed ---------------------------------------------------------------


def yi(value):
    """万元 as 亿元 with two decimals: 239000 → "23.90"."""
    return f"{(Decimal(value or 0) / YI).quantize(CENT, rounding=ROUND_HALF_UP):,}"


def pct(share):
    """A share as the seeds print it: 96% or 71.7% ("" when there is none)."""
    if share is None:
        return ""
    share = Decimal(share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{share.to_integral_value() if share == share.to_integral_value() else share}%"


def month_day(day):
    return f"{day.month}月{day.day}日"


def issuer_of(city):
    """The city's investment-promotion centre, which issues the bulletin (its name as the org tree has it)."""
    centre = (
        Unit.objects.filter(
            path__startswith=city.path, kind=UnitKind.DEPARTMENT, name__endswith="招商投资促进中心", active=True
        )
        .order_by("path")
        .values_list("name", flat=True)
        .first()
    )
    return centre or f"{city.name}招商投资促进中心"


# --- the city's figures --------------------------------------------------------------------------------------


def city_totals(city, start, end):
    """{indicator: {label, month, ytd}} for the city: the month and January to the month's end."""
    year_start = datetime.date(start.year, 1, 1)
    out, memo = {}, {}
    for indicator in CITY_INDICATORS:
        counted = target_selectors.unit_counts_by_period(
            indicator, [(start, end), (year_start, end)], [city], city.pk, memo
        )
        month, ytd = counted[(start, end)][city.pk], counted[(year_start, end)][city.pk]
        show = yi if indicator in YI_INDICATORS else number
        out[indicator.value] = {"label": str(indicator.label), "month": show(month), "ytd": show(ytd)}
    # The amounts are printed in 亿元, whatever the indicator's own label says.
    out[Indicator.SIGNED_INVESTMENT.value]["label"] = "签约投资额（亿元）"
    out[Indicator.FUNDS_ARRIVED.value]["label"] = "到位资金（亿元）"
    return out


def _cell(progress, has_target):
    target = progress.target
    return {
        "indicator": target.indicator,
        "reached": number(progress.reached),
        "value": number(target.value) if has_target else None,
        "share": pct(progress.share) if has_target else "",
        "elapsed": pct(progress.elapsed),
        "behind": bool(has_target and progress.behind),
        "has_target": has_target,
        "name": target.name if has_target else "",
        "start": target.start.isoformat(),
        "end": target.end.isoformat(),
    }


def team_month(city, start, end):
    """Each team × indicator for the month, and the city-wide targets covering it: the city progress page's table
    (`targets.tables.city_progress`), read at the month's end and without a user's scope (the bulletin is the
    city's own)."""
    table = city_progress(None, city, start, end, today=end)
    rows = [
        {
            "unit": team.pk,
            "name": team.name,
            "cells": [[_cell(c.progress, c.has_target) for c in cell] for cell in cells],
        }
        for team, cells in table.rows
    ]
    goals = []
    for c in table.city_targets:
        cell = _cell(c.progress, True)
        cell["label"] = str(Indicator(c.progress.target.indicator).label)
        goals.append(cell)
    indicators = [code for code, _label in table.indicators]
    return {
        "indicators": [{"code": i.value, "label": str(Indicator(i).label)} for i in indicators],
        "rows": rows,
        "city_targets": goals,
    }


# --- rankings --------------------------------------------------------------------------------------------------


def rankings(city, start, end):
    """Each of the city's schemes covering the month: its results over the part of the month inside its period."""
    from assessment.choices import Subjects
    from assessment.models import Scheme
    from assessment.selectors import results

    out = []
    schemes = Scheme.objects.filter(owner=city, start__lte=end, end__gte=start).select_related("owner")
    for scheme in schemes.order_by("start", "name", "id"):
        found = results(scheme, max(start, scheme.start), min(end, scheme.end))
        first = found.scores[0].items if found.scores else []
        labels = [{"code": i.indicator, "label": str(i.label), "weight": number(i.weight)} for i in first]
        out.append(
            {
                "scheme": scheme.pk,
                "name": scheme.name,
                "subjects": str(Subjects(scheme.subjects).label),
                "start": found.start.isoformat(),
                "end": found.end.isoformat(),
                "locked": found.lock is not None,
                "items": labels,
                "rows": [
                    {
                        "rank": s.rank,
                        "unit": s.unit.pk,
                        "name": s.unit.name,
                        "total": f"{s.total:.2f}",
                        "points": [f"{i.points:.2f}" for i in s.items],
                    }
                    for s in found.scores
                ],
            }
        )
    return out


# --- those ahead and those behind ------------------------------------------------------------------------------


def _behind_text(cell, label):
    text = f"{label} {cell['reached']}/{cell['value']}（{cell['share']}"
    if cell["elapsed"] != "100%":
        text += f"，时间进度 {cell['elapsed']}"
    return text + "）"


def standing(teams, ranks, month_end):
    """Those ahead and those behind: by their targets at the month's end, and by each ranking's first and last.

    A team is behind when any of its targets trails the share of its period gone at the month's end (for the
    month's own targets: not met); ahead when none does.
    """
    labels = [i["label"] for i in teams["indicators"]]
    ahead, behind = [], []
    for row in teams["rows"]:
        real = [(labels[n], cell) for n, cells in enumerate(row["cells"]) for cell in cells if cell["has_target"]]
        if not real:
            continue
        late = [(label, cell) for label, cell in real if cell["behind"]]
        if late:
            behind.append(
                f"{row['name']}：" + "、".join(_behind_text(cell, label) for label, cell in late) + "未达进度"
            )
        elif all(cell["end"] <= month_end for _l, cell in real):
            ahead.append(f"{row['name']}：本月各项目标任务全部完成")
        else:
            ahead.append(f"{row['name']}：各项目标任务均达到时间进度")
    for ranking in ranks:
        rows = ranking["rows"]
        if len(rows) < 2:
            continue
        first, last = rows[0]["rank"], rows[-1]["rank"]
        scheme = ranking["name"]
        for row in rows:
            if row["rank"] == first:
                ahead.append(f"{row['name']}：“{scheme}”排名第{first}（{row['total']}分）")
        if last > first:
            for row in rows:
                if row["rank"] == last:
                    behind.append(f"{row['name']}：“{scheme}”排名末位（第{last}名，{row['total']}分）")
    return {"ahead": ahead, "behind": behind}


# --- notable projects ------------------------------------------------------------------------------------------


def notable_projects(city, start, end):
    """The month's confirmed signings, starts and productions (统计口径), biggest investment first, top 10."""
    from projects.models import Project, ProjectSettings

    minimum = ProjectSettings.objects.filter(owner=city).values_list("min_count_amount", flat=True).first() or 0
    in_month = (
        Q(signed_on__range=(start, end)) | Q(started_on__range=(start, end)) | Q(producing_on__range=(start, end))
    )
    rows = (
        Project.objects.filter(owner=city)
        .counted(minimum)
        .filter(in_month)
        .select_related("host_unit")
        .order_by(F("total_investment").desc(nulls_last=True), "id")[:NOTABLE_PROJECTS]
    )
    out = []
    for project in rows:
        events = [
            f"{label}（{month_day(day)}）"
            for label, day in (
                ("签约", project.signed_on),
                ("开工", project.started_on),
                ("投产", project.producing_on),
            )
            if day and start <= day <= end
        ]
        out.append(
            {
                "project": project.pk,
                "name": project.name,
                "host": project.host_unit.name,
                "amount": yi(project.total_investment),
                "events": "、".join(events),
            }
        )
    return out


# --- the whole month -----------------------------------------------------------------------------------------


def work_figures(owner, start, end):
    """The month's work: the city's figures, the teams' month, the city-wide targets, notable projects."""
    teams = team_month(owner, start, end)
    return {
        "totals": city_totals(owner, start, end),
        "teams": {"indicators": teams["indicators"], "rows": teams["rows"]},
        "city_targets": teams["city_targets"],
        "projects": notable_projects(owner, start, end),
    }


def assemble(owner, year, month, work, ranks):
    """The bulletin's figures from the month's work and rankings (no query but the issuer's name)."""
    start, end = month_range(year, month)
    return {
        "city": {"id": owner.pk, "name": owner.name},
        "issuer": issuer_of(owner),
        "year": year,
        "month": month,
        "start": start.isoformat(),
        "end": end.isoformat(),
        **work,
        "rankings": ranks,
        **standing(work["teams"], ranks, end.isoformat()),
    }


def monthly_figures(owner, year, month):
    """Every figure of the city's bulletin for the month, as JSON (see the module's docstring)."""
    start, end = month_range(year, month)
    return assemble(owner, year, month, work_figures(owner, start, end), rankings(owner, start, end))
