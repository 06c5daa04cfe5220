"""/api/v1/notifications/ and /api/v1/notification-channels/: one's own notifications, the office's channels, bad input
writes nothing, the secret never comes back, query budgets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent
from core.testing import Case, api_client_for, run_matrix, statuses
from reminders import services
from reminders.choices import ChannelKind, ReminderKind
from reminders.models import Channel, Notification

from .conftest import DAY, make_lead

pytestmark = pytest.mark.django_db

NOTES = "/api/v1/notifications/"
CHANNELS = "/api/v1/notification-channels/"


def notify(user, title, day):
    return Notification.objects.create(
        user=user, kind=ReminderKind.LEAD_OVERDUE, title=title, url="/leads/", key=f"{title}:{day}", day=day
    )


def written():
    return Channel.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def channel(org):
    return services.create_channel(
        actor=org["office"],
        owner=org.city,
        name="运城招商钉钉群",
        kind=ChannelKind.DINGTALK,
        webhook_url="https://oapi.dingtalk.com/robot/send?access_token=yc-token",
        secret="SECyc",
    )


def test_notifications_are_ones_own(org, today):
    notify(org["office"], "招商中心的提醒", today)
    notify(org["county"], "盐湖区的提醒", today)
    data = api_client_for(org["office"]).get(NOTES).json()
    assert [n["title"] for n in data["results"]] == ["招商中心的提醒"]
    assert data["results"][0]["kind_label"] == "线索逾期" and data["results"][0]["is_read"] is False


def test_marking_read_through_the_api(org, today):
    mine = notify(org["office"], "招商中心的提醒", today)
    theirs = notify(org["county"], "盐湖区的提醒", today)
    client = api_client_for(org["office"])
    response = client.post(f"{NOTES}{theirs.pk}/read/")
    assert response.status_code == 404 and "盐湖区" not in response.content.decode()
    response = client.post(f"{NOTES}{mine.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    notify(org["office"], "第二条", today - DAY)
    assert client.post(f"{NOTES}read-all/").json() == {"count": 1}
    assert client.get(NOTES, {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_notification_list_costs_the_same_for_one_row_as_for_many(org, today):
    client = api_client_for(org["office"])
    notify(org["office"], "提醒0", today)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(NOTES).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(1, 25):
        notify(org["office"], f"提醒{i}", today)
    assert queries() == one


def test_the_channel_endpoints_permission_matrix(org, lf_office, channel):
    org.people["lf_office"] = lf_office
    cases = [
        Case(
            url=CHANNELS,
            api=True,
            expect=statuses(200, lf_office=200),
            anonymous=401,
            shown={"office": ["运城招商钉钉群"], "sysadmin": ["运城招商钉钉群"]},
            hidden={p: ["运城招商钉钉群"] for p in ("county", "lf_office", "team_member", "leader")},
        ),
        Case(url=f"{CHANNELS}{channel.pk}/", api=True, expect=statuses(404, office=200, sysadmin=200), anonymous=401),
        Case(
            url=CHANNELS,
            api=True,
            method="post",
            data={"name": "群", "kind": "email"},
            expect=statuses(403, lf_office=201),
            anonymous=401,
        ),
        Case(
            url=f"{CHANNELS}{channel.pk}/deactivate/",
            api=True,
            method="post",
            expect=statuses(404, auditadmin=403),
            anonymous=401,
        ),
        Case(
            url=f"{CHANNELS}send-now/",
            api=True,
            method="post",
            data={},
            expect=statuses(403, lf_office=202),
            anonymous=401,
        ),
    ]
    run_matrix(org, cases, personas=[p for p in org.people if p not in ("office", "sysadmin")])
    channel.refresh_from_db()
    assert channel.active


def test_the_office_creates_a_channel_and_never_reads_the_secret_back(org, robot):
    client = api_client_for(org["office"])
    response = client.post(
        CHANNELS,
        {
            "name": "运城招商企业微信群",
            "kind": "wecom",
            "webhook_url": robot.url("/cgi-bin/webhook/send?key=yc-key"),
            "kinds": ["lead_overdue"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["owner"] == org.city.pk and data["kind_label"] == "企业微信群机器人"
    assert "yc-key" not in response.content.decode()
    assert data["webhook_url"].endswith("/cgi-bin/webhook/send?…")
    test = client.post(f"{CHANNELS}{data['id']}/test/")
    assert test.json() == {"ok": True, "error": ""}
    assert "招商引资管理系统测试消息" in robot.calls[0]["body"]["markdown"]["content"]
    patched = client.patch(f"{CHANNELS}{data['id']}/", {"name": "招商工作群", "kinds": []}, format="json")
    assert patched.status_code == 200 and patched.json()["name"] == "招商工作群" and patched.json()["kinds"] == []
    stopped = client.post(f"{CHANNELS}{data['id']}/deactivate/")
    assert stopped.json()["active"] is False


def test_a_secret_is_kept_unless_cleared(org, channel):
    client = api_client_for(org["office"])
    assert client.get(f"{CHANNELS}{channel.pk}/").json()["has_secret"] is True
    client.patch(f"{CHANNELS}{channel.pk}/", {"name": "改名"}, format="json")
    channel.refresh_from_db()
    assert channel.secret == "SECyc"
    client.patch(f"{CHANNELS}{channel.pk}/", {"secret": ""}, format="json")
    channel.refresh_from_db()
    assert channel.secret == ""


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "群", "kind": "wecom", "webhook_url": ""}, "webhook_url", "请填写机器人的 Webhook 地址。"),
        ({"name": "群", "kind": "wecom"}, "webhook_url", "请填写机器人的 Webhook 地址。"),
        (
            {"name": "群", "kind": "dingtalk", "webhook_url": "gopher://x/1"},
            "webhook_url",
            "须以 http:// 或 https:// 开头",
        ),
        ({"name": "群", "kind": "sms"}, "kind", "不是合法选项"),
        ({"name": "群", "kind": "email", "kinds": ["lead_overdue", "gossip"]}, "kinds", "不是合法选项"),
        ({"name": "", "kind": "email"}, "name", "不能为空"),
        ({"name": "群", "kind": "email", "secret_key": "x"}, "secret_key", "不能在此填写"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(org, body, field, message):
    before = written()
    response = api_client_for(org["office"]).post(CHANNELS, body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert written() == before


def test_a_bad_change_writes_nothing(org, channel):
    before = written()
    response = api_client_for(org["office"]).patch(
        f"{CHANNELS}{channel.pk}/", {"webhook_url": "ftp://oapi.dingtalk.com/robot"}, format="json"
    )
    assert response.status_code == 400 and "webhook_url" in response.json()
    assert written() == before
    channel.refresh_from_db()
    assert channel.webhook_url.startswith("https://")


def test_the_office_sends_now_through_the_api(org, today, django_capture_on_commit_callbacks):
    make_lead(org, "逾期未研判线索", assess_due=today - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(org["office"]).post(f"{CHANNELS}send-now/", {}, format="json")
    assert response.status_code == 202 and response.json() == {"city": org.city.pk}
    assert org["office"].notifications.filter(title="1 条线索逾期未研判").exists()


def test_the_channel_list_costs_the_same_for_one_row_as_for_many(org, channel):
    client = api_client_for(org["office"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CHANNELS).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for i in range(5):
        services.create_channel(
            actor=org["office"],
            owner=org.city,
            name=f"群{i}",
            kind=ChannelKind.WECOM,
            webhook_url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={i}",
        )
    assert queries() == one
