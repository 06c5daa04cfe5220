"""Records built by hand for the assessment tests, each through its own app's service as a user would."""

import datetime
import itertools

from assessment import services
from assessment.models import LockedScore, PeriodLock, Scheme, SchemeItem
from core.models import AuditEvent
from core.testing import make_person, make_unit
from organizations.choices import Role, UnitKind
from outreach import services as outreach_services
from targets import services as target_services

D = datetime.date
MAY = (D(2023, 5, 1), D(2023, 5, 31))
YEAR = (D(2023, 1, 1), D(2023, 12, 31))
_serial = itertools.count(1)


def third_team(org):
    """A third team of 运城 with a member, for ties among three."""
    team = make_unit("YC-T-HZ", "杭州招商组", UnitKind.TEAM, org.city, sort_order=3)
    org.third_team = team
    org.third_member = make_person("hz_member", team, Role.TEAM_MEMBER, "杭州组小周")
    return team


def extra_teams(org, n, start=10):
    """`n` more teams with a member each: [(team, member)]."""
    out = []
    for i in range(start, start + n):
        team = make_unit(f"YC-T-X{i}", f"新增{i}组", UnitKind.TEAM, org.city, sort_order=i)
        out.append((team, make_person(f"x{i}_member", team, Role.TEAM_MEMBER, f"新增{i}组组员")))
    return out


def visits(member, n, day=None, prefix="走访"):
    """`n` visits recorded by `member` for their team on `day` (10 May 2023); the companies' names, in order."""
    day = day or D(2023, 5, 10)
    names = []
    for _i in range(n):
        name = f"{prefix}企业{next(_serial)}号有限公司"
        outreach_services.create_visit(actor=member, visit_date=day, content="对接投资意向", company_name=name)
        names.append(name)
    return names


def inspections(member, n, day=None):
    day = day or D(2023, 5, 12)
    for _i in range(n):
        outreach_services.create_inspection(
            actor=member, inspection_date=day, company_name=f"考察企业{next(_serial)}号有限公司", result="有意向"
        )


def target(org, unit, indicator="visits", value=10, period=MAY):
    return target_services.create_target(
        actor=org["office"], owner=org.city, indicator=indicator, start=period[0], end=period[1], value=value, unit=unit
    )


def scheme(org, items, name="2023年驻点招商组考核", period=YEAR, subjects="teams", actor=None, owner=None):
    return services.create_scheme(
        actor=actor or org["office"],
        owner=owner or org.city,
        name=name,
        subjects=subjects,
        start=period[0],
        end=period[1],
        items=items,
    )


def item(indicator, weight, rule="share", cap=100):
    return {"indicator": indicator, "weight": weight, "rule": rule, "cap": cap}


def written():
    """Everything an assessment write leaves: schemes, items, locks, published scores, audit records."""
    return (
        Scheme.objects.count(),
        SchemeItem.objects.count(),
        PeriodLock.objects.count(),
        LockedScore.objects.count(),
        AuditEvent.objects.exclude(action="login").count(),
    )
