"""The pages every persona shares: home, profile, the API schema and docs."""

from django.urls import reverse

from core.testing import Case, run_matrix, statuses


def test_every_persona_reaches_home_profile_and_api_docs_and_anonymous_is_sent_to_login(org):
    everyone = statuses(200)
    cases = [
        Case(reverse("core:home"), everyone, anonymous=302),
        Case(reverse("accounts:profile"), everyone, anonymous=302),
        Case(reverse("api-docs"), everyone),
        Case(reverse("api-schema"), everyone),
    ]
    run_matrix(org, cases)


def test_navigation_follows_the_role(org):
    from django.test import Client

    from core.testing import login_as

    def nav(persona):
        return login_as(Client(), org[persona]).get(reverse("core:home")).content.decode()

    assert "审计日志" in nav("auditadmin")
    assert "审计日志" not in nav("sysadmin")
    assert "组织架构" in nav("sysadmin") and "人员" in nav("team_member")


def test_home_shows_the_persons_own_roles(org):
    from django.test import Client

    from core.testing import login_as

    page = login_as(Client(), org["team_leader"]).get(reverse("core:home")).content.decode()
    assert "北京招商组" in page and "组长/队长" in page
