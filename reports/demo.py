"""Demo team reports for 运城 in autumn 2022 (the 百日大会战), drafted through reports.services from the demo ledgers.

Each of the seven teams' leaders drafts a weekly report (一周一专报) for each week from 5 September to 30 October
2022, fills in the next week's plans and submits it; the office (黄锋斌) reads most of them with a comment. So the
demo shows every state a report meets:

- most weeks submitted on time and read (已阅), the last week's submitted and not yet read (已提交);
- two drafts not yet submitted for the last week (草稿), one report returned for changes (退回修改 → 草稿);
- a few weeks never reported (未报: the 国庆 week of one team, the last week of another) and one sent two days
  after its due day (逾期提交), all on the office's 未报清单;
- each team's September summary (一月一总结), submitted and read.

The story is told in 2022, so the times of submission and reading are set to the days they would have been then
(the services stamp the moment they run). Idempotent: a period already reported is left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit

from . import services
from .choices import PLANS_PLACEHOLDER, ReportKind, ReportStatus
from .models import TeamReport, TeamReportEvent
from .periods import due_on, period_of

FIRST_WEEK = datetime.date(2022, 9, 5)
LAST_WEEK = datetime.date(2022, 10, 24)
NATIONAL_DAY_WEEK = datetime.date(2022, 10, 3)
MONTHS = [datetime.date(2022, 9, 1)]

PLANS = (
    "1. 继续在{place}及周边走访重点产业链企业，逐家建立对接台账；\n"
    "2. 跟进本周收集的实效线索，力争邀请1至2家企业来运考察；\n"
    "3. 对照百日大会战目标查缺补漏，确保走访、线索、考察、签约各项任务按时间进度完成。"
)
COMMENTS = [
    "已阅。请对照百日大会战目标，加大走访力度。",
    "已阅，实效线索要及时报送研判，做好跟踪服务。",
    "已阅。签约项目请与落地县区做好衔接，推动尽快开工。",
    "",
]
RETURN_REASON = "未写明实效线索的对接进展和下步安排，请补充后重新报送。"


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _leader(team):
    membership = (
        Membership.objects.filter(unit=team, role=Role.TEAM_LEADER, active=True, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _plans(team):
    return PLANS.format(place=team.base_city or team.name)


def _backdate(report, **stamps):
    """Put the demo's steps on the days they happened in 2022 (the services stamp the moment they run)."""
    TeamReport.objects.filter(pk=report.pk).update(**stamps)


def _write(team, kind, start, *, leader, office, fate, index):
    """Draft one report and take it as far as `fate` says: "draft", "returned", "submitted", "late" or "read"."""
    report = services.draft_report(actor=leader, unit=team, kind=kind, start=start)
    created = _at(period_of(kind, start)[1], 17)
    TeamReport.objects.filter(pk=report.pk).update(created_at=created)
    TeamReportEvent.objects.filter(report=report).update(at=created)
    if fate == "draft":
        return report
    body = report.body.replace(PLANS_PLACEHOLDER, _plans(team))
    report = services.update_report(actor=leader, report=report, body=body)
    services.submit_report(actor=leader, report=report)
    due = due_on(kind, report.end)
    sent = _at(due + datetime.timedelta(days=2), 10) if fate == "late" else _at(due - datetime.timedelta(days=1), 18)
    _backdate(report, submitted_at=sent, first_submitted_at=sent)
    TeamReportEvent.objects.filter(report=report, to_status=ReportStatus.SUBMITTED).update(at=sent)
    if fate == "returned":
        services.return_report(actor=office, report=report, reason=RETURN_REASON)
        back = sent + datetime.timedelta(hours=20)
        _backdate(report, returned_at=back)
        TeamReportEvent.objects.filter(report=report, to_status=ReportStatus.DRAFT, from_status="submitted").update(
            at=back
        )
    elif fate in ("read", "late"):
        services.mark_read(actor=office, report=report, comment=COMMENTS[index % len(COMMENTS)])
        read = sent + datetime.timedelta(days=1)
        _backdate(report, read_at=read)
        TeamReportEvent.objects.filter(report=report, to_status=ReportStatus.READ).update(at=read)
    return report


def _weekly_fate(team_index, start):
    """What became of one team's report for one week: the demo's mix of states."""
    if start == LAST_WEEK:
        return {0: "draft", 1: "draft", 2: None}.get(team_index, "submitted")
    if start == NATIONAL_DAY_WEEK and team_index == 3:
        return None  # never reported
    if start == LAST_WEEK - datetime.timedelta(weeks=1) and team_index == 4:
        return "returned"
    if start == FIRST_WEEK + datetime.timedelta(weeks=2) and team_index == 5:
        return "late"
    return "read"


@transaction.atomic
def load_reports_demo(*, city, office):
    """Write 运城's demo reports once; return counts of the city's reports by status afterwards."""
    teams = list(
        Unit.objects.filter(path__startswith=city.path, kind=UnitKind.TEAM, active=True).order_by("sort_order", "id")
    )
    done = set(
        TeamReport.objects.filter(unit__in=teams).values_list("unit_id", "kind", "start"),
    )
    weeks = []
    day = FIRST_WEEK
    while day <= LAST_WEEK:
        weeks.append(day)
        day += datetime.timedelta(weeks=1)
    for i, team in enumerate(teams):
        leader = _leader(team)
        if leader is None:
            continue
        for j, start in enumerate(weeks):
            fate = _weekly_fate(i, start)
            if fate is None or (team.pk, ReportKind.WEEKLY, start) in done:
                continue
            _write(team, ReportKind.WEEKLY, start, leader=leader, office=office, fate=fate, index=i + j)
        for start in MONTHS:
            if (team.pk, ReportKind.MONTHLY, start) not in done:
                _write(team, ReportKind.MONTHLY, start, leader=leader, office=office, fate="read", index=i)
    return counts(city)


def counts(city):
    reports = TeamReport.objects.filter(owner=city)
    out = {str(label): reports.filter(status=value).count() for value, label in ReportStatus.choices}
    out["报告"] = reports.count()
    return out
