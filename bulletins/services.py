"""The office's bulletin work: request a month's bulletin, publish it, delete one not yet published; and the
background generation that fills it.

Only the office of the city (or above it) does these. A month is refused until it is over. Generating writes
nothing but its own row and file: the figures are read from the records (bulletins.selectors) and kept with
the file, so a finished bulletin never changes; generating the month again makes a new bulletin (the next
version). Every step is audited.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import audit
from core.background import enqueue
from core.models import AuditAction, AuditResult
from core.scope import holds_over
from organizations.choices import Role, UnitKind
from targets.services import month_range

from . import selectors
from .choices import Status
from .document import write_bulletin
from .models import Bulletin, default_title

logger = logging.getLogger(__name__)

FIELDS = ("owner", "year", "month", "version", "number", "title", "issued_on", "status")
SYSTEM = "后台任务"


def _require_office(actor, owner):
    if not holds_over(actor, owner, Role.OFFICE_STAFF):
        raise PermissionDenied(_("只有本市招商中心可以生成、印发和删除通报。"))


def _int(value, field, message):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: message})


def _check_month(year, month, today):
    year = _int(year, "year", _("请填写年份，如 2022。"))
    month = _int(month, "month", _("请选择月份（1—12）。"))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年份须在 2000 到 2100 之间。")})
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("月份须在 1 到 12 之间。")})
    start, end = month_range(year, month)
    if start > today:
        raise ValidationError({"month": _("%(y)d年%(m)d月尚未到来，不能生成该月通报。") % {"y": year, "m": month}})
    if end >= today:
        raise ValidationError({"month": _("%(y)d年%(m)d月尚未结束，不能生成该月通报。") % {"y": year, "m": month}})
    return year, month


def _text(value, field, max_length, label):
    text = " ".join(str(value or "").split())
    if len(text) > max_length:
        raise ValidationError({field: _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length}})
    return text


@transaction.atomic
def request_bulletin(*, actor, owner, year, month, number="", title="", today=None) -> Bulletin:
    """Queue the bulletin of a city's month (over by `today`); it is generated in the background after commit."""
    _require_office(actor, owner)
    if owner.kind != UnitKind.CITY:
        raise ValidationError({"owner": _("通报按市生成。")})
    today = today or timezone.localdate()
    year, month = _check_month(year, month, today)
    number = _text(number, "number", 60, _("文号"))
    title = _text(title, "title", 200, _("标题")) or default_title(year, month)
    latest = Bulletin.objects.filter(owner=owner, year=year, month=month).aggregate(v=Max("version"))["v"] or 0
    bulletin = Bulletin.objects.create(
        owner=owner,
        year=year,
        month=month,
        version=latest + 1,
        number=number,
        title=title,
        issued_on=today,
        status=Status.QUEUED,
        stage=_("排队等待生成"),
        created_by=actor,
    )
    audit.record(action=AuditAction.CREATE, actor=actor, obj=bulletin, after=audit.snapshot(bulletin, FIELDS))
    from .tasks import generate_bulletin_task

    enqueue(generate_bulletin_task, bulletin.pk)
    return bulletin


def _advance(pk, progress, stage):
    """Record a step: committed on its own, so the page (or the API) polling the row sees it while the work goes on."""
    Bulletin.objects.filter(pk=pk, status=Status.RUNNING).update(progress=progress, stage=stage)


def generate_bulletin(*, bulletin_id):
    """Fill a queued bulletin (in Chinese, whatever language the requester's page was in: it is an official
    document, and its figures are kept as printed)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _generate(bulletin_id)


def _generate(bulletin_id):
    """Fill a queued bulletin: its figures (30%), rankings (60%), the document (90%), saved and done (100%).

    Deliberately not one transaction: each step is committed so that its progress shows while the next one
    runs. Each read runs in its own (savepoint) block, and the result is written in one update that only
    applies to a bulletin still running — a bulletin deleted meanwhile is left deleted, its file removed.
    Any error marks the bulletin failed with the message; nothing is raised to the caller.
    """
    claimed = Bulletin.objects.filter(pk=bulletin_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=5, stage=_("开始生成"), started_at=timezone.now(), error=""
    )
    if not claimed:
        return None
    bulletin = Bulletin.objects.select_related("owner").filter(pk=bulletin_id).first()
    if bulletin is None:  # deleted the moment it was claimed
        return None
    owner, start_end = bulletin.owner, month_range(bulletin.year, bulletin.month)
    step = _("统计本月数据")
    try:
        _advance(bulletin_id, 10, step)
        with transaction.atomic():
            work = selectors.work_figures(owner, *start_end)
        step = _("计算考核排名")
        _advance(bulletin_id, 30, _("已统计本月数据，正在计算考核排名"))
        with transaction.atomic():
            ranks = selectors.rankings(owner, *start_end)
            figures = selectors.assemble(owner, bulletin.year, bulletin.month, work, ranks)
        step = _("撰写通报文件")
        _advance(bulletin_id, 60, _("已计算考核排名，正在撰写通报文件"))
        content = write_bulletin(figures, title=bulletin.title, number=bulletin.number, issued_on=bulletin.issued_on)
        step = _("保存通报文件")
        _advance(bulletin_id, 90, _("正在保存通报文件"))
        storage = Bulletin._meta.get_field("file").storage
        name = storage.save(
            f"bulletins/{owner.pk}/{bulletin.year}-{bulletin.month:02d}-v{bulletin.version}.docx", ContentFile(content)
        )
        with transaction.atomic():
            done = Bulletin.objects.filter(pk=bulletin_id, status=Status.RUNNING).update(
                status=Status.DONE,
                progress=100,
                stage=_("已生成"),
                file=name,
                figures=figures,
                finished_at=timezone.now(),
            )
            if done:
                audit.record(
                    action=AuditAction.STATE_CHANGE,
                    obj=bulletin,
                    actor_name=SYSTEM,
                    before={"status": Status.RUNNING},
                    after={"status": Status.DONE, "file": name},
                )
        if not done:
            storage.delete(name)
        return name if done else None
    except Exception as exc:
        logger.exception("bulletin %s failed while %s", bulletin_id, step)
        message = _("在“%(step)s”时出错：%(error)s") % {"step": step, "error": str(exc) or type(exc).__name__}
        with transaction.atomic():
            failed = Bulletin.objects.filter(pk=bulletin_id, status=Status.RUNNING).update(
                status=Status.FAILED, stage=_("生成失败"), error=message[:2000], finished_at=timezone.now()
            )
            if failed:
                audit.record(
                    action=AuditAction.STATE_CHANGE,
                    obj=bulletin,
                    actor_name=SYSTEM,
                    before={"status": Status.RUNNING},
                    after={"status": Status.FAILED},
                    result=AuditResult.FAILURE,
                    message=message,
                )
        return None


def _locked(bulletin):
    return Bulletin.objects.select_for_update().select_related("owner").get(pk=bulletin.pk)


@transaction.atomic
def publish_bulletin(*, actor, bulletin) -> Bulletin:
    """Publish (印发) a generated bulletin: the units of the city may then read it. Its file never changes."""
    bulletin = _locked(bulletin)
    _require_office(actor, bulletin.owner)
    if bulletin.status != Status.DONE:
        raise ValidationError({"status": _("通报尚未生成完成，不能印发。")})
    if bulletin.published_at is not None:
        raise ValidationError(
            {"status": _("该通报已于 %(t)s 印发。") % {"t": timezone.localtime(bulletin.published_at)}}
        )
    bulletin.published_at = timezone.now()
    bulletin.published_by = actor
    bulletin.save(update_fields=["published_at", "published_by", "updated_at"])
    audit.record(
        action=AuditAction.STATE_CHANGE,
        actor=actor,
        obj=bulletin,
        before={"published_at": None},
        after={"published_at": audit.to_jsonable(bulletin.published_at), "published_by": actor.pk},
    )
    return bulletin


@transaction.atomic
def delete_bulletin(*, actor, bulletin) -> None:
    """Delete a bulletin not yet published (a failed one, or a version not wanted); its file goes with it."""
    bulletin = _locked(bulletin)
    _require_office(actor, bulletin.owner)
    if bulletin.published_at is not None:
        raise ValidationError({"status": _("已印发的通报不能删除。")})
    audit.record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=bulletin,
        before=audit.snapshot(bulletin, FIELDS) | {"file": bulletin.file.name},
    )
    name, storage = bulletin.file.name, bulletin.file.storage
    bulletin.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def open_bulletin_file(*, actor, bulletin):
    """The generated file, opened for reading, for someone who may see the bulletin; the download is audited."""
    if bulletin.status != Status.DONE or not bulletin.file:
        raise ValidationError({"status": _("通报尚未生成完成，不能下载。")})
    handle = bulletin.file.open("rb")
    audit.record(action=AuditAction.EXPORT, actor=actor, obj=bulletin, after={"file": bulletin.file.name})
    return handle
