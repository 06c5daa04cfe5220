"""The audit log: one call, `record`, that every service and auth event uses.

Each record carries the hash of the one before it; the hash is SM3 over the previous hash
and a canonical JSON of the record's fields. Editing a record behind the application's
back changes its recomputed hash, and `verify_chain` names it.
"""

import datetime
import decimal
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from .context import client_ip, get_current_request
from .hashing import sm3_hex
from .models import AuditAction, AuditChainHead, AuditEvent, AuditResult

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "created_at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "result",
    "message",
)


def to_jsonable(value):
    """Turn a field value into plain JSON that survives a database round trip unchanged."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return str(value)


def snapshot(obj, fields):
    """The named fields of a model instance as JSON, for `before` and `after`.

    A foreign key is recorded by id (`parent` → `parent_id`), never by fetching the row.
    """
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            data[name] = getattr(obj, field.attname)
        else:
            data[name] = to_jsonable(getattr(obj, name))
    return data


def changed(before, after):
    """Only the keys whose values differ, so a record shows what really changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record_update(*, actor, obj, fields, before):
    """After `obj` is saved, audit what changed among `fields` since `before`; nothing if nothing did."""
    old, new = changed(before, snapshot(obj, fields))
    if new:
        record(action=AuditAction.UPDATE, actor=actor, obj=obj, before=old, after=new)


def canonical(event_fields):
    payload = {}
    for name in HASHED_FIELDS:
        value = event_fields[name]
        if name == "created_at":
            value = value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        payload[name] = value
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def compute_hash(prev_hash, event_fields):
    return sm3_hex((prev_hash + canonical(event_fields)).encode("utf-8"))


def _actor_fields(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def record(
    *,
    action,
    actor=None,
    obj=None,
    object_type="",
    object_id="",
    object_repr="",
    before=None,
    after=None,
    result=AuditResult.SUCCESS,
    message="",
    request=None,
    actor_name=None,
):
    """Append one event to the audit chain, inside the caller's transaction if there is one.

    A service calls it inside its own `transaction.atomic`, so the record and the change
    it describes are written together or not at all.
    """
    request = request or get_current_request()
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    actor_id, name = _actor_fields(actor)
    if actor_name is not None and not name:
        name = actor_name[:150]
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    fields = {
        # Microsecond precision is what both databases keep; hash what will be read back.
        "created_at": timezone.now(),
        "actor_id": actor_id,
        "actor_name": name,
        "ip": (client_ip(request) or "")[:64],
        "action": str(action),
        "object_type": object_type[:100],
        "object_id": str(object_id)[:64],
        "object_repr": str(object_repr)[:200],
        "before": to_jsonable(before),
        "after": to_jsonable(after),
        "result": str(result),
        "message": str(message)[:500],
    }
    with transaction.atomic():
        # get_or_create, not filter-then-create: two first-ever appends racing would
        # otherwise both try to create the head and one would fail on the primary key.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH, "count": 0}
        )
        prev = head.last_hash
        digest = compute_hash(prev, fields)
        event = AuditEvent(prev_hash=prev, hash=digest, **fields)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(last_hash=digest, count=models.F("count") + 1)
    return event


@dataclass
class ChainReport:
    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self):
        # A chain can be broken with no record left to name (every record deleted).
        return not self.reason


def verify_chain(batch_size=2000):
    """Walk the chain oldest first; name the first record whose hash or link does not hold.

    Reads in keyset batches so a chain of millions stays in bounded memory. The head is
    read before the walk: records appended while it runs come after the head's record
    and continue the chain, so a live system does not look truncated.
    """
    head = AuditChainHead.objects.filter(pk=1).values("last_hash", "count").first()
    expected_count = head["count"] if head else 0
    prev = GENESIS_HASH
    last_id = None
    hash_at_head = GENESIS_HASH if expected_count == 0 else None
    checked = 0
    names = ("id", "prev_hash", "hash", *HASHED_FIELDS)
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id or 0).order_by("id").values(*names)[:batch_size])
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != prev:
                return ChainReport(checked, row["id"], "前一条哈希与链不符（其前的记录被删除或改动）")
            if compute_hash(prev, row) != row["hash"]:
                return ChainReport(checked, row["id"], "内容与哈希不符（该记录被改动）")
            prev = row["hash"]
            last_id = row["id"]
            checked += 1
            if checked == expected_count:
                hash_at_head = prev
    if head is not None and hash_at_head != head["last_hash"]:
        if checked < expected_count:
            return ChainReport(checked, last_id, "链尾与链头不符（最新的记录被删除）")
        return ChainReport(checked, last_id, "链头与记录不符（链头或记录被改动）")
    return ChainReport(checked)
