"""An administrator's first session, as a person does it in the browser:
log in, bind the second factor, create a county and a team under it, add a member with a
role, log out — and the member can then log in."""

import base64
import re

from django_otp.oath import totp

from core.testing import PERSONA_PASSWORD, make_person, make_unit
from organizations.choices import Role, UnitKind
from organizations.models import Membership, Unit, User

MEMBER_PASSWORD = "Hangzhou#Team2026"


def token_from_secret(secret):
    key = base64.b32decode(re.sub(r"\s", "", secret).upper())
    return f"{totp(key):06d}"


def login(page, username, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")


def test_admin_builds_a_county_with_a_team_and_a_member_then_logs_out(page, transactional_db):
    province = make_unit("SX", "山西省", UnitKind.PROVINCE)
    city = make_unit("YC", "运城市", UnitKind.CITY, province)
    admin = make_person("admin", city, Role.SYSTEM_ADMIN, "系统管理员")
    admin.must_change_password = False
    admin.save()

    login(page, "admin", PERSONA_PASSWORD)
    # Administrators must bind a TOTP device before anything else.
    page.wait_for_selector("[data-testid=otp-secret]")
    secret = page.inner_text("[data-testid=otp-secret]")
    page.fill("input[name=token]", token_from_secret(secret))
    page.click("[data-testid=otp-setup-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    assert "系统管理员" in page.content()

    # A county under the city.
    page.click("text=组织架构")
    page.click("[data-testid=new-unit]")
    page.select_option("select[name=parent]", str(city.pk))
    page.select_option("select[name=kind]", "county")
    page.fill("input[name=code]", "YC-WR")
    page.fill("input[name=name]", "万荣县")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=unit-name]")
    assert "万荣县" in page.inner_text("[data-testid=unit-name]")
    county = Unit.objects.get(code="YC-WR")

    # A bad code first: the form says why, in Chinese, and nothing is created.
    page.click("text=新建下级单位")
    page.select_option("select[name=kind]", "squad")
    page.fill("input[name=code]", "YC-WR")
    page.fill("input[name=name]", "万荣县驻点招商小分队")
    page.fill("input[name=base_city]", "杭州")
    page.check("input[name=target_regions][value=yangtze_delta]")
    page.click("[data-testid=submit]")
    assert "已被其他单位使用" in page.content()
    assert Unit.objects.filter(name="万荣县驻点招商小分队").count() == 0
    page.fill("input[name=code]", "YC-WR-XFD")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=unit-name]")
    team = Unit.objects.get(code="YC-WR-XFD")
    assert team.parent_id == county.pk and team.base_city == "杭州"

    # A member with a role in that team.
    page.click("text=添加人员")
    page.fill("input[name=username]", "zhaolei")
    page.fill("input[name=name]", "赵磊")
    page.select_option("select[name=home_unit]", str(team.pk))
    page.select_option("select[name=role]", "team_member")
    page.fill("input[name=phone]", "13512345678")
    page.fill("input[name=password1]", MEMBER_PASSWORD)
    page.fill("input[name=password2]", MEMBER_PASSWORD)
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=person-roles]")
    assert "组员/队员" in page.inner_text("[data-testid=person-roles]")
    member = User.objects.get(username="zhaolei")
    assert Membership.objects.filter(user=member, unit=team, role=Role.TEAM_MEMBER, active=True).exists()

    # Log out: back at the login page, and the home page needs a login again.
    page.click("[data-testid=logout]")
    page.wait_for_selector("[data-testid=login-form]")
    page.goto("/")
    assert "/accounts/login/" in page.url

    # The new member logs in, must replace the initial password, then sees their team.
    login(page, "zhaolei", MEMBER_PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/password/"))
    page.fill("input[name=old_password]", MEMBER_PASSWORD)
    page.fill("input[name=new_password]", "Wanrong#Squad2026")
    page.fill("input[name=new_password_repeat]", "Wanrong#Squad2026")
    page.click("[data-testid=password-change-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/")
    assert "万荣县驻点招商小分队" in page.inner_text("[data-testid=memberships]")
