"""Test helpers every app uses: the persona tree, logging in as a persona, and the permission matrix.

The permission matrix runs every persona against every page and endpoint, for objects in
and out of their scope, and checks the status each should get and that nothing out of
scope leaks into what they are shown.
"""

from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

PERSONA_PASSWORD = "Zs-Persona-2026!"
# Every persona of `Org`, for matrices that name what each one gets.
PERSONAS = (
    "office",
    "team_leader",
    "team_member",
    "county",
    "department",
    "leader",
    "sysadmin",
    "auditadmin",
    "outsider",
)


def statuses(default, **overrides):
    """Expected status per persona: `default` for all, except those named."""
    expect = dict.fromkeys(PERSONAS, default)
    expect.update(overrides)
    return expect


def make_unit(code, name, kind, parent=None, **extra):
    """A unit straight into the database (test set-up; services are tested on their own)."""
    from organizations.models import Unit

    unit = Unit.objects.create(code=code, name=name, kind=kind, parent=parent, **extra)
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2
    unit.save(update_fields=["path", "depth"])
    return unit


def make_person(username, unit, role=None, name=None, role_unit=None, **extra):
    """A person whose home is `unit`, holding `role` in `role_unit` (default: the same unit)."""
    from organizations.models import Membership, User

    user = User(username=username, name=name or username, home_unit=unit, **extra)
    user.set_password(PERSONA_PASSWORD)
    user.save()
    if role:
        Membership.objects.create(user=user, unit=role_unit or unit, role=role)
    return user


def needs_otp(user):
    from django.conf import settings

    return user.memberships.filter(role__in=settings.OTP_REQUIRED_ROLES, active=True).exists()


def login_as(client, user):
    """Log `user` in on `client` as a finished login would leave it, second factor included."""
    client.force_login(user)
    if needs_otp(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def api_client_for(user):
    """A client that authenticates like an integrator: with the user's API token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


class Org:
    """The persona tree shared by every app's tests.

    山西省 ─ 运城市 ─┬ 市招商投资促进中心 (office)
                    ├ 北京招商组 (team)          ├ 上海招商组 (other team)
                    ├ 盐湖区 ─ 盐湖区小分队       ├ 临猗县 (other county)
                    ├ 自然资源局 (department)     └ 运城经开区 (zone)
           └ 临汾市 ─ 古县 (another city's county)
    """

    def __init__(self):
        from organizations.choices import Role, TargetRegion, UnitKind

        self.province = make_unit("SX", "山西省", UnitKind.PROVINCE)
        self.city = make_unit("YC", "运城市", UnitKind.CITY, self.province)
        self.office = make_unit("YC-ZSZX", "运城市招商投资促进中心", UnitKind.DEPARTMENT, self.city)
        self.team = make_unit(
            "YC-T-BJ",
            "北京招商组",
            UnitKind.TEAM,
            self.city,
            base_city="北京",
            target_regions=[TargetRegion.JINGJINJI],
            focus="精品钢、碳基新材料",
        )
        self.other_team = make_unit("YC-T-SH", "上海招商组", UnitKind.TEAM, self.city, base_city="上海")
        self.county = make_unit("YC-YH", "盐湖区", UnitKind.COUNTY, self.city)
        self.squad = make_unit("YC-YH-XFD", "盐湖区驻点招商小分队", UnitKind.SQUAD, self.county)
        self.other_county = make_unit("YC-LY", "临猗县", UnitKind.COUNTY, self.city)
        self.zone = make_unit("YC-JKQ", "运城经开区", UnitKind.ZONE, self.city)
        self.department = make_unit("YC-ZRZY", "运城市自然资源局", UnitKind.DEPARTMENT, self.city)
        self.other_city = make_unit("LF", "临汾市", UnitKind.CITY, self.province)
        self.other_city_county = make_unit("LF-GX", "古县", UnitKind.COUNTY, self.other_city)

        self.people = {
            # The office works for the whole city: its role is held at the city, its home is the centre.
            "office": make_person("office", self.office, Role.OFFICE_STAFF, "招商中心小王", role_unit=self.city),
            "team_leader": make_person("team_leader", self.team, Role.TEAM_LEADER, "王峰", phone="13800000001"),
            "team_member": make_person("team_member", self.team, Role.TEAM_MEMBER, "北京组小李", phone="13800000002"),
            "county": make_person("county", self.county, Role.COUNTY_STAFF, "盐湖区小张", phone="13800000003"),
            "department": make_person("department", self.department, Role.DEPARTMENT_STAFF, "自然资源局小赵"),
            "leader": make_person("leader", self.city, Role.LEADER, "市领导"),
            "sysadmin": make_person("sysadmin", self.city, Role.SYSTEM_ADMIN, "系统管理员"),
            "auditadmin": make_person("auditadmin", self.city, Role.AUDIT_ADMIN, "审计管理员"),
            "outsider": make_person("outsider", self.other_city_county, Role.COUNTY_STAFF, "古县小刘"),
        }
        for user in self.people.values():
            user.password_changed_at = timezone.now()
        # Confirms projects' stage moves (four eyes); not in `people`, so older matrices keep their personas.
        self.verifier = make_person("verifier", self.city, Role.VERIFIER, "市核验员")
        self.verifier.password_changed_at = timezone.now()
        self.other_team_member = make_person(
            "sh_member", self.other_team, Role.TEAM_MEMBER, "上海组小陈", phone="13900000009"
        )

    def __getitem__(self, name):
        return self.people[name]


@dataclass
class Case:
    """One request in the matrix and the status each persona must get.

    `hidden` are texts (names of out-of-scope records) that must not appear in any
    response, whatever its status; `shown` maps personas to texts that must appear.
    Personas not named in `expect` get `default`.
    """

    url: str
    expect: dict
    method: str = "get"
    data: dict | None = None
    default: int = 404
    hidden: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)
    api: bool = False
    anonymous: int | None = None


def run_matrix(org, cases, personas=None):
    """Run every case for every persona; collect all mismatches and fail once, listing them."""
    personas = personas or list(org.people)
    failures = []
    for case in cases:
        for persona in personas:
            user = org[persona]
            expected = case.expect.get(persona, case.default)
            if case.api:
                client = api_client_for(user)
                response = getattr(client, case.method)(case.url, case.data, format="json")
            else:
                client = login_as(Client(), user)
                response = getattr(client, case.method)(case.url, case.data or {})
            body = response.content.decode("utf-8", "replace")
            if response.status_code != expected:
                failures.append(
                    f"{persona} {case.method.upper()} {case.url}: {response.status_code}, expected {expected}"
                )
            for text in case.hidden.get(persona, ()):
                if text in body:
                    failures.append(f"{persona} {case.method.upper()} {case.url}: leaks {text!r}")
            for text in case.shown.get(persona, ()):
                if text not in body:
                    failures.append(f"{persona} {case.method.upper()} {case.url}: does not show {text!r}")
        if case.anonymous is not None:
            from rest_framework.test import APIClient

            client = APIClient() if case.api else Client()
            response = getattr(client, case.method)(case.url, case.data or {})
            if response.status_code != case.anonymous:
                failures.append(
                    f"anonymous {case.method.upper()} {case.url}: {response.status_code}, expected {case.anonymous}"
                )
    assert not failures, "permission matrix:\n" + "\n".join(failures)
