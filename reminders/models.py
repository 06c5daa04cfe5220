"""Reminders sent: the in-app notifications each person reads, and the channels a city's office sends them through.

A notification belongs to one person and only they see it (domain.md §7 says nothing wider: a
reminder repeats what the person's own lists already show). A channel belongs to a city; its office
(and the city's system administrators) set it up: an e-mail switch, or a WeCom / DingTalk group robot.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.scope import NOTHING, ScopedQuerySet, scope_of
from organizations.choices import Role

from .choices import ChannelKind, ReminderKind, Severity

# Who configures a city's channels.
CHANNEL_ROLES = (Role.OFFICE_STAFF, Role.SYSTEM_ADMIN)


class NotificationQuerySet(ScopedQuerySet):
    """Everyone sees and marks their own notifications, and nobody else's, whatever their roles."""

    self_visible = True

    def visibility_q(self, scope):
        user = scope.user
        return Q(user_id=user.pk) if user is not None and user.pk else NOTHING

    def editability_q(self, scope):
        return self.visibility_q(scope)

    def editable_by(self, user):
        # A person without any role still marks their own notifications read.
        return self.filter(self.editability_q(scope_of(user)))

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder as delivered in the app on one day: kept until read, never sent twice the same day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=ReminderKind.choices)
    severity = models.CharField(_("程度"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    title = models.CharField(_("标题"), max_length=200)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The reminder's own key and the day it was sent: the same reminder is delivered once a day at most.
    key = models.CharField(_("标识"), max_length=200)
    day = models.DateField(_("提醒日期"))
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒消息")
        verbose_name_plural = _("提醒消息")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["day"], name="notification_day_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class ChannelQuerySet(ScopedQuerySet):
    def visibility_q(self, scope):
        return scope.subtree_q("owner__path", *CHANNEL_ROLES)

    def editability_q(self, scope):
        return scope.subtree_q("owner__path", *CHANNEL_ROLES)


class Channel(TimeStampedModel):
    """A way a city's reminders leave the app: e-mail to its people, or one group robot (WeCom, DingTalk)."""

    owner = models.ForeignKey(
        "organizations.Unit", verbose_name=_("所属城市"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("渠道类型"), max_length=10, choices=ChannelKind.choices)
    webhook_url = models.CharField(_("机器人 Webhook 地址"), max_length=500, blank=True)
    # DingTalk's 加签 secret: the request is signed with it (timestamp + HMAC-SHA256).
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    kinds = models.JSONField(_("发送的提醒类型"), default=list, blank=True, help_text=_("不选则发送全部类型。"))
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_sent_at = models.DateTimeField(_("最近发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近一次错误"), blank=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒渠道")
        verbose_name_plural = _("提醒渠道")
        ordering = ["owner_id", "kind", "name", "id"]
        indexes = [models.Index(fields=["owner", "active"], name="channel_owner_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reminders:channel_edit", args=[self.pk])

    def carries(self, kind):
        return not self.kinds or kind in self.kinds

    @property
    def masked_url(self):
        """The robot's address without its token (the token is the credential): host and path, then …"""
        return mask_url(self.webhook_url)

    def kinds_display(self):
        if not self.kinds:
            return str(_("全部"))
        labels = dict(ReminderKind.choices)
        return "、".join(str(labels.get(k, k)) for k in self.kinds)


def mask_url(url):
    if not url:
        return ""
    parts = urlsplit(url)
    shown = f"{parts.scheme}://{parts.netloc}{parts.path}"
    return f"{shown}?…" if parts.query else shown
