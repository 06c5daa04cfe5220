"""The records the query-budget tests (test_query_budgets.py) read, grown in steps.

`World(org)` picks one record of each kind as the subject of its detail page; `grow(world, tag, n)` adds `n`
more records of every kind that a list, a detail page, a dashboard or an API list shows — new rows for the
lists, and new children (visits, contacts, stage changes, assignments, decisions, items…) under each subject,
new teams for the per-team tables. Grown once with 2 and again with 6 more, every page is asked at both sizes.

Everything goes straight into the database (the pages only read; the services are tested on their own),
through the apps' own builders where they exist (dashboards/tests/builders.py, chains/tests/factories.py).
"""

import datetime
import itertools
from decimal import Decimal

from dashboards.tests import builders as dash

D = datetime.date
IN = dash.IN
_serial = itertools.count(1)
TARGET_INDICATORS = ("signed_projects", "visits")


def _n():
    return next(_serial)


class World:
    """The persona tree and one subject per detail page, filled by `grow`."""

    def __init__(self, org):
        self.org = org
        self.subjects = {}
        self.grown = 0

    def __getitem__(self, name):
        return self.subjects[name]


def _person(unit, role, label):
    from core.testing import make_person

    i = _n()
    return make_person(f"budget{i}", unit, role, f"{label}{i}")


def _subjects(w):
    """One record of each kind whose detail page is measured; created once, before the first growth."""
    from assessment.models import Scheme, SchemeItem
    from bulletins.models import Bulletin
    from chains.tests import factories as chains
    from core.audit import record
    from core.models import ImportJob
    from enterprises.models import Contact
    from organizations.choices import Role
    from outreach.models import OutboundTrip, PromotionEvent, Stationing
    from projects.models import Round
    from reminders.models import Channel, Notification
    from reports.models import TeamReport
    from service.models import Meeting
    from targets.models import Target

    org = w.org
    office = org["office"]
    s = w.subjects
    s["cluster"] = chains.cluster(org.city, "预算测试集群")
    s["chain"] = chains.chain(s["cluster"], "预算测试产业链")
    s["segment"] = chains.segment(s["chain"], "预算测试环节")
    s["company"] = dash.company(org, "预算测试主体企业有限公司", "浙江省")
    s["contact"] = Contact.objects.create(company=s["company"], name="主体联系人")
    s["visit"] = dash.visit(org.team, IN, s["company"], s["chain"])
    s["inspection"] = dash.inspection(org.team, IN, s["company"], hosts=[org.county])
    s["event"] = PromotionEvent.objects.create(unit=org.team, title="预算测试推介会", event_date=IN, place="北京")
    s["trip"] = OutboundTrip.objects.create(unit=org.team, start_date=IN, end_date=IN, destinations="深圳")
    s["stationing"] = Stationing.objects.create(
        unit=org.team, person=org["team_member"], start_date=IN, end_date=IN, place="北京"
    )
    pools = dash.pools(org.city)
    s["lead"] = dash.lead(org.city, org.team, IN, s["company"], pool=pools["collected"], chain=s["chain"])
    s["project"] = dash.project(org.city, org.county, investors=[s["company"]], chain=s["chain"], lead=s["lead"])
    s["round"] = Round.objects.create(owner=org.city, host_unit=org.county, name="预算测试“三个一批”", held_on=IN)
    s["problem"] = dash.problem(org, status="assigned", raised_unit=org.county, project=s["project"])
    s["meeting"] = Meeting.objects.create(
        owner=org.city, host_unit=org.city, kind="breakfast", title="预算测试早餐会", held_on=IN
    )
    s["report"] = TeamReport.objects.create(
        owner=org.city,
        unit=org.team,
        kind="weekly",
        start=D(2024, 5, 6),
        end=D(2024, 5, 12),
        title="预算测试周报",
        body="本周走访",
        status="submitted",
        submitted_by=org["team_leader"],
    )
    s["scheme"] = Scheme.objects.create(
        owner=org.city, name="预算测试考核", subjects="teams", start=D(2024, 1, 1), end=D(2024, 12, 31)
    )
    SchemeItem.objects.create(scheme=s["scheme"], indicator="visits", weight=60)
    SchemeItem.objects.create(scheme=s["scheme"], indicator="signed_projects", weight=40)
    s["county_scheme"] = Scheme.objects.create(
        owner=org.city, name="预算测试县区考核", subjects="counties", start=D(2024, 1, 1), end=D(2024, 12, 31)
    )
    SchemeItem.objects.create(scheme=s["county_scheme"], indicator="signed_investment", weight=100)
    s["bulletin"] = Bulletin.objects.create(
        owner=org.city, year=2024, month=5, title="预算测试简报", issued_on=IN, status="done", figures={}
    )
    s["notification"] = Notification.objects.create(
        user=office, kind="lead_overdue", title="预算测试提醒", key=f"budget-{_n()}", day=IN
    )
    s["channel"] = Channel.objects.create(owner=org.city, name="预算测试渠道", kind="email")
    # One target for each indicator the grown ones use: progress costs one aggregate query per indicator.
    for indicator in TARGET_INDICATORS:
        target = Target.objects.create(owner=org.city, indicator=indicator, unit=org.team, start=IN, end=IN, value=9)
        s.setdefault("target", target)
    s["person"] = _person(org.team, Role.TEAM_MEMBER, "预算组员")
    # Subjects the first growth makes among its records.
    s["negative"] = None
    s["audit"] = record(action="create", actor=office, obj=s["company"])
    s["import_job"] = ImportJob.objects.create(
        ledger="visits",
        org=org.city,
        created_by=office,
        file="imports/budget.xlsx",
        original_name="预算测试走访台账.xlsx",
        status="previewed",
        summary={"headers": ["企业名称", "走访日期"], "preview": [], "rows": 0},
        problems=[],
    )
    s["conflict"] = None
    s["stage_change"] = None
    s["lock"] = None


def grow(w, tag, n):
    """Add `n` records of every kind, and `n` children under every subject."""
    from assessment.models import LockedScore, PeriodLock, Scheme
    from bulletins.models import Bulletin
    from chains.models import ChainLeader, ChainPromotion, ChainSegment, PolicyDocument
    from chains.tests import factories as chains
    from core.audit import record
    from core.models import WorkdayOverride
    from core.testing import make_unit
    from enterprises.models import Contact
    from leads.models import FollowUp, LeadConflict, LeadEvent, LeadShare, NegativeListEntry
    from organizations.choices import Role, UnitKind
    from organizations.models import Membership
    from outreach.models import OutboundTrip, PromotionEvent, Stationing
    from projects.models import (
        Amendment,
        MonthlyProgress,
        ProjectTeamMember,
        RoundEntry,
        StageChange,
    )
    from reminders.models import Channel, Notification
    from reports.models import TeamReport, TeamReportEvent
    from service.models import Decision, Meeting, ProblemAssignment, ProblemEvent
    from targets.models import Target

    if not w.subjects:
        _subjects(w)
    org = w.org
    s = w.subjects
    office = org["office"]
    step = w.grown
    w.grown += 1

    # Rows of every main list and every dashboard figure: chains, companies, visits, inspections, leads,
    # projects, a round and problems across the tree, and one more team (the per-team tables and rankings).
    made = dash.build_world(org, n, extra_teams=1, tag=tag)
    make_unit(f"YC-XQ{tag}", f"预算测试县{tag}", UnitKind.COUNTY, org.city)  # one more row of the counties' tables
    promotion, _ = ChainPromotion.objects.get_or_create(chain=s["chain"])
    teams = [org.team, org.other_team]
    pools = dash.pools(org.city)
    departments = [make_unit(f"YC-BM{tag}{i}", f"预算测试局{tag}{i}", UnitKind.DEPARTMENT, org.city) for i in range(n)]
    members = [_person(org.team, Role.TEAM_MEMBER, "预算组员") for _ in range(n)]

    for i in range(n):
        k = _n()
        team = teams[i % 2]
        firm = dash.company(org, f"预算增长企业{tag}{i}有限公司", dash.PROVINCES[i % len(dash.PROVINCES)])
        # The subject company: contacts, visits, leads and projects naming it.
        Contact.objects.create(company=s["company"], name=f"联系人{tag}{i}", phone=f"1390000{k:04d}")
        dash.visit(team, IN, s["company"], s["chain"])
        dash.lead(org.city, team, IN, s["company"], pool=pools["negotiating"])
        s["company"].segments.add(
            ChainSegment.objects.create(chain=s["chain"], name=f"环节{tag}{i}", position="downstream")
        )
        # The subject chain: leaders, companies in its segments; the subject segment: its companies.
        ChainLeader.objects.create(chain=s["chain"], company=firm, kind="chain_core")
        firm.segments.add(s["segment"])
        chains.cluster(org.city, f"预算集群{tag}{i}")
        PolicyDocument.objects.create(promotion=promotion, title=f"支持政策{tag}{i}", issued_on=IN)
        # Outreach: one more of each kind; the subjects get visitors, hosts, companies and members.
        PromotionEvent.objects.create(unit=team, title=f"推介会{tag}{i}", event_date=IN, place="上海").companies.add(
            firm
        )
        OutboundTrip.objects.create(unit=team, start_date=IN, end_date=IN, destinations="苏州").members.add(members[i])
        Stationing.objects.create(unit=team, person=members[i], start_date=IN, end_date=IN, place="杭州")
        s["visit"].visitors.add(members[i])
        s["inspection"].host_units.add(departments[i])
        s["event"].companies.add(firm)
        s["trip"].members.add(members[i])
        s["trip"].companies.add(firm)
        # The subject lead: shares, events, follow-ups, reporters, conflicts.
        LeadShare.objects.create(lead=s["lead"], unit=departments[i], shared_by=office)
        LeadEvent.objects.create(lead=s["lead"], kind="edited", actor=office, unit=org.city, note=f"修改{k}")
        FollowUp.objects.create(lead=s["lead"], unit=org.team, author=office, follow_date=IN, note=f"跟进{k}")
        s["lead"].reporters.add(members[i])
        other = made["leads"][i]
        conflict = LeadConflict.objects.create(lead=other, other_lead=s["lead"], company=firm)
        s["conflict"] = s["conflict"] or conflict
        entry = NegativeListEntry.objects.create(unit=org.county, industry=f"高耗能{tag}{i}", chain=s["chain"])
        s["negative"] = s["negative"] or entry
        # The subject project: investors, team, duties, stage changes, amendments, progress, round entries.
        project = s["project"]
        project.investors.add(firm)
        ProjectTeamMember.objects.create(project=project, user=members[i])
        change = StageChange.objects.create(
            project=project,
            from_stage="negotiating",
            to_stage="signed",
            happened_on=IN,
            actor=office,
            verification="pending",
        )
        s["stage_change"] = s["stage_change"] or change
        Amendment.objects.create(
            project=project, kind="capital_increase", happened_on=IN, amount=Decimal(k), actor=office
        )
        MonthlyProgress.objects.create(
            project=project,
            month=D(2000 + k % 90, 1 + k % 12, 1),
            completed_investment=Decimal(k),
            progress=f"进度{k}",
            due_on=IN,
            reported_by=office,
        )
        for p in made["projects"][i : i + 1]:
            RoundEntry.objects.create(round=s["round"], project=p, batch="signed", investment=Decimal("100"))
            p.in_library = True
            p.save(update_fields=["in_library"])
            StageChange.objects.create(
                project=p, from_stage="signed", to_stage="started", happened_on=IN, actor=office, verification="pending"
            )
        # Service: the subject problem's assignments and events; a meeting's decisions, companies, projects.
        ProblemAssignment.objects.create(problem=s["problem"], department=departments[i], is_lead=i == 0 and step == 0)
        ProblemEvent.objects.create(problem=s["problem"], kind="assigned", actor=office, unit=departments[i])
        Decision.objects.create(meeting=s["meeting"], text=f"决定{k}", owner_unit=departments[i], due_on=IN)
        s["meeting"].companies.add(firm)
        s["meeting"].projects.add(made["projects"][i])
        Meeting.objects.create(owner=org.city, host_unit=org.city, kind="tea", title=f"下午茶{tag}{i}", held_on=IN)
        # Targets, reports, reminders, bulletins, workdays, audit.
        # Progress is one aggregate query per indicator on a page (targets.selectors.reached), whatever the
        # periods: the targets grown here each have a period of their own, among the subjects' indicators.
        Target.objects.create(
            owner=org.city,
            indicator=TARGET_INDICATORS[i % 2],
            unit=[*teams, *departments][i % (2 + n)],
            start=D(2024, 1 + k % 12, 1),
            end=D(2024, 12, 31),
            value=k,
        )
        # A lead sent to the county persona's county (its incoming list), a problem for the department persona.
        dash.lead(org.city, team, IN, firm, pool=pools["collected"], receiving=org.county, status="dispatched")
        assigned = dash.problem(org, status="assigned", raised_unit=org.county)
        ProblemAssignment.objects.create(problem=assigned, department=org.department, is_lead=True)
        report = TeamReport.objects.create(
            owner=org.city,
            unit=team,
            kind="monthly",
            start=D(2000 + k % 90, 1 + k % 12, 1),
            end=D(2000 + k % 90, 1 + k % 12, 28),
            title=f"月报{k}",
            body="本月工作",
            status="submitted",
        )
        TeamReportEvent.objects.create(report=report, to_status="submitted", actor=org["team_leader"])
        TeamReportEvent.objects.create(report=s["report"], to_status="submitted", actor=org["team_leader"])
        Notification.objects.create(user=office, kind="problem_overdue", title=f"提醒{k}", key=f"b{k}", day=IN)
        Channel.objects.create(owner=org.city, name=f"渠道{k}", kind="wecom", webhook_url="https://example.invalid/")
        Bulletin.objects.create(
            owner=org.city, year=2024, month=5, version=k + 1, title=f"简报{k}", issued_on=IN, status="done"
        )
        WorkdayOverride.objects.create(date=D(2030, 1, 1) + datetime.timedelta(days=k), is_workday=True, note="调休")
        record(action="update", actor=office, obj=firm)
        Membership.objects.create(user=s["person"], unit=departments[i], role=Role.DEPARTMENT_STAFF)
        # Schemes, each with a locked period (the lists); the subject's results grow with the extra team.
        scheme = Scheme.objects.create(owner=org.city, name=f"考核{k}", subjects="teams", start=IN, end=IN)
        PeriodLock.objects.create(scheme=scheme, start=IN, end=IN, locked_by=office)
    # A locked period of the subject scheme with a score per team (the lock's detail and the locks list).
    lock = PeriodLock.objects.create(
        scheme=s["scheme"], start=D(2024, 1, 1 + step), end=D(2024, 12, 31), locked_by=office
    )
    for rank, team in enumerate(_teams(org), 1):
        LockedScore.objects.create(lock=lock, unit=team, total=Decimal(100 - rank), rank=rank)
    s["lock"] = s["lock"] or lock
    return made


def _teams(org):
    from organizations.models import Unit

    return list(Unit.objects.filter(parent=org.city, kind="team"))
