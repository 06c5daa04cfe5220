"""Photos and files attached to records: checked on the way in, served only to those who may see the record.

A visit's photos are taken on a phone in a car park; a stage's evidence is a scanned
contract. Both must be what they claim to be (the bytes, not just the name), small enough,
and never served to someone who may not open the record they belong to.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from . import audit
from .models import Attachment, AuditAction

# Leading bytes of the formats accepted; a name that lies about its content is refused.
SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".heic": (b"\x00\x00\x00",),
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ofd": (b"PK\x03\x04",),
}
MIME_TYPES = {".heic": "image/heic", ".ofd": "application/ofd", ".webp": "image/webp"}


def max_bytes():
    return getattr(settings, "ZS_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)


def check_upload(upload):
    """Refuse a file that is too big, of a kind not accepted, or whose bytes do not match its name."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise ValidationError(
            {
                "files": _("不支持的文件类型“%(name)s”：可上传照片（jpg、png、heic）、PDF、Word、Excel 或 OFD。")
                % {"name": name}
            }
        )
    if upload.size > max_bytes():
        raise ValidationError(
            {"files": _("文件“%(name)s”超过 %(mb)d MB。") % {"name": name, "mb": max_bytes() // (1024 * 1024)}}
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[suffix]):
        raise ValidationError({"files": _("文件“%(name)s”的内容与扩展名不符。") % {"name": name}})
    return name, suffix


@transaction.atomic
def attach_files(*, actor, record, files):
    """Attach uploaded files to `record`; the caller has already checked the actor may change it."""
    checked = [(upload, *check_upload(upload)) for upload in files or []]
    content_type = ContentType.objects.get_for_model(record)
    made = []
    for upload, name, suffix in checked:
        mime = MIME_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        attachment = Attachment(
            content_type=content_type,
            object_id=record.pk,
            original_name=name[:255],
            size=upload.size,
            mime_type=mime,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        made.append(attachment)
        audit.record(
            action=AuditAction.ATTACH,
            actor=actor,
            obj=record,
            after={"attachment": attachment.pk, "name": name, "size": upload.size},
        )
    return made


def serve_attachment(request, pk):
    """Send the file if the user may see the record it belongs to; otherwise a 404, revealing nothing."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("未找到该附件，或您无权查看。"))
    model = attachment.content_type.model_class()
    manager = getattr(model, "objects", None)
    if manager is None or not hasattr(manager, "visible_to"):
        raise Http404(_("未找到该附件，或您无权查看。"))
    if not manager.visible_to(request.user).filter(pk=attachment.object_id).exists():
        raise Http404(_("未找到该附件，或您无权查看。"))
    if not request.user.is_authenticated:
        raise PermissionDenied
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    return response
