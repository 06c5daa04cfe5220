"""A bulletin's generation states: queued → running → done (or failed)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


# While a bulletin is in one of these, its page refreshes itself to show the progress.
IN_PROGRESS = (Status.QUEUED, Status.RUNNING)
