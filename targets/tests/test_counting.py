"""Every indicator counted from records built by hand through the services, against a target's figures.

The teams' routine month (seed 000): 20 visits including 2 universities, 10 effective leads, 5
invitations, 2 signed, 1 event; a person's days stationed and trips; "时间过半、任务过半".
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises import services as company_services
from leads import services as lead_services
from outreach import services as outreach_services
from projects import services as project_services
from targets import selectors, services
from targets.choices import Indicator, Template
from targets.models import Target

pytestmark = pytest.mark.django_db

D = datetime.date
MAY = (D(2023, 5, 1), D(2023, 5, 31))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def target(org, indicator, value=10, *, unit=None, person=None, period=MAY):
    return services.create_target(
        actor=org["office"],
        owner=org.city,
        indicator=indicator,
        start=period[0],
        end=period[1],
        value=value,
        unit=unit if person is None else None,
        person=person,
    )


def reached(t):
    return selectors.reached([t])[t.pk]


def test_visits_and_the_university_share_count_by_unit_and_date(org):
    tsinghua = company_services.create_company(actor=org["office"], owner=org.city, name="清华大学", kind="university")
    for day in (3, 10, 17):
        outreach_services.create_visit(
            actor=org["team_member"], visit_date=D(2023, 5, day), content="对接", company_name=f"企业{day}有限公司"
        )
    outreach_services.create_visit(
        actor=org["team_member"], visit_date=D(2023, 5, 20), content="校企合作", company=tsinghua
    )
    outreach_services.create_visit(
        actor=org["team_member"], visit_date=D(2023, 6, 1), content="六月", company_name="六月有限公司"
    )
    outreach_services.create_visit(
        actor=org.other_team_member, visit_date=D(2023, 5, 5), content="他组", company_name="他组有限公司"
    )
    visits = target(org, Indicator.VISITS, 20, unit=org.team)
    universities = target(org, Indicator.UNIVERSITY_VISITS, 2, unit=org.team)
    city = target(org, Indicator.VISITS, 1000, unit=org.city)
    assert (reached(visits), reached(universities), reached(city)) == (4, 1, 5)


def test_only_effective_leads_count_and_a_duplicate_never(org):
    def lead(name, **kw):
        return lead_services.create_lead(
            actor=org["team_member"],
            name=name,
            collected_date=D(2023, 5, 8),
            investor_name=f"{name}有限公司",
            content="建设年产 20GWh 动力电池生产基地",
            estimated_amount="5亿",
            contact_reached=True,
            **kw,
        )

    lead("甲项目")
    lead("乙项目")
    lead_services.create_lead(actor=org["team_member"], name="丙意向", collected_date=D(2023, 5, 9), content="")
    t = target(org, Indicator.EFFECTIVE_LEADS, 10, unit=org.team)
    assert reached(t) == 2
    assert listed(org, "leads", t) == 2


def test_signed_projects_count_once_confirmed_for_the_team_whose_lead_it_was_and_the_host(org):
    lead = lead_services.create_lead(
        actor=org["team_member"],
        name="电池项目",
        collected_date=D(2023, 3, 1),
        investor_name="宁德时代新能源科技股份有限公司",
        content="建设年产 20GWh 动力电池生产基地",
        estimated_amount="10亿",
        contact_reached=True,
    )
    lead_services.assess_lead(actor=org["office"], lead=lead, grade="A", receiving_unit=org.county, opinion="推送")
    lead_services.accept_lead(actor=org["county"], lead=lead)
    project = project_services.create_project_from_lead(actor=org["county"], lead=lead)
    team_t = target(org, Indicator.SIGNED_PROJECTS, 2, unit=org.team)
    county_t = target(org, Indicator.SIGNED_PROJECTS, 2, unit=org.county)
    amount_t = target(org, Indicator.SIGNED_INVESTMENT, 50000, unit=org.team)
    change = project_services.advance_stage(
        actor=org["county"],
        project=project,
        to="signed",
        happened_on=D(2023, 5, 12),
        evidence_kind="contract",
        files=[SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")],
    )
    assert reached(team_t) == 0  # pending the verifier
    project_services.verify_stage(actor=org.verifier, change=change, confirm=True)
    assert (reached(team_t), reached(county_t), reached(amount_t)) == (1, 1, Decimal("100000"))
    other = target(org, Indicator.SIGNED_PROJECTS, 2, unit=org.other_team)
    assert reached(other) == 0
    # The list behind each figure holds exactly what it counts: the team's lead, the county's host.
    for t in (team_t, county_t, other):
        assert listed(org, "projects", t) == reached(t)


def listed(org, kind, t):
    """How many records the list behind a target's figure holds (the link the progress pages give)."""
    from urllib.parse import parse_qs, urlsplit

    from django.test import RequestFactory

    from leads.filtersets import LeadFilterSet
    from leads.models import Lead
    from projects.filtersets import ProjectFilterSet
    from projects.models import Project
    from targets.tables import records_url

    url = records_url(t.unit, t.indicator, t.start, t.end)
    params = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    request = RequestFactory().get(url)
    request.user = org["office"]
    filterset, model = {"projects": (ProjectFilterSet, Project), "leads": (LeadFilterSet, Lead)}[kind]
    return filterset(params, queryset=model.objects.visible_to(org["office"]), request=request).qs.count()


def test_a_persons_days_stationed_are_the_part_inside_the_period(org):
    outreach_services.create_stationing(
        actor=org["team_leader"],
        person=org["team_leader"],
        start_date=D(2023, 4, 20),
        end_date=D(2023, 5, 9),
        place="北京",
    )
    t = target(org, Indicator.DAYS_STATIONED, 30, person=org["team_leader"])
    assert reached(t) == 9


def test_behind_when_the_share_trails_the_time_gone(org):
    t = target(org, Indicator.EVENTS, 2, unit=org.team)
    outreach_services.create_event(actor=org["team_member"], title="推介会", event_date=D(2023, 5, 4), place="北京")
    [p] = selectors.progress([t], today=D(2023, 5, 20))
    assert p.reached == 1 and p.share == Decimal("50.0") and p.elapsed == Decimal("64.5") and p.behind
    [p] = selectors.progress([t], today=D(2023, 5, 10))
    assert not p.behind


def test_templates_fill_many_at_once_and_an_overlap_refuses_the_whole_batch(org):
    made = services.apply_template(
        actor=org["office"],
        owner=org.city,
        template=Template.ROUTINE_MONTHLY,
        start=D(2023, 5, 1),
        end=D(2023, 6, 30),
        units=[org.team, org.other_team],
    )
    assert len(made) == 2 * 6 * 2
    assert Target.objects.get(unit=org.team, indicator=Indicator.VISITS, start=D(2023, 6, 1)).value == 20
    before = Target.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.apply_template(
            actor=org["office"],
            owner=org.city,
            template=Template.HUNDRED_DAYS,
            start=D(2023, 6, 15),
            end=D(2023, 9, 22),
            units=[org.team],
        )
    assert "期间不能重叠" in " ".join(exc.value.messages)
    assert Target.objects.count() == before
    city = services.apply_template(
        actor=org["office"], owner=org.city, template=Template.CITY_1521, start=D(2022, 9, 1), end=D(2022, 12, 31)
    )
    assert {t.indicator: t.value for t in city} == {
        "visits": 1000,
        "effective_leads": 500,
        "inspections": 200,
        "signed_projects": 100,
    }


def test_bad_targets_are_refused(org):
    with pytest.raises(ValidationError) as exc:
        target(org, Indicator.VISITS, -1, unit=org.team)
    assert "不能为负数" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError) as exc:
        target(org, Indicator.VISITS, 5, unit=org.department)
    assert "不能设定目标" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        target(org, Indicator.VISITS, 5, unit=org.team, period=(D(2023, 5, 31), D(2023, 5, 1)))
    with pytest.raises(PermissionDenied):
        services.create_target(
            actor=org["team_leader"],
            owner=org.city,
            indicator=Indicator.VISITS,
            start=MAY[0],
            end=MAY[1],
            value=1,
            unit=org.team,
        )
    assert not Target.objects.exists()
