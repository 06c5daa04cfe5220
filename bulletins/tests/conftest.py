"""Records built by hand for the bulletin tests, each through its own app's service as a user would.

May 2023 in 运城 (the persona tree): 北京招商组 visits companies and a university, reports leads (two effective,
one not), invites a company, holds an event, and its lead becomes a project signed and started in May; a county
project is signed too; 上海招商组 visits one company. 北京 has the routine monthly targets, 上海 none; the city
has the year's "1521" goal; a teams' scheme ranks them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services as assessment_services
from enterprises import services as company_services
from leads import services as lead_services
from outreach import services as outreach_services
from projects import services as project_services
from targets import services as target_services
from targets.choices import Template

D = datetime.date
MAY = (D(2023, 5, 1), D(2023, 5, 31))
YEAR_2023 = (D(2023, 1, 1), D(2023, 12, 31))
AFTER_MAY = D(2023, 6, 5)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class May:
    """What the test built, counted as it was built: the figures the bulletin must print."""

    team_visits: int = 0
    team_universities: int = 0
    other_team_visits: int = 0
    april_visits: int = 0
    effective_leads: int = 0
    inspections: int = 0
    events: int = 0
    signed: list = field(default_factory=list)  # (project, 万元)
    started: list = field(default_factory=list)


def visit(member, day, name, company=None):
    if company is not None:
        return outreach_services.create_visit(actor=member, visit_date=day, content="校企合作", company=company)
    return outreach_services.create_visit(actor=member, visit_date=day, content="对接投资意向", company_name=name)


def effective_lead(org, name, amount="10亿"):
    return lead_services.create_lead(
        actor=org["team_member"],
        name=name,
        collected_date=D(2023, 5, 8),
        investor_name=f"{name}投资有限公司",
        content="建设年产 20GWh 动力电池生产基地",
        estimated_amount=amount,
        contact_reached=True,
    )


def move(org, project, to, on, evidence):
    change = project_services.advance_stage(
        actor=org["county"],
        project=project,
        to=to,
        happened_on=on,
        evidence_kind=evidence,
        files=[SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
    )
    project_services.verify_stage(actor=org.verifier, change=change, confirm=True)
    project.refresh_from_db()
    return project


def build_may(org):
    """Build May 2023's records, targets and scheme; return what was built."""
    may = May()
    for day in (3, 10, 17):
        visit(org["team_member"], D(2023, 5, day), f"北京对接企业{day}有限公司")
        may.team_visits += 1
    tsinghua = company_services.create_company(actor=org["office"], owner=org.city, name="清华大学", kind="university")
    visit(org["team_member"], D(2023, 5, 20), "", company=tsinghua)
    may.team_visits += 1
    may.team_universities += 1
    visit(org.other_team_member, D(2023, 5, 5), "上海对接企业有限公司")
    may.other_team_visits += 1
    visit(org["team_member"], D(2023, 4, 20), "四月对接企业有限公司")
    may.april_visits += 1

    battery = effective_lead(org, "动力电池项目")
    effective_lead(org, "储能项目", amount="3亿")
    may.effective_leads += 2
    lead_services.create_lead(actor=org["team_member"], name="意向不明", collected_date=D(2023, 5, 9), content="")

    outreach_services.create_inspection(
        actor=org["team_member"], inspection_date=D(2023, 5, 12), company_name="考察企业有限公司", result="有意向"
    )
    may.inspections += 1
    outreach_services.create_event(actor=org["team_member"], title="北京推介会", event_date=D(2023, 5, 4), place="北京")
    may.events += 1

    lead_services.assess_lead(actor=org["office"], lead=battery, grade="A", receiving_unit=org.county, opinion="推送")
    lead_services.accept_lead(actor=org["county"], lead=battery)
    project = project_services.create_project_from_lead(actor=org["county"], lead=battery)
    move(org, project, "signed", D(2023, 5, 12), "contract")
    move(org, project, "started", D(2023, 5, 20), "permit")
    may.signed.append((project, project.total_investment))
    may.started.append(project)
    county_project = project_services.create_project(
        actor=org["office"],
        host_unit=org.county,
        name="盐湖区光伏组件项目",
        total_investment=Decimal("20000"),
        stage="negotiating",
        investor_names=["山西光伏有限公司"],
    )
    move(org, county_project, "signed", D(2023, 5, 15), "contract")
    may.signed.append((county_project, county_project.total_investment))

    target_services.apply_template(
        actor=org["office"],
        owner=org.city,
        template=Template.ROUTINE_MONTHLY,
        start=MAY[0],
        end=MAY[1],
        units=[org.team],
    )
    target_services.apply_template(
        actor=org["office"], owner=org.city, template=Template.CITY_1521, start=YEAR_2023[0], end=YEAR_2023[1]
    )
    may.scheme = assessment_services.create_scheme(
        actor=org["office"],
        owner=org.city,
        name="2023年驻点招商组月度考核",
        subjects="teams",
        start=YEAR_2023[0],
        end=YEAR_2023[1],
        items=[
            {"indicator": "visits", "weight": 60, "rule": "share", "cap": 100},
            {"indicator": "signed_projects", "weight": 40, "rule": "share", "cap": 100},
        ],
    )
    return may


@pytest.fixture
def may(org):
    return build_may(org)
