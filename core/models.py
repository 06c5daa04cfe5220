"""Base models and the audit log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every record knows when it was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    MOVE = "move", _("移动")
    DEACTIVATE = "deactivate", _("停用")
    ACTIVATE = "activate", _("启用")
    STATE_CHANGE = "state_change", _("状态变更")
    ASSIGN_ROLE = "assign_role", _("分配角色")
    REVOKE_ROLE = "revoke_role", _("撤销角色")
    RESET_PASSWORD = "reset_password", _("重置密码")
    CHANGE_PASSWORD = "change_password", _("修改密码")
    OTP_SETUP = "otp_setup", _("绑定动态口令")
    OTP_FAILED = "otp_failed", _("动态口令错误")
    TOKEN_CREATE = "token_create", _("生成接口令牌")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志不可修改")

    def delete(self):
        raise PermissionError("审计日志不可删除")


class AuditEvent(models.Model):
    """One audited event, chained to the one before it by an SM3 hash.

    The actor is stored as id and name, not as a foreign key: nothing that later happens
    to the person may change (and so break) a record.
    """

    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=16, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除")


class AuditChainHead(models.Model):
    """The single row holding the newest hash; locking it serialises appends to the chain."""

    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self):
        return f"{self.count} · {self.last_hash[:12]}"
