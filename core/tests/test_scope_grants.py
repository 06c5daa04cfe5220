"""A person bound to a project (包联 leader, 服务专班) sees it and its problems, whichever city their own scope covers:
the scope reads those projects' ids with the memberships (core.scope._scope_rows)."""

import pytest

from organizations.models import User

pytestmark = pytest.mark.django_db


def test_a_project_bound_person_sees_it_wherever_it_is(org):
    """An office person of another city serving on this city's project (服务专班) or leading it (包联) sees it and
    its problems, though their scope is pruned to their own city."""
    from core.testing import make_person
    from organizations.choices import Role
    from projects.models import Project, ProjectTeamMember
    from service.models import Problem, ProblemCategory

    project = Project.objects.create(owner=org.city, host_unit=org.county, name="跨市包联测试项目")
    category = ProblemCategory.objects.create(owner=org.city, name="用地", due_days=5)
    problem = Problem.objects.create(
        owner=org.city, number="WT-1", title="用地指标", project=project, category=category, raised_on="2024-05-06"
    )
    person = make_person("waishi", org.other_city, Role.OFFICE_STAFF, "临汾市招商中心")

    def sees(model, pk):
        return model.objects.visible_to(User.objects.get(pk=person.pk)).filter(pk=pk).exists()

    assert not sees(Project, project.pk) and not sees(Problem, problem.pk)
    ProjectTeamMember.objects.create(project=project, user=person)
    assert sees(Project, project.pk) and sees(Problem, problem.pk)
    ProjectTeamMember.objects.filter(user=person).delete()
    Project.objects.filter(pk=project.pk).update(leader=person)
    assert sees(Project, project.pk) and sees(Problem, problem.pk)
