"""WeCom and DingTalk group robots, against a real HTTP server on 127.0.0.1: the JSON each receives, DingTalk's
signature, one summary per city per run, and failures recorded on the channel while the other channels still send."""

import base64
import hashlib
import hmac
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from reminders import services
from reminders.choices import ChannelKind, ReminderKind
from reminders.models import Channel

from .conftest import DAY, make_lead, make_problem

pytestmark = pytest.mark.django_db

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def late(org, lf_office, today):
    make_lead(org, "逾期未研判线索", assess_due=today - DAY)
    make_lead(org, "推送未接收线索", status="dispatched", receiving=org.county, feedback_due=today - DAY)
    make_problem(org, "逾期未办结问题", due_on=today - DAY, departments=[org.department])
    make_lead(org, "临汾逾期线索", owner=org.other_city, reporting=org.other_city_county, assess_due=today - DAY)
    return org


def wecom(org, robot, **kw):
    kw.setdefault("name", "招商中心企业微信群")
    return Channel.objects.create(
        owner=kw.pop("owner", org.city),
        kind=ChannelKind.WECOM,
        webhook_url=robot.url("/cgi-bin/webhook/send?key=yc-key"),
        **kw,
    )


def dingtalk(org, url, **kw):
    kw.setdefault("name", "招商中心钉钉群")
    return Channel.objects.create(owner=kw.pop("owner", org.city), kind=ChannelKind.DINGTALK, webhook_url=url, **kw)


def test_a_wecom_robot_gets_one_markdown_summary_of_the_citys_reminders(late, robot, today):
    org = late
    channel = wecom(org, robot)
    services.send_reminders(today=today)
    assert len(robot.calls) == 1
    call = robot.calls[0]
    assert call["path"] == "/cgi-bin/webhook/send?key=yc-key"
    assert call["type"].startswith("application/json")
    body = call["body"]
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"content"}
    content = body["markdown"]["content"]
    # By kind, then each unit's line; 临汾's leads are not 运城's business.
    assert "运城市待办提醒" in content
    assert "**线索逾期**" in content and "**问题诉求逾期**" in content
    assert "- 运城市：1 条线索逾期未研判" in content
    assert "- 盐湖区：1 条推送线索逾期未接收或退回" in content
    assert "- 运城市自然资源局：1 个交办问题逾期未办结" in content
    assert content.index("**线索逾期**") < content.index("**问题诉求逾期**")
    assert "临汾" not in content
    channel.refresh_from_db()
    assert channel.last_error == "" and channel.last_sent_at is not None


def test_each_unit_is_named_once_however_many_of_its_people_are_reminded(late, robot, today):
    from core.testing import make_person
    from organizations.choices import Role

    make_person("county2", late.county, Role.COUNTY_STAFF, "盐湖区小何")
    wecom(late, robot)
    services.send_reminders(today=today)
    assert robot.calls[0]["body"]["markdown"]["content"].count("盐湖区：1 条推送线索逾期未接收或退回") == 1


def test_the_robot_is_not_sent_the_same_reminders_twice_a_day(late, robot, today):
    wecom(late, robot)
    services.send_reminders(today=today)
    services.send_reminders(today=today)
    assert len(robot.calls) == 1
    services.send_reminders(today=today + DAY)
    assert len(robot.calls) == 2


def test_a_robot_carries_only_the_kinds_it_names(late, robot, today):
    wecom(late, robot, kinds=[ReminderKind.PROBLEM_OVERDUE])
    services.send_reminders(today=today)
    content = robot.calls[0]["body"]["markdown"]["content"]
    assert "问题诉求逾期" in content and "线索" not in content


def test_an_inactive_robot_or_nothing_late_sends_nothing(org, late, robot, second_robot, today):
    wecom(org, robot, active=False)
    wecom(org, second_robot, owner=org.other_city, name="临汾群")
    Channel.objects.filter(owner=org.other_city).update(kinds=[ReminderKind.PROGRESS_LATE])
    services.send_reminders(today=today)
    assert robot.calls == [] and second_robot.calls == []


def test_a_dingtalk_robot_gets_a_signed_markdown_message(late, robot, today):
    org = late
    channel = dingtalk(org, robot.url("/robot/send?access_token=yc-token"), secret=SECRET)
    before = int(time.time() * 1000)
    services.send_reminders(today=today)
    after = int(time.time() * 1000)
    assert len(robot.calls) == 1
    call = robot.calls[0]
    url = urlsplit(call["path"])
    assert url.path == "/robot/send"
    query = parse_qs(url.query)
    assert query["access_token"] == ["yc-token"]
    timestamp = int(query["timestamp"][0])
    assert before <= timestamp <= after
    # DingTalk's rule: base64(HMAC-SHA256(key=secret, msg="{timestamp}\n{secret}")).
    digest = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    body = call["body"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "运城市待办提醒"
    assert "- 运城市：1 条线索逾期未研判" in body["markdown"]["text"]
    channel.refresh_from_db()
    assert channel.last_error == ""


def test_a_dingtalk_robot_without_secret_is_not_signed(late, robot, today):
    dingtalk(late, robot.url("/robot/send?access_token=t"))
    services.send_reminders(today=today)
    query = parse_qs(urlsplit(robot.calls[0]["path"]).query)
    assert "sign" not in query and "timestamp" not in query


def test_links_become_absolute_when_the_site_address_is_set(late, robot, today, settings):
    settings.ZS_SITE_URL = "https://zs.example.gov.cn/"
    wecom(late, robot)
    services.send_reminders(today=today)
    content = robot.calls[0]["body"]["markdown"]["content"]
    assert "[1 条线索逾期未研判](https://zs.example.gov.cn/leads/queue/?overdue=true)" in content


def test_a_failing_robot_is_recorded_and_the_others_still_send(late, robot, second_robot, refused_url, today):
    org = late
    broken = wecom(org, second_robot, name="出错的群")
    second_robot.answer(500, {"errmsg": "internal"})
    gone = Channel.objects.create(owner=org.city, name="已撤销的群", kind=ChannelKind.WECOM, webhook_url=refused_url)
    good = dingtalk(org, robot.url("/robot/send?access_token=ok"))
    run = services.send_reminders(today=today)
    assert len(robot.calls) == 1
    assert run.sent["webhook"] == 1
    broken.refresh_from_db()
    gone.refresh_from_db()
    good.refresh_from_db()
    assert broken.last_error == "机器人返回 HTTP 500。" and broken.last_sent_at is not None
    assert gone.last_error.startswith("连接失败") and gone.last_sent_at is not None
    assert good.last_error == ""
    # The app's own notifications are written whatever the robots did.
    assert org["office"].notifications.filter(title="1 条线索逾期未研判").exists()


def test_a_robot_refusing_the_message_is_recorded_with_its_reason(late, robot, today):
    channel = wecom(late, robot)
    robot.answer(200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    services.send_reminders(today=today)
    channel.refresh_from_db()
    assert channel.last_error == "机器人拒绝了消息：93000 invalid webhook url"


def test_a_long_summary_is_cut_to_what_wecom_accepts(org, robot, today):
    from core.reminders import Reminder
    from core.testing import make_unit
    from organizations.choices import UnitKind
    from reminders.notifiers import MAX_MARKDOWN_BYTES, summary_markdown

    unit = make_unit("YC-X", "运城市某某县区名称较长的开发区", UnitKind.ZONE, org.city)
    many = [
        Reminder(
            kind="lead_overdue", title=f"{i} 条推送线索逾期未接收或退回", url="/leads/", detail=unit.name, key=f"k{i}"
        )
        for i in range(300)
    ]
    title, text = summary_markdown(org.city, today, many)
    assert len(text.encode("utf-8")) <= MAX_MARKDOWN_BYTES
    assert "请登录系统查看" in text
