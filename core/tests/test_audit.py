"""The audit chain: records cannot be changed through the application, and a change made
behind its back is found and named by `manage.py verify_audit_chain`."""

import datetime
import decimal
import threading
import uuid
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core import audit
from core.audit import GENESIS_HASH, HASHED_FIELDS, compute_hash, record, verify_chain
from core.models import AuditAction, AuditChainHead, AuditEvent, AuditResult

pytestmark = pytest.mark.django_db


def make_events(n, **extra):
    return [
        record(
            action=AuditAction.UPDATE,
            actor_name=f"操作员{i}",
            object_type="organizations.unit",
            object_id=str(i),
            object_repr=f"单位{i}",
            before={"name": f"旧名{i}"},
            after={"name": f"新名{i}"},
            message=f"第{i}次修改",
            **extra,
        )
        for i in range(n)
    ]


def run_verify():
    """Run the command as cron would; return (exit code, everything it printed)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


def raw_sql(sql, params):
    # Behind the application's back: the model refuses updates and deletes.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- appending -----------------------------------------------------------------------


def test_each_record_carries_the_hash_of_the_one_before():
    first, second, third = make_events(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_hash == third.hash
    assert head.count == 3


def test_a_record_names_its_object_actor_and_result(org):
    unit = org.team
    event = record(
        action=AuditAction.DEACTIVATE,
        actor=org["sysadmin"],
        obj=unit,
        before={"active": True},
        after={"active": False},
        result=AuditResult.FAILURE,
        message="测试",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id == org["sysadmin"].pk
    assert event.actor_name == "sysadmin"
    assert event.object_type == "organizations.unit"
    assert event.object_id == str(unit.pk)
    assert event.object_repr == str(unit)
    assert event.result == AuditResult.FAILURE
    assert event.get_action_display() == "停用"


def test_the_hash_is_the_same_after_a_database_round_trip():
    awkward = {
        "amount": decimal.Decimal("12345.6700"),
        "ratio": 0.1,
        "signed_on": datetime.date(2026, 3, 1),
        "at": datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC),
        "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "tags": {"钢", "碳基新材料", "光伏"},
        "nested": {"z": [1, 2, {"名称": "运城经开区"}], "a": None, "b": True},
        "text": '引号"与\\反斜杠\n换行',
    }
    event = record(action=AuditAction.CREATE, actor_name="张三", before=None, after=awkward, message="往返")
    reread = AuditEvent.objects.get(pk=event.pk)
    fields = {name: getattr(reread, name) for name in HASHED_FIELDS}
    assert compute_hash(reread.prev_hash, fields) == reread.hash == event.hash
    row = AuditEvent.objects.filter(pk=event.pk).values(*HASHED_FIELDS).get()
    assert compute_hash(event.prev_hash, row) == event.hash


def test_the_first_append_creates_the_chain_head():
    assert not AuditChainHead.objects.exists()
    event = record(action=AuditAction.LOGIN, actor_name="张三")
    assert AuditChainHead.objects.get(pk=1).last_hash == event.hash


# --- nothing in the application changes a record --------------------------------------


def test_saving_an_existing_record_is_refused():
    event = make_events(1)[0]
    event.message = "改过了"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).message == "第0次修改"


def test_deleting_a_record_is_refused():
    event = make_events(1)[0]
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_are_refused():
    make_events(2)
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(message="改过了")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(action=AuditAction.UPDATE).update(result=AuditResult.FAILURE)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


# --- verify_audit_chain -----------------------------------------------------------------


def test_an_untouched_chain_is_reported_whole_with_its_count():
    make_events(7)
    code, output = run_verify()
    assert code == 0
    assert "审计链完整：共 7 条记录" in output


def test_an_empty_chain_is_whole():
    code, output = run_verify()
    assert code == 0
    assert "审计链完整：共 0 条记录" in output


def test_a_record_edited_behind_the_applications_back_is_named():
    events = make_events(6)
    target = events[3]
    raw_sql("UPDATE core_auditevent SET message = %s WHERE id = %s", ["已被篡改", target.pk])

    report = verify_chain()
    assert not report.ok
    assert report.broken_id == target.pk
    assert report.checked == 3

    code, output = run_verify()
    assert code == 1
    assert f"第一条被破坏的记录：#{target.pk}（" in output
    assert "操作 修改" in output
    assert "内容与哈希不符" in output
    # Only that record is named, not the ones after it.
    for other in events[4:]:
        assert f"#{other.pk}" not in output


def test_an_edited_before_value_is_found():
    events = make_events(3)
    raw_sql("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["别人", events[0].pk])
    assert verify_chain().broken_id == events[0].pk


def test_a_record_whose_hash_was_recomputed_breaks_the_link_to_the_next():
    events = make_events(4)
    tampered = events[1]
    fields = {name: getattr(tampered, name) for name in HASHED_FIELDS} | {"message": "改过并重算哈希"}
    new_hash = compute_hash(tampered.prev_hash, fields)
    raw_sql(
        "UPDATE core_auditevent SET message = %s, hash = %s WHERE id = %s", ["改过并重算哈希", new_hash, tampered.pk]
    )
    report = verify_chain()
    assert report.broken_id == events[2].pk
    assert "前一条哈希" in report.reason


def test_a_deleted_middle_record_is_reported_at_the_record_after_the_gap():
    events = make_events(5)
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    code, output = run_verify()
    assert code == 1
    assert f"第一条被破坏的记录：#{events[3].pk}（" in output
    assert "前一条哈希与链不符" in output


def test_a_deleted_newest_record_is_found_from_the_chain_head():
    events = make_events(4)
    raw_sql("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    report = verify_chain()
    assert not report.ok
    assert report.broken_id == events[-2].pk
    assert "最新的记录被删除" in report.reason


def test_a_log_emptied_behind_the_applications_back_is_not_whole():
    make_events(3)
    raw_sql("DELETE FROM core_auditevent", [])
    code, output = run_verify()
    assert code == 1
    assert "审计链已被破坏" in output


def test_the_walk_reads_in_batches_and_finds_a_break_in_a_later_batch():
    events = make_events(23)
    assert verify_chain(batch_size=5).ok
    assert verify_chain(batch_size=5).checked == 23
    raw_sql("UPDATE core_auditevent SET ip = %s WHERE id = %s", ["10.0.0.9", events[17].pk])
    assert verify_chain(batch_size=5).broken_id == events[17].pk


def test_records_appended_while_the_walk_runs_are_not_a_false_alarm():
    make_events(6)
    original = audit.compute_hash
    appended = []

    def hash_and_append_once(prev, fields):
        # Another request appends while verification is half-way through the chain.
        if not appended:
            appended.append(True)
            with mock.patch.object(audit, "compute_hash", original):
                make_events(3)
        return original(prev, fields)

    with mock.patch.object(audit, "compute_hash", hash_and_append_once):
        report = verify_chain(batch_size=2)
    assert report.ok, report.reason
    assert report.checked == 9


def test_a_record_appended_just_as_the_chain_head_is_read_is_not_a_false_alarm():
    make_events(4)
    original = AuditChainHead.objects.filter
    appended = []

    def append_then_filter(*args, **kwargs):
        if not appended:
            appended.append(True)
            make_events(2)
        return original(*args, **kwargs)

    with mock.patch.object(AuditChainHead.objects, "filter", side_effect=append_then_filter):
        report = verify_chain()
    assert appended
    assert report.ok, report.reason


def test_many_appends_in_separate_transactions_keep_the_chain_valid():
    from django.db import transaction

    for batch in range(20):
        with transaction.atomic():
            make_events(10)
            if batch % 5 == 0:
                assert verify_chain().ok
    assert AuditEvent.objects.count() == 200
    report = verify_chain(batch_size=37)
    assert report.ok
    assert report.checked == 200
    assert AuditChainHead.objects.get(pk=1).count == 200
    code, output = run_verify()
    assert code == 0
    assert "审计链完整：共 200 条记录" in output


def test_a_rolled_back_transaction_leaves_no_record_and_no_hole():
    from django.db import transaction

    make_events(2)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        make_events(1)
        raise Boom
    make_events(2)
    assert AuditEvent.objects.count() == 4
    assert verify_chain().ok


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_appends_from_several_threads_keep_the_chain_valid():
    errors = []

    def worker(n):
        from django.db import connections

        try:
            for i in range(15):
                record(action=AuditAction.UPDATE, actor_name=f"线程{n}", object_id=str(i))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = verify_chain()
    assert report.ok, report.reason
    assert report.checked == 60
