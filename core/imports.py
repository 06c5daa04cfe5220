"""Import jobs: an uploaded ledger is checked and previewed first, imported when its uploader confirms.

The upload page and the confirmation both call these services; the ledger mechanism
itself (checking, writing, auditing) is in core/ledgers.py.
"""

import logging
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .ledgers import get_ledger, import_ledger, rejected_rows_workbook
from .models import AuditAction, ImportJob, ImportJobStatus
from .spreadsheets import SpreadsheetError

logger = logging.getLogger(__name__)

REJECTED_NAME = "rejected.xlsx"


def _job_summary(result):
    summary = result.summary()
    summary["headers"] = result.headers
    summary["preview"] = result.preview
    summary["problems_truncated"] = result.problems_truncated
    return summary


def _save_rejected(job, rejected, result):
    if result.rejected:
        rejected.seek(0)
        job.rejected_file.save(REJECTED_NAME, File(rejected), save=False)


def create_import_job(*, ledger, org, upload, actor, good_rows_only=False):
    """Check an uploaded ledger (a dry run) and keep it as a job to preview; returns the job.

    A file refused as a whole (not an .xlsx, a zip bomb, no header …) raises
    ValidationError on the `file` field and nothing is stored. Bad rows do not: they are
    what the preview shows.
    """
    with tempfile.TemporaryFile() as rejected:
        try:
            result = import_ledger(
                ledger, upload, actor=actor, org=org, good_rows_only=good_rows_only, dry_run=True, rejected_out=rejected
            )
        except SpreadsheetError as exc:
            raise ValidationError({"file": str(exc)})
        job = ImportJob(
            ledger=ledger.name,
            org=org,
            created_by=actor,
            original_name=Path(upload.name or "").name[:255] or "ledger.xlsx",
            good_rows_only=good_rows_only,
            status=ImportJobStatus.PREVIEWED,
            summary=_job_summary(result),
            problems=[problem.as_dict() for problem in result.problems],
        )
        upload.seek(0)
        job.file.save(job.original_name, File(upload), save=False)
        try:
            _save_rejected(job, rejected, result)
            with transaction.atomic():
                job.save()
                audit.record(
                    action=AuditAction.CREATE,
                    actor=actor,
                    obj=job,
                    after={"ledger": ledger.name, "org": org.pk, "name": job.original_name, **result.summary()},
                    message=_("上传%(title)s待导入：%(name)s") % {"title": ledger.title, "name": job.original_name},
                )
        except BaseException:
            # The row was not written, so its files must not stay behind either.
            job.file.delete(save=False)
            if job.rejected_file:
                job.rejected_file.delete(save=False)
            raise
    return job


def run_import_job(*, job, actor):
    """Import a previewed job's file for real (one transaction, audited); returns the job, updated.

    A job imports once. A file with bad rows imports only if the uploader chose "good rows
    only" (ValidationError otherwise, nothing written). A failure part-way writes nothing
    and leaves the job marked failed with the reason.
    """
    if job.status == ImportJobStatus.IMPORTED:
        raise ValidationError(_("该文件已经导入，不能重复导入。"))
    try:
        ledger = get_ledger(job.ledger)
    except KeyError:
        raise ValidationError(_("该台账已不再支持导入。"))
    with tempfile.TemporaryFile() as rejected:
        try:
            with job.file.open("rb") as fileobj:
                result = import_ledger(
                    ledger,
                    fileobj,
                    actor=actor,
                    org=job.org,
                    good_rows_only=job.good_rows_only,
                    rejected_out=rejected,
                )
        except PermissionDenied:
            raise
        except SpreadsheetError as exc:
            return _fail(job, str(exc))
        except Exception:
            # The import's transaction has rolled back; the person needs to know that, not a 500.
            logger.exception("import job %s failed", job.pk)
            return _fail(job, _("导入失败，未写入任何数据。请稍后重试，或联系系统管理员。"))
        if not result.ok:
            job.summary = _job_summary(result)
            job.problems = [problem.as_dict() for problem in result.problems]
            job.save(update_fields=["summary", "problems", "updated_at"])
            raise ValidationError(
                _("文件中有 %(count)d 行有错误，未导入任何数据。请修改后重新上传，或选择“仅导入正确的行”。")
                % {"count": result.rejected}
            )
        if job.rejected_file:
            job.rejected_file.delete(save=False)
        _save_rejected(job, rejected, result)
    job.status = ImportJobStatus.IMPORTED
    job.summary = _job_summary(result)
    job.problems = [problem.as_dict() for problem in result.problems]
    job.save(update_fields=["status", "summary", "problems", "rejected_file", "updated_at"])
    return job


def _fail(job, reason):
    job.status = ImportJobStatus.FAILED
    job.summary = {**job.summary, "error": reason, "written": False}
    job.save(update_fields=["status", "summary", "updated_at"])
    return job


def rejected_workbook_for(job):
    """The rejected rows of a job as .xlsx bytes: the file kept from its last check, or rebuilt."""
    if job.rejected_file:
        with job.rejected_file.open("rb") as fh:
            return fh.read()
    ledger = get_ledger(job.ledger)
    with job.file.open("rb") as fileobj:
        return rejected_rows_workbook(ledger, fileobj, job.problems)
