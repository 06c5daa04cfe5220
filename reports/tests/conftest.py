"""Records built by hand through the apps' own services, for the reports' tests to count.

`week` builds one week (Monday 8 May – Sunday 14 May 2023) of 北京招商组's work, and work that must not count
(another team's, the week after, a lead that is not effective), and returns what each figure should be,
worked out from what was built.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing import make_person, make_unit
from enterprises import services as company_services
from leads import services as lead_services
from organizations.choices import Role, UnitKind
from outreach import services as outreach_services
from projects import services as project_services
from reports import services
from reports.choices import PLANS_PLACEHOLDER, ReportKind
from service import services as service_services

D = datetime.date
MONDAY, SUNDAY = D(2023, 5, 8), D(2023, 5, 14)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLANS = "1. 继续对接宁德时代等重点企业；\n2. 邀请两家企业来运考察。"
TITLES = ("北京组草稿专报", "北京组已报专报", "上海组已报专报", "小分队已报专报", "临汾组已报专报")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Week:
    """What was built, and so what each figure of 北京招商组's report for the week must be."""

    companies: list = field(default_factory=list)
    universities: int = 0
    visits: int = 0
    leads: list = field(default_factory=list)
    effective: list = field(default_factory=list)
    inspections: int = 0
    events: int = 0
    projects: list = field(default_factory=list)
    investment: Decimal = Decimal(0)
    problems: list = field(default_factory=list)
    open_problems: int = 0
    project_problems: list = field(default_factory=list)
    not_counted: list = field(default_factory=list)  # names that must not appear in the report


def visit(org, actor, day, company_name=None, company=None, content="对接"):
    return outreach_services.create_visit(
        actor=actor, visit_date=day, content=content, company_name=company_name or "", company=company
    )


def lead(org, actor, name, day, effective=True):
    if effective:
        return lead_services.create_lead(
            actor=actor,
            name=name,
            collected_date=day,
            investor_name=f"{name}投资有限公司",
            content="建设年产 20GWh 动力电池生产基地",
            estimated_amount="5亿",
            contact_reached=True,
        )
    return lead_services.create_lead(actor=actor, name=name, collected_date=day, content="")


def signed_project(org, name, day):
    """A lead of the team, pushed to 盐湖区, turned into a project there and signed on `day` (confirmed)."""
    source = lead_services.create_lead(
        actor=org["team_member"],
        name=name,
        collected_date=D(2023, 3, 1),
        investor_name=f"{name}集团有限公司",
        content="建设年产 20GWh 动力电池生产基地",
        estimated_amount="10亿",
        contact_reached=True,
    )
    lead_services.assess_lead(actor=org["office"], lead=source, grade="A", receiving_unit=org.county, opinion="推送")
    lead_services.accept_lead(actor=org["county"], lead=source)
    project = project_services.create_project_from_lead(actor=org["county"], lead=source)
    change = project_services.advance_stage(
        actor=org["county"],
        project=project,
        to="signed",
        happened_on=day,
        evidence_kind="contract",
        files=[SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")],
    )
    project_services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    return project


def build_week(org):
    """北京招商组's week of 8–14 May 2023, built through the services; and what does not belong to it."""
    w = Week()
    member = org["team_member"]
    tsinghua = company_services.create_company(actor=org["office"], owner=org.city, name="清华大学", kind="university")
    visit(org, member, D(2023, 5, 8), "宁德时代新能源科技股份有限公司")
    visit(org, member, D(2023, 5, 10), "比亚迪股份有限公司")
    visit(org, member, D(2023, 5, 12), company=tsinghua, content="校企合作")
    visit(org, member, D(2023, 5, 14), "宁德时代新能源科技股份有限公司", content="回访")
    w.companies = ["宁德时代新能源科技股份有限公司", "比亚迪股份有限公司", "清华大学"]
    w.visits, w.universities = 4, 1
    # Not this week's, and not this team's.
    visit(org, member, D(2023, 5, 15), "下周走访有限公司")
    visit(org, org.other_team_member, D(2023, 5, 9), "上海组走访有限公司")
    w.not_counted += ["下周走访有限公司", "上海组走访有限公司"]

    lead(org, member, "动力电池项目", D(2023, 5, 9))
    lead(org, member, "储能项目", D(2023, 5, 11))
    lead(org, member, "意向不明", D(2023, 5, 12), effective=False)
    lead(org, org.other_team_member, "上海组线索", D(2023, 5, 10))
    w.leads = ["动力电池项目", "储能项目", "意向不明"]
    w.effective = ["动力电池项目", "储能项目"]
    w.not_counted.append("上海组线索")

    outreach_services.create_inspection(
        actor=member, inspection_date=D(2023, 5, 11), company_name="比亚迪股份有限公司", host_units=[org.county]
    )
    outreach_services.create_inspection(
        actor=org.other_team_member, inspection_date=D(2023, 5, 11), company_name="上海考察有限公司"
    )
    w.inspections = 1
    outreach_services.create_event(
        actor=member, title="运城（北京）新材料产业推介会", event_date=D(2023, 5, 12), place="北京"
    )
    w.events = 1

    project = signed_project(org, "宁德时代运城电池基地", D(2023, 5, 12))
    w.projects, w.investment = [project.name], project.total_investment

    category = service_services.categories_for(org.city)[0]
    mine = service_services.raise_problem(
        actor=member,
        title="驻点办公场所网络不稳定",
        description="影响视频对接",
        category=category,
        company_name="宁德时代新能源科技股份有限公司",
        raised_on=D(2023, 5, 10),
    )
    w.problems, w.open_problems = [mine.number], 1
    theirs = service_services.raise_problem(
        actor=org["county"],
        title="电池基地用地指标待落实",
        description="需自然资源局协调",
        category=category,
        project=project,
        raised_on=D(2023, 5, 13),
    )
    w.project_problems = [theirs.number]
    return w


def draft(org, persona="team_member", unit=None, kind=ReportKind.WEEKLY, start=MONDAY):
    actor = org[persona] if isinstance(persona, str) else persona
    return services.draft_report(actor=actor, unit=unit or org.team, kind=kind, start=start)


def ready(org, report, persona="team_member"):
    """Fill in the plans, as the team does before submitting."""
    return services.update_report(actor=org[persona], report=report, body=report.body.replace(PLANS_PLACEHOLDER, PLANS))


def submitted(org, **kwargs):
    report = ready(org, draft(org, **kwargs))
    return services.submit_report(actor=org["team_member"], report=report)


def titled(actor, unit, title, start=MONDAY, submit=True):
    report = services.draft_report(actor=actor, unit=unit, kind=ReportKind.WEEKLY, start=start)
    report = services.update_report(
        actor=actor, report=report, title=title, body=report.body.replace(PLANS_PLACEHOLDER, PLANS) if submit else None
    )
    return services.submit_report(actor=actor, report=report) if submit else report


@pytest.fixture
def world(org):
    squad_member = make_person("squad_member", org.squad, Role.TEAM_MEMBER, "小分队小孙")
    lf_team = make_unit("LF-T-BJ", "临汾北京招商组", UnitKind.TEAM, org.other_city)
    lf_member = make_person("lf_member", lf_team, Role.TEAM_MEMBER, "临汾组小周")
    org.reports = {
        "draft": titled(org["team_member"], org.team, "北京组草稿专报", submit=False),
        "sent": titled(org["team_member"], org.team, "北京组已报专报", start=MONDAY - datetime.timedelta(days=7)),
        "other": titled(org.other_team_member, org.other_team, "上海组已报专报"),
        "squad": titled(squad_member, org.squad, "小分队已报专报"),
        "elsewhere": titled(lf_member, lf_team, "临汾组已报专报"),
    }
    return org
