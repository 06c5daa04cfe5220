"""What a report's draft is made of: the period's records of the unit's subtree, counted and listed, and the text.

The counts follow the targets' rules (targets.selectors), so a report and a progress page never disagree:

- visits by the unit (and its squads) on days of the period; universities are companies of kind 高校;
- leads reported by the unit, collected in the period, never a duplicate (撞单); effective by the city's rule
  (leads.filtersets.with_effective_for);
- inspections invited and promotion events held by the unit in the period;
- projects signed in the period and counted (统计口径: a first signing, confirmed, of at least the city's minimum)
  credited to the unit: its lead was the unit's, or the unit hosts it;
- problems (问题诉求) raised by the unit in the period, and those raised by others on the projects credited to it.

One query per kind of record, whatever the number of records.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.filtersets import with_effective_for
from leads.models import Lead, LeadSettings
from outreach.models import Inspection, PromotionEvent, Visit
from projects.models import Project, ProjectSettings
from service.choices import OPEN_STATUSES, ProblemStatus
from service.models import Problem
from targets.choices import Indicator
from targets.tables import records_url

from .choices import PLANS_PLACEHOLDER, ReportKind
from .periods import period_label

YI = Decimal(10000)
CENT = Decimal("0.01")
# Names listed in the text before "等": a month of visits can be long.
MAX_LISTED = 60

# The figures a draft keeps, in the order the report page shows them.
FIGURES = [
    ("visits", gettext_lazy("走访（次）")),
    ("visited_companies", gettext_lazy("走访企业（家）")),
    ("university_visits", gettext_lazy("其中走访高校（次）")),
    ("leads", gettext_lazy("报送线索（条）")),
    ("effective_leads", gettext_lazy("其中实效线索（条）")),
    ("inspections", gettext_lazy("邀请来运考察（家次）")),
    ("events", gettext_lazy("举办推介会（场）")),
    ("signed_projects", gettext_lazy("签约项目（个）")),
    ("signed_investment", gettext_lazy("签约总投资（亿元）")),
    ("problems", gettext_lazy("提出问题诉求（件）")),
    ("open_problems", gettext_lazy("其中尚未办结（件）")),
    ("project_problems", gettext_lazy("所对接项目的问题诉求（件）")),
]


def yi(amount):
    """万元 as 亿元 with two decimals: 15000 → "1.50"."""
    return f"{(Decimal(amount or 0) / YI).quantize(CENT, rounding=ROUND_HALF_UP):,}"


@dataclass
class PeriodRecords:
    """The records of one unit's subtree in one period, as the draft counts and lists them."""

    visits: list = field(default_factory=list)  # (date, company name, company kind)
    leads: list = field(default_factory=list)  # (name, investor name, amount, effective)
    inspections: list = field(default_factory=list)  # (date, company name)
    events: list = field(default_factory=list)  # (date, title, place, projects signed)
    projects: list = field(default_factory=list)  # (name, host name, total investment, signed on)
    problems: list = field(default_factory=list)  # (number, title, status label, open)
    project_problems: list = field(default_factory=list)

    @property
    def companies(self):
        """Distinct companies visited, in the order first visited."""
        return list(dict.fromkeys(name for _day, name, _kind in self.visits))

    def figures(self):
        return {
            "visits": len(self.visits),
            "visited_companies": len(self.companies),
            "university_visits": sum(1 for v in self.visits if v[2] == "university"),
            "leads": len(self.leads),
            "effective_leads": sum(1 for lead in self.leads if lead[3]),
            "inspections": len(self.inspections),
            "events": len(self.events),
            "signed_projects": len(self.projects),
            "signed_investment": str(sum((p[2] or Decimal(0) for p in self.projects), Decimal(0))),
            "problems": len(self.problems),
            "open_problems": sum(1 for p in self.problems if p[3]),
            "project_problems": len(self.project_problems),
        }


def project_credit_q(path, prefix=""):
    """A project counts for a unit when its lead was the unit's or the unit hosts it (targets.selectors' rule)."""
    return Q(**{f"{prefix}lead__reporting_unit__path__startswith": path}) | Q(
        **{f"{prefix}host_unit__path__startswith": path}
    )


def collect(unit, owner, start, end):
    """The period's records of `unit`'s subtree (and of its city `owner`, for leads and projects)."""
    path, period = unit.path, (start, end)
    found = PeriodRecords()
    found.visits = list(
        Visit.objects.filter(unit__path__startswith=path, visit_date__range=period)
        .order_by("visit_date", "id")
        .values_list("visit_date", "company__name", "company__kind")
    )
    rules = {s.owner_id: s for s in LeadSettings.objects.filter(owner=owner)}
    leads = with_effective_for(
        Lead.objects.counted().filter(owner=owner, reporting_unit__path__startswith=path, collected_date__range=period),
        rules,
    )
    found.leads = list(
        leads.order_by("collected_date", "id").values_list("name", "investor__name", "estimated_amount", "is_effective")
    )
    found.inspections = list(
        Inspection.objects.filter(unit__path__startswith=path, inspection_date__range=period)
        .order_by("inspection_date", "id")
        .values_list("inspection_date", "company__name")
    )
    found.events = list(
        PromotionEvent.objects.filter(unit__path__startswith=path, event_date__range=period)
        .order_by("event_date", "id")
        .values_list("event_date", "title", "place", "projects_signed")
    )
    minimum = ProjectSettings.objects.filter(owner=owner).values_list("min_count_amount", flat=True).first() or 0
    found.projects = list(
        Project.objects.counted(minimum)
        .filter(project_credit_q(path), owner=owner, signed_on__range=period)
        .order_by("signed_on", "id")
        .values_list("name", "host_unit__name", "total_investment", "signed_on")
    )
    open_statuses = set(OPEN_STATUSES)
    problems = (
        Problem.objects.filter(raised_on__range=period)
        .filter(Q(raised_unit__path__startswith=path) | (Q(owner=owner) & project_credit_q(path, "project__")))
        .order_by("raised_on", "id")
        .values_list("number", "title", "status", "raised_unit__path")
    )
    for number, title, status, raised_path in problems:
        row = (number, title, str(ProblemStatus(status).label), status in open_statuses)
        if raised_path and raised_path.startswith(path):
            found.problems.append(row)
        else:
            found.project_problems.append(row)
    return found


# --- The text ------------------------------------------------------------------------------------------------


def _names(names):
    names = list(names)
    if not names:
        return ""
    if len(names) > MAX_LISTED:
        return _("%(names)s等%(n)d家") % {"names": "、".join(names[:MAX_LISTED]), "n": len(names)}
    return "、".join(names)


def _problem_lines(rows):
    return [f"{i}. 【{number}】{title}（{status}）" for i, (number, title, status, _open) in enumerate(rows, 1)]


def _md(day):
    return _("%(m)d月%(d)d日") % {"m": day.month, "d": day.day}


def title_for(unit, kind, start, end):
    if kind == ReportKind.WEEKLY:
        return _("%(unit)s%(period)s工作专报") % {"unit": unit.name, "period": period_label(kind, start, end)}
    return _("%(unit)s%(period)s工作总结") % {"unit": unit.name, "period": period_label(kind, start, end)}


def body_for(unit, kind, start, end, records):
    """The draft's text: numbered sections as the teams write them by hand today; the plans are left to fill."""
    weekly = kind == ReportKind.WEEKLY
    this = _("本周") if weekly else _("本月")
    f = records.figures()
    lines = []

    lines.append(_("一、%(this)s工作开展情况") % {"this": this})
    lines.append(
        _(
            "%(this)s（%(start)s至%(end)s），%(unit)s共开展走访%(visits)d次，走访企业（含高校、商协会）%(companies)d家，"
            "其中走访高校%(univ)d次；邀请%(insp)d家次企业来运考察；举办推介会%(events)d场。"
        )
        % {
            "this": this,
            "start": _("%(y)d年%(m)d月%(d)d日") % {"y": start.year, "m": start.month, "d": start.day},
            "end": _md(end),
            "unit": unit.name,
            "visits": f["visits"],
            "companies": f["visited_companies"],
            "univ": f["university_visits"],
            "insp": f["inspections"],
            "events": f["events"],
        }
    )
    if records.visits:
        lines.append(_("走访的企业有：%(names)s。") % {"names": _names(records.companies)})
    for number, (day, title, place, signed) in enumerate(records.events, 1):
        extra = _("，现场签约项目%(n)d个") % {"n": signed} if signed else ""
        lines.append(
            _("推介会%(i)d：%(title)s（%(day)s，%(place)s%(extra)s）。")
            % {"i": number, "title": title, "day": _md(day), "place": place, "extra": extra}
        )
    lines.append("")

    lines.append(_("二、线索收集与对接情况"))
    if records.leads:
        lines.append(
            _("%(this)s收集报送线索%(n)d条，其中实效线索%(e)d条：")
            % {"this": this, "n": f["leads"], "e": f["effective_leads"]}
        )
        for number, (name, investor, amount, effective) in enumerate(records.leads, 1):
            parts = [p for p in (investor, _("拟投资%(a)s亿元") % {"a": yi(amount)} if amount else "") if p]
            detail = f"（{'，'.join(parts)}）" if parts else ""
            mark = _("【实效】") if effective else ""
            lines.append(f"{number}. {name}{detail}{mark}")
    else:
        lines.append(_("%(this)s未报送新的线索。") % {"this": this})
    lines.append("")

    lines.append(_("三、邀请考察与签约情况"))
    if records.inspections:
        lines.append(
            _("%(this)s邀请来运考察的企业：%(names)s。")
            % {"this": this, "names": _names(f"{name}（{_md(day)}）" for day, name in records.inspections)}
        )
    else:
        lines.append(_("%(this)s暂无企业来运考察。") % {"this": this})
    if records.projects:
        lines.append(
            _("%(this)s签约项目%(n)d个，总投资%(amount)s亿元：")
            % {"this": this, "n": f["signed_projects"], "amount": yi(f["signed_investment"])}
        )
        for number, (name, host, amount, day) in enumerate(records.projects, 1):
            lines.append(
                _("%(i)d. %(name)s（落地%(host)s，总投资%(amount)s亿元，%(day)s签约）")
                % {"i": number, "name": name, "host": host, "amount": yi(amount), "day": _md(day)}
            )
    else:
        lines.append(_("%(this)s暂无签约项目。") % {"this": this})
    lines.append("")

    lines.append(_("四、存在的问题"))
    if records.problems:
        lines.append(
            _("%(this)s提出问题诉求%(n)d件，尚未办结%(o)d件：")
            % {"this": this, "n": f["problems"], "o": f["open_problems"]}
        )
        lines.extend(_problem_lines(records.problems))
    if records.project_problems:
        lines.append(_("所对接项目上提出的问题诉求%(n)d件：") % {"n": f["project_problems"]})
        lines.extend(_problem_lines(records.project_problems))
    if not records.problems and not records.project_problems:
        lines.append(_("%(this)s未提出新的问题诉求。") % {"this": this})
    lines.append("")

    lines.append(_("五、下周工作打算") if weekly else _("五、下月工作打算"))
    lines.append(PLANS_PLACEHOLDER)
    return "\n".join(lines)


# --- Where each figure's records are listed -------------------------------------------------------------------


def _url(name, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(params, doseq=True)}"


def figure_links(report):
    """{figure: URL of the list holding the records it counts}, each list filtered by the unit and the period.

    The ledgers' links are the targets' (targets.tables.records_url); university visits have no list of their own.
    """
    unit, start, end = report.unit, report.start, report.end
    visits = records_url(unit, Indicator.VISITS, start, end)
    problems = {"raised_unit": unit.pk, "raised_from": start.isoformat(), "raised_to": end.isoformat()}
    leads = {"reported_by": unit.pk, "date_from": start.isoformat(), "date_to": end.isoformat()}
    return {
        "visits": visits,
        "visited_companies": visits,
        "leads": _url("leads:lead_list", **leads),
        "effective_leads": records_url(unit, Indicator.EFFECTIVE_LEADS, start, end),
        "inspections": records_url(unit, Indicator.INSPECTIONS, start, end),
        "events": records_url(unit, Indicator.EVENTS, start, end),
        "signed_projects": records_url(unit, Indicator.SIGNED_PROJECTS, start, end),
        "signed_investment": records_url(unit, Indicator.SIGNED_PROJECTS, start, end),
        "problems": _url("service:problem_list", **problems),
        "open_problems": _url("service:problem_list", status=[str(s) for s in OPEN_STATUSES], **problems),
    }


def figure_rows(report):
    """(label, shown value, link) for each figure the report keeps, in FIGURES' order."""
    links = figure_links(report)
    rows = []
    for key, label in FIGURES:
        if key not in report.figures:
            continue
        value = report.figures[key]
        shown = yi(value) if key == "signed_investment" else value
        rows.append((key, label, shown, links.get(key)))
    return rows
