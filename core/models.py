"""Base models and the audit log."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scope import ScopedQuerySet


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
    MERGE = "merge", _("合并")
    ATTACH = "attach", _("上传附件")


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


class Attachment(TimeStampedModel):
    """A photo or file attached to a record (a visit's photos, a signed contract, a permit).

    Stored outside the static/media paths and served only through a view that checks the
    user may see the record it belongs to.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    mime_type = models.CharField(_("类型"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.mime_type.startswith("image/")


class PrivateImportStorage(FileSystemStorage):
    """Where uploaded ledgers are kept: settings.ZS_IMPORT_DIR, outside MEDIA_ROOT and never served.

    The directory is read from settings at each use, not frozen when the model loads, so
    an operator's ZS_IMPORT_DIR (and a test's override) is always the one used.
    """

    @property
    def base_location(self):
        return str(getattr(settings, "ZS_IMPORT_DIR", Path(settings.BASE_DIR) / "data" / "imports"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def import_upload_path(instance, filename):
    # A random name on disk: the person's file name is kept in `original_name` only.
    return f"{instance.ledger}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    PREVIEWED = "previewed", _("已预览")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("失败")


class ImportJobQuerySet(ScopedQuerySet):
    # An upload is its uploader's own work in progress: nobody else sees or confirms it.
    def visibility_q(self, scope):
        return Q(created_by=scope.user) if scope.user is not None and scope.user.pk else Q(pk__in=[])

    def editability_q(self, scope):
        return self.visibility_q(scope)


class ImportJob(TimeStampedModel):
    """One uploaded ledger file: checked and previewed first, imported when its uploader confirms.

    Keeps the file (privately), the counts and the first problems found, so the preview
    and the result can be shown again and the rejected rows downloaded.
    """

    ledger = models.CharField(_("台账"), max_length=50)
    org = models.ForeignKey(
        "organizations.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    file = models.FileField(_("文件"), upload_to=import_upload_path, storage=PrivateImportStorage(), max_length=255)
    rejected_file = models.FileField(
        _("被拒绝的行"), upload_to=import_upload_path, storage=PrivateImportStorage(), max_length=255, blank=True
    )
    original_name = models.CharField(_("文件名"), max_length=255)
    good_rows_only = models.BooleanField(_("仅导入正确的行"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.UPLOADED
    )
    summary = models.JSONField(_("统计"), default=dict, blank=True)
    problems = models.JSONField(_("问题"), default=list, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-id"]

    def __str__(self):
        return self.original_name


class WorkdayOverride(TimeStampedModel):
    """A day the office marks as a working day or a day off, over the official calendar.

    chinese_calendar knows the State Council's holidays and 调休 days only up to the year
    its release covers; when next year's arrangement is announced (each November) the
    office enters it here without waiting for an upgrade, and a local day off (a city's
    own holiday) can be entered the same way. An entry here always wins.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {_('工作日') if self.is_workday else _('休息日')}"
