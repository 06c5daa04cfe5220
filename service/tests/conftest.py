"""Fixtures for the service tests: a second department, a project at 盐湖区 with its service team, categories,
and a builder that raises a problem through the services as a user would."""

import datetime
from decimal import Decimal

import pytest

from core.testing import make_person, make_unit
from organizations.choices import Role, UnitKind


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def power(org):
    """A second department (国网运城供电公司 stands in for 供电) with its own staff member."""
    unit = make_unit("YC-GD", "运城市供电服务中心", UnitKind.DEPARTMENT, org.city)
    make_person("power_staff", unit, Role.DEPARTMENT_STAFF, "供电中心小钱")
    return unit


@pytest.fixture
def power_staff(power):
    from organizations.models import User

    return User.objects.get(username="power_staff")


@pytest.fixture
def team_member_of_project(org):
    return make_person("zhuanban", org.county, Role.COUNTY_STAFF, "专班小吴")


@pytest.fixture
def project(org, team_member_of_project):
    """A project hosted by 盐湖区, its service team bound."""
    from projects import services

    project = services.create_project(
        actor=org["office"],
        host_unit=org.county,
        name="年产5000件珠宝首饰加工项目",
        investor_names=["运城市金玉珠宝有限公司"],
        total_investment=Decimal("8000"),
        stage="negotiating",
    )
    services.set_assignment(
        actor=org["office"], project=project, leader_name="盐湖区副区长", team=[team_member_of_project]
    )
    return project


@pytest.fixture
def category(org):
    from service.services import categories_for

    return {c.code: c for c in categories_for(org.city)}


@pytest.fixture
def raise_one(org, project, category, team_member_of_project):
    from service import services

    def make(title="扩大厂房用地", code="land", actor=None, **kw):
        kw.setdefault("description", "企业订单增长，现有厂房不足，需新增用地约 20 亩。")
        kw.setdefault("raised_on", datetime.date.today())
        return services.raise_problem(
            actor=actor or team_member_of_project, title=title, category=category[code], project=project, **kw
        )

    return make
