"""The reminder pages as each persona meets them: the home page's 待办提醒 card, my notifications (mark read), the
office's channels (add, change, stop, test, send now), the permission matrix, bad input, query budgets."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from core.testing import Case, login_as, run_matrix, statuses
from reminders import services
from reminders.choices import ChannelKind, ReminderKind
from reminders.models import Channel, Notification

from .conftest import DAY, make_lead, make_problem, make_project, make_target

pytestmark = pytest.mark.django_db


def u(name, *args):
    return reverse(f"reminders:{name}", args=args)


def client_for(user):
    return login_as(Client(), user)


def written():
    return Channel.objects.count(), AuditEvent.objects.exclude(action__in=["login", "logout"]).count()


def notify(user, title, *, day, key=None, read=False):
    from django.utils import timezone

    return Notification.objects.create(
        user=user,
        kind=ReminderKind.LEAD_OVERDUE,
        severity="danger",
        title=title,
        detail="运城市",
        url="/leads/queue/?overdue=true",
        key=key or f"{title}:{day}",
        day=day,
        read_at=timezone.now() if read else None,
    )


# --- The home page ------------------------------------------------------------------------------------------------


def test_the_home_page_shows_each_persons_reminders_with_links(org, lf_office, today):
    make_lead(org, "逾期未研判线索", assess_due=today - DAY)
    make_lead(org, "推送未接收线索", status="dispatched", receiving=org.county, feedback_due=today - DAY)
    make_problem(org, "逾期未办结问题", due_on=today - DAY, departments=[org.department])
    office = client_for(org["office"]).get("/").content.decode()
    assert 'data-testid="reminders-card"' in office
    assert '<a href="/leads/queue/?overdue=true">1 条线索逾期未研判</a>' in office
    assert "2 个问题逾期或督办中" not in office and "1 个问题逾期或督办中" in office
    county = client_for(org["county"]).get("/").content.decode()
    assert f'<a href="/leads/incoming/?unit={org.county.pk}">1 条推送线索逾期未接收或退回</a>' in county
    assert "线索逾期未研判" not in county
    department = card(client_for(org["department"]).get("/"))
    assert "1 个交办问题逾期未办结" in department and "线索" not in department
    # Another city's office: none of 运城's late records.
    outsider = card(client_for(lf_office).get("/"))
    assert "线索" not in outsider and "问题" not in outsider


def card(response):
    """The 待办提醒 list of a home page."""
    return response.content.decode().split('data-testid="reminders"')[1].split("</ul>")[0]


def test_the_home_page_lists_unread_notifications_to_mark_read(org, today):
    notify(org["office"], "昨天的提醒", day=today - DAY)
    notify(org["office"], "已读的提醒", day=today - 2 * DAY, read=True)
    notify(org["county"], "别人的提醒", day=today)
    client = client_for(org["office"])
    body = client.get("/").content.decode()
    assert "昨天的提醒" in body and "已读的提醒" not in body and "别人的提醒" not in body
    mine = Notification.objects.get(title="昨天的提醒")
    response = client.post(u("notification_read", mine.pk), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "昨天的提醒" not in client.get("/").content.decode()


def home_queries(user):
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_the_home_pages_queries_do_not_grow_with_the_late_records(org, today):
    project = make_project(org, "未报项目0")
    make_target(org, "visits", today - 10 * DAY, today + 20 * DAY, 20, unit=org.county)
    for i in range(2):
        make_lead(org, f"逾期线索{i}", assess_due=today - DAY)
        make_lead(org, f"推送逾期{i}", status="dispatched", receiving=org.county, feedback_due=today - DAY)
        make_problem(org, f"逾期问题{i}", due_on=today - DAY, departments=[org.department], project=project)
        notify(org["office"], f"提醒{i}", day=today - DAY)
    people = [org["office"], org["county"], org["department"]]
    before = [home_queries(p) for p in people]
    for i in range(2, 14):
        make_lead(org, f"逾期线索{i}", assess_due=today - DAY)
        make_lead(org, f"推送逾期{i}", status="dispatched", receiving=org.county, feedback_due=today - DAY)
        make_problem(org, f"逾期问题{i}", due_on=today - DAY, departments=[org.department], project=project)
        make_project(org, f"未报项目{i}")
        notify(org["office"], f"提醒{i}", day=today - DAY)
    assert [home_queries(p) for p in people] == before
    assert "14 条线索逾期未研判" in client_for(org["office"]).get("/").content.decode()


# --- My notifications ---------------------------------------------------------------------------------------------


def test_my_notifications_are_mine_only_and_marked_read(org, today):
    notify(org["office"], "我的提醒一", day=today)
    notify(org["office"], "我的提醒二", day=today - DAY)
    notify(org["county"], "盐湖区的提醒", day=today)
    client = client_for(org["office"])
    body = client.get(u("notification_list")).content.decode()
    assert "我的提醒一" in body and "我的提醒二" in body and "盐湖区的提醒" not in body
    assert "2 条未读" in body
    unread = client.get(u("notification_list"), {"unread": "true"}).content.decode()
    assert "我的提醒一" in unread
    response = client.post(u("notification_read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(user=org["office"], read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=org["county"], read_at__isnull=True).count() == 1
    assert client.get(u("notification_list"), {"unread": "true"}).content.decode().count("我的提醒一") == 0


def test_marking_someone_elses_notification_is_a_404_and_changes_nothing(org, today):
    theirs = notify(org["county"], "盐湖区的提醒", day=today)
    response = client_for(org["office"]).post(u("notification_read", theirs.pk))
    assert response.status_code == 404
    assert "盐湖区的提醒" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_next_address_elsewhere_is_not_followed(org, today):
    mine = notify(org["office"], "我的提醒", day=today)
    response = client_for(org["office"]).post(u("notification_read", mine.pk), {"next": "https://evil.example/"})
    assert response["Location"] == u("notification_list")


def list_queries(user, url):
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_notification_list_costs_the_same_for_one_row_as_for_many(org, today):
    notify(org["office"], "提醒0", day=today)
    one = list_queries(org["office"], u("notification_list"))
    for i in range(1, 30):
        notify(org["office"], f"提醒{i}", day=today)
    assert list_queries(org["office"], u("notification_list")) == one


# --- The office's channels ----------------------------------------------------------------------------------------


@pytest.fixture
def channel(org):
    return services.create_channel(
        actor=org["office"],
        owner=org.city,
        name="运城招商企业微信群",
        kind=ChannelKind.WECOM,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=yc-secret-key",
    )


def test_the_permission_matrix_of_the_pages(org, lf_office, channel, today):
    mine = notify(org["office"], "招商中心的提醒", day=today)
    managers = statuses(403, office=200, sysadmin=200, lf_office=200)
    objects = statuses(404, office=200, sysadmin=200)
    cases = [
        Case(
            url=u("notification_list"),
            expect=statuses(200, lf_office=200),
            anonymous=302,
            shown={"office": ["招商中心的提醒"]},
            hidden={p: ["招商中心的提醒"] for p in ("county", "lf_office", "sysadmin")},
        ),
        Case(
            url=u("channel_list"),
            expect=managers,
            anonymous=302,
            shown={"office": ["运城招商企业微信群"]},
            hidden={"lf_office": ["运城招商企业微信群"]},
        ),
        Case(url=u("channel_create"), expect=managers, anonymous=302),
        Case(
            url=u("channel_edit", channel.pk),
            expect=objects,
            anonymous=302,
            hidden={p: ["运城招商企业微信群"] for p in ("county", "lf_office", "auditadmin")},
        ),
        Case(
            url=u("channel_test", channel.pk),
            method="post",
            expect=statuses(404),
            anonymous=302,
            hidden={p: ["运城招商企业微信群"] for p in ("county", "lf_office")},
        ),
        Case(url=u("channel_deactivate", channel.pk), method="post", expect=statuses(404), anonymous=302),
        Case(
            url=u("notification_read", mine.pk),
            method="post",
            expect=statuses(404, office=302),
            anonymous=302,
            hidden={p: ["招商中心的提醒"] for p in ("county", "lf_office")},
        ),
        Case(
            url=u("send_now"),
            method="post",
            data={"city": org.city.pk},
            expect=statuses(403, office=302, sysadmin=302, lf_office=404),
            anonymous=302,
        ),
    ]
    personas = [*org.people]
    # The office's own test and stop buttons are exercised below; here everyone else is refused.
    run_matrix(org, cases, personas=[p for p in personas if p not in ("office", "sysadmin")])
    run_matrix(org, cases[:4], personas=["office", "sysadmin"])
    channel.refresh_from_db()
    assert channel.active and channel.last_sent_at is None


def test_the_office_adds_a_dingtalk_robot(org):
    client = client_for(org["office"])
    response = client.post(
        u("channel_create"),
        {
            "owner": org.city.pk,
            "name": "运城招商钉钉群",
            "kind": ChannelKind.DINGTALK,
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc123",
            "secret": "SECabc",
            "kinds": [ReminderKind.LEAD_OVERDUE, ReminderKind.PROBLEM_OVERDUE],
            "active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="运城招商钉钉群")
    assert channel.owner == org.city and channel.secret == "SECabc" and channel.created_by == org["office"]
    assert channel.kinds == [ReminderKind.LEAD_OVERDUE, ReminderKind.PROBLEM_OVERDUE]
    body = client.get(u("channel_list")).content.decode()
    assert "https://oapi.dingtalk.com/robot/send?…" in body
    assert "abc123" not in body and "SECabc" not in body
    event = AuditEvent.objects.filter(object_type="reminders.channel").latest("id")
    assert "abc123" not in str(event.after) and "SECabc" not in str(event.after)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "请填写机器人的 Webhook 地址。"),
        ("ftp://qyapi.weixin.qq.com/send?key=1", "Webhook 地址须以 http:// 或 https:// 开头"),
        ("javascript:alert(1)", "Webhook 地址须以 http:// 或 https:// 开头"),
        ("file:///etc/passwd", "Webhook 地址须以 http:// 或 https:// 开头"),
        ("https://qyapi.weixin.qq.com/send?key=a b", "Webhook 地址须以 http:// 或 https:// 开头"),
        ("qyapi.weixin.qq.com/cgi-bin/webhook/send", "Webhook 地址须以 http:// 或 https:// 开头"),
    ],
)
def test_a_robot_with_a_bad_address_is_refused_and_nothing_is_written(org, url, message):
    before = written()
    response = client_for(org["office"]).post(
        u("channel_create"), {"owner": org.city.pk, "name": "群", "kind": ChannelKind.WECOM, "webhook_url": url}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert written() == before


def test_other_bad_input_is_refused_with_a_message(org, lf_office, channel):
    client = client_for(org["office"])
    before = written()
    body = client.post(
        u("channel_create"), {"owner": org.city.pk, "name": "  ", "kind": ChannelKind.EMAIL}
    ).content.decode()
    assert "该字段是必填项" in body
    body = client.post(
        u("channel_create"), {"owner": org.other_city.pk, "name": "临汾群", "kind": ChannelKind.EMAIL}
    ).content.decode()
    assert "选择一个有效的选项" in body
    body = client.post(
        u("channel_create"),
        {"owner": org.city.pk, "name": "重复", "kind": ChannelKind.WECOM, "webhook_url": channel.webhook_url},
    ).content.decode()
    assert "本市已有使用该地址的机器人渠道" in body
    assert written() == before


def test_the_office_changes_and_stops_a_channel(org, channel):
    client = client_for(org["office"])
    form = client.get(u("channel_edit", channel.pk)).content.decode()
    assert "运城招商企业微信群" in form
    response = client.post(
        u("channel_edit", channel.pk),
        {
            "name": "招商工作群",
            "webhook_url": channel.webhook_url,
            "kinds": [ReminderKind.TARGET_BEHIND],
            "active": "on",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "招商工作群" and channel.kinds == [ReminderKind.TARGET_BEHIND]
    before = written()
    body = client.post(
        u("channel_edit", channel.pk), {"name": "招商工作群", "webhook_url": "http//bad"}
    ).content.decode()
    assert "Webhook 地址须以 http:// 或 https:// 开头" in body
    assert written() == before
    client.post(u("channel_deactivate", channel.pk))
    channel.refresh_from_db()
    assert not channel.active
    body = client.post(u("channel_deactivate", channel.pk), follow=True).content.decode()
    assert "该渠道已停用" in body


def test_the_office_sends_a_test_message_and_sees_the_result(org, robot, refused_url):
    good = services.create_channel(
        actor=org["office"], owner=org.city, name="好的群", kind=ChannelKind.WECOM, webhook_url=robot.url("/send?key=1")
    )
    gone = services.create_channel(
        actor=org["office"], owner=org.city, name="坏的群", kind=ChannelKind.WECOM, webhook_url=refused_url
    )
    client = client_for(org["office"])
    body = client.post(u("channel_test", good.pk), follow=True).content.decode()
    assert "已向“好的群”发送测试消息" in body
    assert "招商引资管理系统测试消息" in robot.calls[0]["body"]["markdown"]["content"]
    body = client.post(u("channel_test", gone.pk), follow=True).content.decode()
    assert "“坏的群”测试消息发送失败：连接失败" in body
    gone.refresh_from_db()
    assert gone.last_error.startswith("连接失败")
    assert 'data-testid="last-error"' in client.get(u("channel_list")).content.decode()


def test_an_email_channels_test_goes_to_the_sender(org):
    from django.core import mail

    channel = services.create_channel(actor=org["office"], owner=org.city, name="邮件", kind=ChannelKind.EMAIL)
    client = client_for(org["office"])
    body = client.post(u("channel_test", channel.pk), follow=True).content.decode()
    assert "您的账号没有填写电子邮箱" in body and mail.outbox == []
    org["office"].email = "office@yc.example"
    org["office"].save(update_fields=["email"])
    client.post(u("channel_test", channel.pk))
    assert [m.to for m in mail.outbox] == [["office@yc.example"]]


def test_the_channel_list_costs_the_same_for_one_row_as_for_many(org, channel):
    one = list_queries(org["office"], u("channel_list"))
    for i in range(6):
        services.create_channel(
            actor=org["office"],
            owner=org.city,
            name=f"群{i}",
            kind=ChannelKind.DINGTALK,
            webhook_url=f"https://oapi.dingtalk.com/robot/send?access_token={i}",
        )
    assert list_queries(org["office"], u("channel_list")) == one


def test_the_menu_offers_the_reminder_pages(org):
    office = client_for(org["office"]).get("/").content.decode()
    assert u("notification_list") in office and u("channel_list") in office
    county = client_for(org["county"]).get("/").content.decode()
    assert u("notification_list") in county and u("channel_list") not in county


def test_a_deployment_may_allow_https_robots_only(org, settings):
    settings.ZS_WEBHOOK_SCHEMES = ["https"]
    before = written()
    body = (
        client_for(org["office"])
        .post(
            u("channel_create"),
            {
                "owner": org.city.pk,
                "name": "群",
                "kind": ChannelKind.WECOM,
                "webhook_url": "http://qyapi.weixin.qq.com/x",
            },
        )
        .content.decode()
    )
    assert "Webhook 地址须以 https:// 开头" in body
    assert written() == before
