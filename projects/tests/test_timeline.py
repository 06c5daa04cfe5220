"""A company's page lists the projects it invests in, within the viewer's scope; a merge keeps their names right."""

import pytest

from enterprises.models import Company
from enterprises.services import merge_companies
from enterprises.timeline import company_timeline
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_a_companys_timeline_shows_its_projects_to_those_who_may_see_them(org, make_project):
    project = make_project(investor_names=["山西示范新材料有限公司"])
    company = project.investors.get()
    seen = [e.summary for e in company_timeline(company, org["county"]).entries]
    assert any(project.name in s for s in seen)
    hidden = [e.summary for e in company_timeline(company, org["outsider"]).entries]
    assert not any(project.name in s for s in hidden)


def test_a_merge_moves_the_project_to_the_kept_company_and_its_name(org, make_project):
    project = make_project(investor_names=["山西示范新材料有限公司"])
    absorb = project.investors.get()
    keep = Company.objects.create(owner=absorb.owner, name="山西示范新材料集团有限公司", normalized_name="示范新材料x")
    merge_companies(actor=org["office"], keep=keep, absorb=absorb)
    project = Project.objects.get(pk=project.pk)
    assert list(project.investors.all()) == [keep]
    assert project.investor_names == "山西示范新材料集团有限公司"
