"""The office's writes through assessment.services: every bad input is refused with a Chinese message naming the
problem, and nothing is written (schemes, items, locks, published scores and audit records all unchanged)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment import services
from assessment.models import PeriodLock
from core.models import AuditEvent
from core.testing import make_person
from organizations.choices import Role

from .builders import MAY, YEAR, D, item, scheme, visits, written

pytestmark = pytest.mark.django_db

GOOD = [item("visits", 40, cap=120), item("inspections", 60, rule="rank")]


def refused(call, field, message):
    before = written()
    with pytest.raises(ValidationError) as exc:
        call()
    messages = exc.value.message_dict[field]
    assert any(message in m for m in messages), messages
    assert written() == before


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([item("visits", 40), item("inspections", 55)], "各项权重之和须为 100，现为 95。"),
        ([item("visits", 70), item("days_stationed", 30)], "无效的考核指标：days_stationed。"),
        ([item("visits", 50), item("visits", 50)], "指标“走访企业”重复。"),
        (
            [item("visits", 60), item("inspections", -10), item("events", 50)],
            "“邀请来考察企业”的权重须大于 0 且不超过 100。",
        ),
        ([item("visits", "很多"), item("inspections", 50)], "“权重”须为数字。"),
        ([item("visits", "NaN"), item("inspections", 50)], "“权重”须为数字。"),
        ([item("visits", "33.333"), item("inspections", "66.667")], "最多保留两位小数"),
        ([item("visits", 50, cap=0), item("inspections", 50)], "封顶比例须在 1 到 1000 之间"),
        ([item("visits", 50, rule="luck"), item("inspections", 50)], "计分规则无效"),
        ([], "请至少设置一项考核指标。"),
    ],
)
def test_a_scheme_with_bad_items_is_refused_whole(org, items, message):
    refused(lambda: scheme(org, items), "items", message)


def test_a_scheme_needs_a_name_and_a_forward_period(org):
    refused(
        lambda: services.create_scheme(
            actor=org["office"], owner=org.city, name=" ", subjects="teams", start=YEAR[0], end=YEAR[1], items=GOOD
        ),
        "name",
        "请填写方案名称。",
    )
    refused(lambda: scheme(org, GOOD, period=(D(2023, 12, 31), D(2023, 1, 1))), "end", "结束日期不能早于开始日期。")
    refused(lambda: scheme(org, GOOD, subjects="people"), "subjects", "无效的考核对象。")


def test_only_the_citys_office_keeps_schemes(org):
    before = written()
    for persona in ("team_leader", "leader", "county", "outsider"):
        with pytest.raises(PermissionDenied):
            scheme(org, GOOD, actor=org[persona])
    other_office = make_person("lf_office", org.other_city, Role.OFFICE_STAFF, "临汾招商中心")
    with pytest.raises(PermissionDenied):
        scheme(org, GOOD, actor=other_office)
    assert written() == before


def test_the_office_creates_changes_and_deletes_a_scheme_audited(org):
    s = scheme(org, GOOD)
    assert [(i.indicator, i.weight, i.rule, i.cap) for i in s.items.all()] == [
        ("visits", Decimal(40), "share", Decimal(120)),
        ("inspections", Decimal(60), "rank", Decimal(100)),
    ]
    services.update_scheme(actor=org["office"], scheme=s, name="改名", items=[item("events", 100)])
    s.refresh_from_db()
    assert s.name == "改名" and [i.indicator for i in s.items.all()] == ["events"]
    update = AuditEvent.objects.filter(action="update", object_id=str(s.pk)).get()
    assert update.before["name"] == "2023年驻点招商组考核" and update.after["items"][0]["indicator"] == "events"
    pk = s.pk
    services.delete_scheme(actor=org["office"], scheme=s)
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()


def test_a_month_not_over_cannot_be_locked(org):
    s = scheme(org, GOOD)
    refused(
        lambda: services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1], today=D(2023, 5, 31)),
        "end",
        "2023-05-31 尚未结束，期满后才能锁定考核结果。",
    )
    services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1], today=D(2023, 6, 1))


def test_a_period_is_locked_only_once(org):
    visits(org["team_member"], 2)
    s = scheme(org, GOOD)
    lock = services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1])
    assert lock.scores.count() == 2 and lock.locked_by == org["office"]
    refused(
        lambda: services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1]),
        "start",
        "2023-05-01 至 2023-05-31 的考核结果已锁定。",
    )


def test_a_period_outside_the_scheme_cannot_be_locked(org):
    s = scheme(org, GOOD, period=(D(2023, 3, 1), D(2023, 12, 31)))
    refused(
        lambda: services.lock_period(actor=org["office"], scheme=s, start=D(2023, 2, 1), end=D(2023, 2, 28)),
        "start",
        "期间须在方案期间 2023-03-01 至 2023-12-31 之内。",
    )


def test_a_locked_scheme_keeps_its_items_and_period_but_may_be_renamed(org):
    s = scheme(org, GOOD)
    services.lock_period(actor=org["office"], scheme=s, start=MAY[0], end=MAY[1])
    message = "该方案已有锁定的考核结果，不能再改指标、权重或期间"
    refused(
        lambda: services.update_scheme(
            actor=org["office"], scheme=s, items=[item("visits", 50, cap=120), item("inspections", 50, rule="rank")]
        ),
        "items",
        message,
    )
    refused(lambda: services.update_scheme(actor=org["office"], scheme=s, end=D(2023, 11, 30)), "items", message)
    refused(lambda: services.delete_scheme(actor=org["office"], scheme=s), "scheme", "不能删除")
    # The same items typed again ("40" for the stored 40.00) are no change: the rename goes through.
    same = [item("visits", "40", cap="120"), item("inspections", "60.0", rule="rank", cap="")]
    services.update_scheme(actor=org["office"], scheme=s, name="五月已通报", items=same, start=YEAR[0], end=YEAR[1])
    s.refresh_from_db()
    assert s.name == "五月已通报" and s.items.count() == 2
    assert PeriodLock.objects.filter(scheme=s).count() == 1
