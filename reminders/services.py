"""Sending reminders, marking them read, and the office's channels (e-mail, WeCom and DingTalk group robots).

`send_reminders` runs every active person's `core.reminders.collect`, keeps the reminders not yet
delivered today and hands them to the notifiers (reminders.notifiers). It runs daily (Celery beat,
or the `send_reminders` command) and when the office presses "立即发送提醒". Messages to robots and
mail servers go out outside any transaction: a slow robot never holds the database.

The office of a city (and the city's system administrators) set up its channels. A channel is
refused with a message naming the field when its robot URL is missing or is not http(s), its name
is empty, or a reminder kind is unknown; nothing is written then. Every change is audited (the
robot's token and the secret never enter the log).
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.background import enqueue
from core.models import AuditAction, AuditResult
from core.reminders import collect
from core.scope import holds_over
from organizations.choices import UnitKind

from . import notifiers, selectors
from .choices import WEBHOOK_KINDS, ChannelKind, ReminderKind
from .models import CHANNEL_ROLES, Channel, Notification, mask_url

logger = logging.getLogger(__name__)

CHANNEL_FIELDS = ("owner", "name", "kind", "webhook_url", "kinds", "active")


# --- The daily run -------------------------------------------------------------------------------------------------


def send_reminders(*, today=None, cities=None) -> notifiers.Run:
    """Gather every active person's reminders of `today`, keep those not yet delivered today, and send them.

    `cities` (ids) limits the run to the people and channels of those cities. Returns the run, with
    how many messages each notifier sent.
    """
    today = today or timezone.localdate()
    all_cities = selectors.city_units()
    wanted = set(cities) if cities is not None else None
    delivered = set(Notification.objects.filter(day=today).values_list("user_id", "key"))
    people = (
        get_user_model()
        .objects.filter(is_active=True, memberships__active=True)
        .distinct()
        .select_related("home_unit")
        .order_by("pk")
    )
    deliveries = []
    for person in people:
        city = selectors.city_of(person, all_cities)
        if wanted is not None and (city is None or city.pk not in wanted):
            continue
        fresh = [r for r in collect(person, today) if (person.pk, notifiers.dated_key(r, today)) not in delivered]
        if fresh:
            deliveries.append(notifiers.Delivery(user=person, city=city, reminders=fresh))
    run = notifiers.Run(today=today, deliveries=deliveries, cities=wanted)
    for notifier in notifiers.get_notifiers():
        try:
            run.sent[notifier.label or type(notifier).__name__] = notifier.send(run)
        except Exception:  # one broken notifier must not keep the others from sending
            logger.exception("notifier %s failed", type(notifier).__name__)
            run.sent[notifier.label or type(notifier).__name__] = 0
    count = sum(len(d.reminders) for d in deliveries)
    audit.record(
        action=AuditAction.CREATE,
        object_type="reminders.notification",
        object_repr=_("待办提醒 %(day)s") % {"day": today.isoformat()},
        after={"day": today, "people": len(deliveries), "reminders": count, "sent": run.sent, "cities": wanted},
        message=_("发送待办提醒：%(people)d 人，%(n)d 条") % {"people": len(deliveries), "n": count},
    )
    return run


@transaction.atomic
def request_reminders(*, actor, city):
    """The office's "立即发送提醒": the city's reminders are sent now, in the background when a worker is there."""
    from .tasks import send_reminders_task

    _require_manager(actor, city)
    audit.record(
        action=AuditAction.STATE_CHANGE,
        actor=actor,
        obj=city,
        message=_("立即发送%(city)s的待办提醒") % {"city": city.name},
    )
    enqueue(send_reminders_task, city.pk)


# --- Notifications -------------------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, actor, notification) -> Notification:
    """Mark one of the actor's own notifications read (reading it again changes nothing)."""
    notification = Notification.objects.select_for_update().filter(pk=notification.pk).first()
    if notification is None or notification.user_id != actor.pk:
        raise PermissionDenied(_("只能标记自己的提醒。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(action=AuditAction.UPDATE, actor=actor, obj=notification, after={"read_at": notification.read_at})
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; how many were."""
    now = timezone.now()
    count = Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=now)
    if count:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            object_type="reminders.notification",
            object_repr=_("全部提醒"),
            after={"read_at": now, "count": count},
            message=_("全部标为已读：%(n)d 条") % {"n": count},
        )
    return count


# --- Channels ------------------------------------------------------------------------------------------------------


def _require_manager(actor, city):
    if city is None or city.kind != UnitKind.CITY:
        raise ValidationError({"owner": _("请选择城市。")})
    if not holds_over(actor, city, *CHANNEL_ROLES):
        raise PermissionDenied(_("只有本市招商中心或系统管理员可以设置提醒渠道和发送提醒。"))


def _snapshot(channel):
    data = audit.snapshot(channel, CHANNEL_FIELDS)
    # The robot's token is its credential: the log keeps the address without it, and never the secret.
    data["webhook_url"] = mask_url(channel.webhook_url)
    data["secret"] = _("已设置") if channel.secret else ""
    return data


def clean_webhook_url(url, field="webhook_url"):
    """A robot's address: required, a scheme ZS_WEBHOOK_SCHEMES allows (http/https), no spaces, ≤ 500 characters."""
    url = (url or "").strip()
    if not url:
        raise ValidationError({field: _("请填写机器人的 Webhook 地址。")})
    if len(url) > 500:
        raise ValidationError({field: _("Webhook 地址不能超过 500 个字符。")})
    if any(c.isspace() or ord(c) < 32 for c in url) or not notifiers.check_scheme(url):
        starts = _("或").join(f" {s}:// " for s in sorted(notifiers.allowed_schemes())).strip()
        raise ValidationError({field: _("Webhook 地址须以 %(starts)s 开头，且为完整的网址。") % {"starts": starts}})
    return url


def _clean_kinds(kinds):
    kinds = list(kinds or [])
    unknown = [k for k in kinds if k not in ReminderKind.values]
    if unknown:
        raise ValidationError({"kinds": _("无效的提醒类型：%(kinds)s。") % {"kinds": "、".join(map(str, unknown))}})
    return [k for k in ReminderKind.values if k in kinds]


def _check(channel):
    channel.name = (channel.name or "").strip()
    if not channel.name:
        raise ValidationError({"name": _("请填写渠道名称。")})
    if len(channel.name) > 100:
        raise ValidationError({"name": _("渠道名称不能超过 100 个字符。")})
    if channel.kind not in ChannelKind.values:
        raise ValidationError({"kind": _("请选择渠道类型。")})
    channel.kinds = _clean_kinds(channel.kinds)
    secret = (channel.secret or "").strip()
    if channel.kind in WEBHOOK_KINDS:
        channel.webhook_url = clean_webhook_url(channel.webhook_url)
    else:
        channel.webhook_url = ""
    if channel.kind != ChannelKind.DINGTALK:
        secret = ""
    if len(secret) > 200 or any(c.isspace() for c in secret):
        raise ValidationError({"secret": _("加签密钥不能含空格，且不超过 200 个字符。")})
    channel.secret = secret
    same = Channel.objects.filter(owner_id=channel.owner_id, kind=channel.kind).exclude(pk=channel.pk)
    if channel.kind == ChannelKind.EMAIL and same.exists():
        raise ValidationError({"kind": _("本市已设置电子邮件渠道，请修改原有渠道。")})
    if channel.kind in WEBHOOK_KINDS and same.filter(webhook_url=channel.webhook_url).exists():
        raise ValidationError({"webhook_url": _("本市已有使用该地址的机器人渠道。")})


@transaction.atomic
def create_channel(*, actor, owner, name, kind, webhook_url="", secret="", kinds=None, active=True) -> Channel:
    """A new channel of a city: e-mail to its people, or a WeCom / DingTalk group robot."""
    _require_manager(actor, owner)
    channel = Channel(
        owner=owner,
        name=name,
        kind=kind,
        webhook_url=webhook_url or "",
        secret=secret or "",
        kinds=kinds or [],
        active=bool(active),
        created_by=actor,
    )
    _check(channel)
    channel.save()
    audit.record(action=AuditAction.CREATE, actor=actor, obj=channel, after=_snapshot(channel))
    return channel


def _lock(channel):
    return Channel.objects.select_for_update().select_related("owner").get(pk=channel.pk)


@transaction.atomic
def update_channel(*, actor, channel, name=None, webhook_url=None, secret=None, kinds=None, active=None) -> Channel:
    """Change a channel; what is not given stays. The kind stays (make another channel for another kind).

    `secret=None` keeps the secret, `secret=""` removes it.
    """
    channel = _lock(channel)
    _require_manager(actor, channel.owner)
    before = _snapshot(channel)
    if name is not None:
        channel.name = name
    if webhook_url is not None:
        channel.webhook_url = webhook_url
    if secret is not None:
        channel.secret = secret
    if kinds is not None:
        channel.kinds = kinds
    if active is not None:
        channel.active = bool(active)
    _check(channel)
    channel.save()
    old, new = audit.changed(before, _snapshot(channel))
    if new:
        action = AuditAction.UPDATE
        if list(new) == ["active"]:
            action = AuditAction.ACTIVATE if channel.active else AuditAction.DEACTIVATE
        audit.record(action=action, actor=actor, obj=channel, before=old, after=new)
    return channel


@transaction.atomic
def deactivate_channel(*, actor, channel) -> Channel:
    """Stop a channel (kept, with its history; it can be turned on again from its page)."""
    channel = _lock(channel)
    _require_manager(actor, channel.owner)
    if not channel.active:
        raise ValidationError(_("该渠道已停用。"))
    channel.active = False
    channel.save(update_fields=["active", "updated_at"])
    audit.record(
        action=AuditAction.DEACTIVATE, actor=actor, obj=channel, before={"active": True}, after={"active": False}
    )
    return channel


def send_test_message(*, actor, channel) -> str:
    """ "发送测试消息": one message through the channel now. Returns the error ("" when it went through).

    The attempt is recorded on the channel and in the audit log; the message itself goes out before
    any transaction opens, so a slow robot holds nothing.
    """
    channel = Channel.objects.select_related("owner").get(pk=channel.pk)
    _require_manager(actor, channel.owner)
    title, text = notifiers.trial_message(channel, actor)
    if channel.kind == ChannelKind.EMAIL:
        address = (actor.email or "").strip()
        if not address:
            raise ValidationError(_("您的账号没有填写电子邮箱，无法发送测试邮件。"))
        error = _send_test_email(address, title, text)
    else:
        error = notifiers.deliver(channel, title, text)
    with transaction.atomic():
        notifiers.record_attempt(channel, error)
        audit.record(
            action=AuditAction.STATE_CHANGE,
            actor=actor,
            obj=channel,
            result=AuditResult.FAILURE if error else AuditResult.SUCCESS,
            message=_("发送测试消息：%(result)s") % {"result": error or _("成功")},
        )
    return error


def _send_test_email(address, title, text):
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([EmailMessage(title, text, to=[address])])
    except Exception as exc:  # any mail server failure is shown on the channel, never a 500
        logger.exception("test e-mail failed")
        return _("邮件发送失败：%(error)s") % {"error": exc}
    return ""
