"""Pluggable notifiers: where the day's reminders go once reminders.services.send_reminders has gathered them.

`ZS_NOTIFIERS` lists the notifier classes by dotted path (default: the three below). Each gets the
whole run — every person's new reminders and their city — and sends what it is for:

- InAppNotifier: a Notification row per person and reminder (always on: the rows are also what
  keeps a reminder from being sent twice the same day);
- EmailNotifier: one e-mail per person with an address, where `ZS_NOTIFY_EMAIL` is on or the
  person's city has an active e-mail channel;
- WebhookNotifier: one markdown message per run to each active WeCom / DingTalk group robot of a
  city, summarising the city's reminders by kind and unit (DingTalk's 加签 when a secret is set).

A notifier that fails records why (on the channel, in the log) and never stops the others.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .choices import WEBHOOK_KINDS, ChannelKind, ReminderKind, kind_label
from .models import Channel, Notification

logger = logging.getLogger(__name__)

IN_APP = "reminders.notifiers.InAppNotifier"
DEFAULT_NOTIFIERS = [IN_APP, "reminders.notifiers.EmailNotifier", "reminders.notifiers.WebhookNotifier"]
# WeCom refuses a markdown message over 4096 bytes; DingTalk takes more, one limit keeps both safe.
MAX_MARKDOWN_BYTES = 4000
MAX_ERROR_LENGTH = 500


@dataclass
class Delivery:
    """One person's new reminders of the day, and the city they work in (None if they are in none)."""

    user: object
    city: object
    reminders: list


@dataclass
class Run:
    today: date
    deliveries: list
    # Ids of the cities the run is for (the office's "立即发送"), or None for every city.
    cities: set | None = None
    sent: dict = field(default_factory=dict)


def dated_key(reminder, today):
    """A reminder's key on a given day: the same reminder is delivered at most once a day."""
    return f"{reminder.key or reminder.title}:{today.isoformat()}"[:200]


def site_url(path):
    """An absolute link for e-mail and robots when ZS_SITE_URL is set; the path alone otherwise."""
    base = (getattr(settings, "ZS_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else path


class Notifier:
    """Base of every notifier: `send(run)` delivers the run's reminders and returns how many messages went out."""

    label = ""

    def send(self, run):
        raise NotImplementedError


def get_notifiers():
    """The configured notifiers, in-app first whatever the setting says (it is always on)."""
    paths = list(getattr(settings, "ZS_NOTIFIERS", None) or DEFAULT_NOTIFIERS)
    if IN_APP not in paths:
        paths.insert(0, IN_APP)
    return [import_string(path)() for path in paths]


class InAppNotifier(Notifier):
    label = "in_app"

    def send(self, run):
        rows = [
            Notification(
                user=delivery.user,
                kind=reminder.kind,
                severity=reminder.severity,
                title=reminder.title[:200],
                detail=reminder.detail[:500],
                url=reminder.url[:500],
                key=dated_key(reminder, run.today),
                day=run.today,
            )
            for delivery in run.deliveries
            for reminder in delivery.reminders
        ]
        # A second run the same day (or two at once) writes nothing new: (user, key) is unique.
        Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        return len(rows)


# --- E-mail --------------------------------------------------------------------------------------------------------


def email_body(user, reminders, today):
    lines = [_("%(name)s，您好：") % {"name": user.name or user.username}, ""]
    lines.append(_("截至 %(day)s，您有以下待办事项：") % {"day": today.isoformat()})
    for reminder in reminders:
        unit = f"{reminder.detail}：" if reminder.detail else ""
        lines.append(f"- 【{kind_label(reminder.kind)}】{unit}{reminder.title}  {site_url(reminder.url)}")
    lines += ["", _("此邮件由招商引资管理系统自动发送，请勿回复。")]
    return "\n".join(lines)


class EmailNotifier(Notifier):
    label = "email"

    def send(self, run):
        everyone = bool(getattr(settings, "ZS_NOTIFY_EMAIL", False))
        channels = {}
        for channel in Channel.objects.filter(kind=ChannelKind.EMAIL, active=True).order_by("id"):
            channels.setdefault(channel.owner_id, channel)
        messages, used = [], {}
        for delivery in run.deliveries:
            address = (delivery.user.email or "").strip()
            if not address:
                continue
            channel = channels.get(delivery.city.pk) if delivery.city is not None else None
            if channel is None and not everyone:
                continue
            reminders = [r for r in delivery.reminders if channel is None or channel.carries(r.kind)]
            if not reminders:
                continue
            subject = _("【招商】待办提醒（%(n)d 项）") % {"n": len(reminders)}
            messages.append(EmailMessage(subject, email_body(delivery.user, reminders, run.today), to=[address]))
            if channel is not None:
                used[channel.pk] = channel
        if not messages:
            return 0
        error = ""
        sent = 0
        try:
            with get_connection(fail_silently=False) as connection:
                sent = connection.send_messages(messages) or 0
        except Exception as exc:  # any mail server failure: record it, do not stop the other notifiers
            logger.exception("reminder e-mail failed")
            error = _("邮件发送失败：%(error)s") % {"error": exc}
        if used:
            Channel.objects.filter(pk__in=list(used)).update(
                last_sent_at=timezone.now(), last_error=error[:MAX_ERROR_LENGTH]
            )
        return sent


# --- WeCom / DingTalk group robots -----------------------------------------------------------------------------------


class WebhookError(Exception):
    """A robot did not take the message: the reason, in Chinese, as it is shown on the channel."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A robot answers where it is asked; following a redirect would send the message somewhere unchecked.
    def redirect_request(self, *args, **kwargs):
        return None


def allowed_schemes():
    """The schemes a robot's URL may use: ZS_WEBHOOK_SCHEMES, never more than http and https."""
    wanted = {s.lower() for s in getattr(settings, "ZS_WEBHOOK_SCHEMES", ("https", "http"))}
    return wanted & {"http", "https"}


def check_scheme(url):
    """The URL's scheme is one allowed_schemes() names; nothing else (file:, ftp:, javascript:) is ever opened."""
    parts = urlsplit(url or "")
    return parts.scheme.lower() in allowed_schemes() and bool(parts.netloc)


def post_json(url, payload, timeout=None):
    """POST `payload` as JSON to a robot; raise WebhookError unless it answers 2xx with errcode 0 (or nothing)."""
    if not check_scheme(url):
        raise WebhookError(_("Webhook 地址无效。"))
    timeout = timeout or getattr(settings, "ZS_WEBHOOK_TIMEOUT", 5)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above (http/https only)
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise WebhookError(_("机器人返回 HTTP %(code)s。") % {"code": exc.code})
    except urllib.error.URLError as exc:
        raise WebhookError(_("连接失败：%(reason)s。") % {"reason": exc.reason})
    except TimeoutError:
        raise WebhookError(_("连接超时（%(s)s 秒）。") % {"s": timeout})
    except OSError as exc:
        raise WebhookError(_("连接失败：%(reason)s。") % {"reason": exc})
    try:
        data = json.loads(answer.decode("utf-8")) if answer.strip() else {}
    except (UnicodeDecodeError, ValueError):
        data = {}
    if isinstance(data, dict) and data.get("errcode") not in (None, 0):
        raise WebhookError(
            _("机器人拒绝了消息：%(code)s %(message)s")
            % {"code": data.get("errcode"), "message": data.get("errmsg", "")}
        )
    return data


def dingtalk_sign(secret, timestamp_ms):
    """DingTalk's 加签: base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}"))."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(url, secret, timestamp_ms=None):
    """The robot's URL with `timestamp` and `sign` added to its query (its access_token kept)."""
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [("timestamp", str(timestamp_ms)), ("sign", dingtalk_sign(secret, timestamp_ms))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def robot_payload(channel, title, text):
    if channel.kind == ChannelKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def deliver(channel, title, text):
    """Send one markdown message to a robot channel (no database write). Returns the error, "" if it was taken."""
    url = channel.webhook_url
    if channel.kind == ChannelKind.DINGTALK and channel.secret:
        url = signed_url(url, channel.secret)
    try:
        post_json(url, robot_payload(channel, title, text))
    except WebhookError as exc:
        logger.warning("reminder webhook %s (city %s) failed: %s", channel.pk, channel.owner_id, exc)
        return str(exc)
    return ""


def record_attempt(channel, error):
    """Keep the last attempt on the channel: when, and why it failed ("" when it went through)."""
    channel.last_sent_at = timezone.now()
    channel.last_error = (error or "")[:MAX_ERROR_LENGTH]
    Channel.objects.filter(pk=channel.pk).update(last_sent_at=channel.last_sent_at, last_error=channel.last_error)


def _fit(lines, more_line):
    """Keep whole lines under MAX_MARKDOWN_BYTES, then say how many were left out."""
    kept, size = [], 0
    for index, line in enumerate(lines):
        cost = len(line.encode("utf-8")) + 1
        if size + cost > MAX_MARKDOWN_BYTES - 200:
            return [*kept, more_line(len(lines) - index)]
        kept.append(line)
        size += cost
    return kept


def summary_markdown(city, today, reminders):
    """(title, markdown): a city's reminders grouped by kind, one line per unit, linked where a site URL is set."""
    title = _("%(city)s待办提醒") % {"city": city.name}
    order = {kind: i for i, kind in enumerate(ReminderKind.values)}
    lines = [f"### {title}", _("截至 %(day)s") % {"day": today.isoformat()}, ""]
    current = None
    for reminder in sorted(reminders, key=lambda r: (order.get(r.kind, 99), r.detail, r.title)):
        if reminder.kind != current:
            current = reminder.kind
            lines.append(f"**{kind_label(reminder.kind)}**")
        unit = f"{reminder.detail}：" if reminder.detail else ""
        link = site_url(reminder.url)
        text = f"[{reminder.title}]({link})" if link.startswith("http") else reminder.title
        lines.append(f"- {unit}{text}")
    lines = _fit(lines, lambda n: _("……另有 %(n)d 条，请登录系统查看。") % {"n": n})
    return title, "\n".join(lines)


class WebhookNotifier(Notifier):
    label = "webhook"

    def send(self, run):
        channels = Channel.objects.filter(kind__in=WEBHOOK_KINDS, active=True).select_related("owner").order_by("id")
        if run.cities is not None:
            channels = channels.filter(owner_id__in=run.cities)
        by_city = {}
        for delivery in run.deliveries:
            if delivery.city is None:
                continue
            for reminder in delivery.reminders:
                # A group robot carries units' reminders; one person's own stay with them.
                if ":person:" in reminder.key:
                    continue
                by_city.setdefault(delivery.city.pk, {}).setdefault(reminder.key or reminder.title, reminder)
        sent = 0
        for channel in channels:
            reminders = [r for r in by_city.get(channel.owner_id, {}).values() if channel.carries(r.kind)]
            if not reminders:
                continue
            title, text = summary_markdown(channel.owner, run.today, reminders)
            error = deliver(channel, title, text)
            record_attempt(channel, error)
            sent += 0 if error else 1
        return sent


def trial_message(channel, actor):
    """(title, text) of the message "发送测试消息" sends to a channel."""
    title = _("招商引资管理系统测试消息")
    text = "\n".join(
        [
            f"### {title}",
            _("渠道“%(name)s”设置正确，%(city)s的待办提醒将发送到这里。")
            % {"name": channel.name, "city": channel.owner.name},
            _("发送人：%(who)s，%(at)s")
            % {"who": actor.name or actor.username, "at": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
        ]
    )
    return title, text
