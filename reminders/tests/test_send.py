"""The daily run: in-app notifications once a day per reminder, e-mail where a city (or the setting) asks for it,
the command, the Celery task, and the office's "立即发送提醒"."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from core.models import AuditEvent
from core.reminders import collect
from core.testing import login_as
from reminders import services
from reminders.choices import ChannelKind, ReminderKind
from reminders.models import Channel, Notification
from reminders.tasks import send_reminders_task

from .conftest import DAY, make_lead, make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(org, lf_office, today):
    """One lead late for 运城's office, one problem late for its department, one lead late for 临汾's office."""
    make_lead(org, "逾期未研判线索", assess_due=today - DAY)
    make_problem(org, "逾期未办结问题", due_on=today - DAY, departments=[org.department])
    make_lead(org, "临汾逾期线索", owner=org.other_city, reporting=org.other_city_county, assess_due=today - DAY)
    for persona, address in (("office", "office@yc.example"), ("department", "zrzy@yc.example"), ("lf_office", "")):
        org[persona].email = address
        org[persona].save(update_fields=["email"])
    lf_office.email = "office@lf.example"
    lf_office.save(update_fields=["email"])
    return org


def expected(user, today):
    """What the run should deliver to a person: their reminders of the day, as collect() finds them."""
    fresh = type(user).objects.get(pk=user.pk)
    return sorted(r.title for r in collect(fresh, today))


def delivered(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_the_run_writes_each_persons_reminders_as_their_notifications(late, today):
    org = late
    services.send_reminders(today=today)
    for persona in ("office", "department", "county", "team_member", "lf_office", "outsider"):
        assert delivered(org[persona]) == expected(org[persona], today), persona
    assert "1 条线索逾期未研判" in delivered(org["office"])
    assert "1 个交办问题逾期未办结" in delivered(org["department"])
    assert "1 个交办问题逾期未办结" not in delivered(org["office"])
    notification = Notification.objects.get(user=org["office"], title="1 条线索逾期未研判")
    assert notification.kind == ReminderKind.LEAD_OVERDUE
    assert notification.url == "/leads/queue/?overdue=true"
    assert notification.day == today and notification.read_at is None
    assert notification.key == f"lead_overdue:assess:{org.city.pk}:{today.isoformat()}"


def test_running_twice_the_same_day_does_not_repeat_itself(late, today):
    services.send_reminders(today=today)
    first = Notification.objects.count()
    assert first > 0
    run = services.send_reminders(today=today)
    assert Notification.objects.count() == first
    assert run.deliveries == []
    # The next day the reminders still late are delivered again.
    services.send_reminders(today=today + DAY)
    assert Notification.objects.filter(day=today + DAY).count() > 0


def test_a_reminder_that_appears_later_in_the_day_is_still_delivered(late, today):
    org = late
    services.send_reminders(today=today)
    make_problem(org, "新逾期问题", due_on=today - DAY, departments=[org.department])
    services.send_reminders(today=today)
    # The department's count changed but its reminder (same key) was already delivered today: not repeated.
    titles = delivered(org["department"])
    assert titles.count("1 个交办问题逾期未办结") == 1 and "2 个交办问题逾期未办结" not in titles
    # A reminder new today (the county's first late lead) is delivered by the second run.
    make_lead(org, "推送未接收线索", status="dispatched", receiving=org.county, feedback_due=today - DAY)
    services.send_reminders(today=today)
    assert "1 条推送线索逾期未接收或退回" in delivered(org["county"])


def test_the_run_is_audited(late, today):
    services.send_reminders(today=today)
    event = AuditEvent.objects.filter(object_type="reminders.notification").latest("id")
    assert "发送待办提醒" in event.message


def test_no_email_unless_the_city_asks_for_it(late, today, settings):
    settings.ZS_NOTIFY_EMAIL = False
    services.send_reminders(today=today)
    assert mail.outbox == []


def test_a_citys_email_channel_mails_its_people_with_an_address(late, today, settings):
    org = late
    settings.ZS_NOTIFY_EMAIL = False
    channel = Channel.objects.create(owner=org.city, name="邮件提醒", kind=ChannelKind.EMAIL)
    services.send_reminders(today=today)
    to = sorted(m.to[0] for m in mail.outbox)
    # 临汾 has no e-mail channel: its office is not mailed.
    assert to == ["office@yc.example", "zrzy@yc.example"]
    office_mail = next(m for m in mail.outbox if m.to == ["office@yc.example"])
    for title in expected(org["office"], today):
        assert title in office_mail.body
    assert "/leads/queue/?overdue=true" in office_mail.body
    assert office_mail.subject == f"【招商】待办提醒（{len(expected(org['office'], today))} 项）"
    channel.refresh_from_db()
    assert channel.last_sent_at is not None and channel.last_error == ""


def test_an_email_channel_carries_only_the_kinds_it_names(late, today, settings):
    org = late
    settings.ZS_NOTIFY_EMAIL = False
    Channel.objects.create(
        owner=org.city, name="问题提醒邮件", kind=ChannelKind.EMAIL, kinds=[ReminderKind.PROBLEM_OVERDUE]
    )
    services.send_reminders(today=today)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert sorted(bodies) == ["office@yc.example", "zrzy@yc.example"]
    assert "1 个交办问题逾期未办结" in bodies["zrzy@yc.example"]
    assert "1 个问题逾期或督办中" in bodies["office@yc.example"]
    assert "线索" not in bodies["office@yc.example"]
    # The office's lead reminder is in the app all the same.
    assert "1 条线索逾期未研判" in delivered(org["office"])


def test_the_setting_mails_everyone_with_an_address(late, today, settings):
    settings.ZS_NOTIFY_EMAIL = True
    services.send_reminders(today=today)
    assert sorted(m.to[0] for m in mail.outbox) == ["office@lf.example", "office@yc.example", "zrzy@yc.example"]
    services.send_reminders(today=today)
    assert len(mail.outbox) == 3


def test_an_inactive_email_channel_sends_nothing(late, today, settings):
    settings.ZS_NOTIFY_EMAIL = False
    Channel.objects.create(owner=late.city, name="邮件提醒", kind=ChannelKind.EMAIL, active=False)
    services.send_reminders(today=today)
    assert mail.outbox == []


def test_the_command_sends_the_days_reminders(late, today):
    out = io.StringIO()
    call_command("send_reminders", "--date", today.isoformat(), stdout=out)
    assert "已发送待办提醒" in out.getvalue()
    assert delivered(late["office"]) == expected(late["office"], today)


def test_the_command_refuses_a_bad_date_or_city(late):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2024-13-40", stdout=io.StringIO())
    with pytest.raises(CommandError, match="没有编码为"):
        call_command("send_reminders", "--city", "XX", stdout=io.StringIO())
    assert Notification.objects.count() == 0


def test_the_task_for_one_city_reaches_only_that_citys_people(late, today):
    org = late
    result = send_reminders_task(org.other_city.pk)
    assert result["people"] >= 1
    assert delivered(org["lf_office"]) == expected(org["lf_office"], today)
    assert Notification.objects.filter(user__home_unit__path__startswith=org.city.path).count() == 0


def test_the_task_is_registered_under_its_scheduled_name():
    from django.conf import settings

    assert send_reminders_task.name == "reminders.tasks.send_reminders_task"
    assert settings.CELERY_BEAT_SCHEDULE["daily-reminders"]["task"] == send_reminders_task.name


def test_the_office_sends_its_citys_reminders_now(late, today, django_capture_on_commit_callbacks):
    org = late
    client = login_as(Client(), org["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reminders/send/", {"city": org.city.pk}, follow=True)
    assert "已发送运城市的待办提醒" in response.content.decode()
    assert delivered(org["office"]) == expected(org["office"], today)
    assert delivered(org["lf_office"]) == []


def test_another_citys_office_cannot_send_this_citys_reminders(late, django_capture_on_commit_callbacks):
    org = late
    client = login_as(Client(), org["lf_office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reminders/send/", {"city": org.city.pk})
    assert response.status_code == 404
    assert Notification.objects.count() == 0
