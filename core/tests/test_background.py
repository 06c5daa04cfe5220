"""Background work without a broker: the job runs in this process, only once the request's transaction commits
(so it sees the rows it was given, and a rolled-back request leaves no job behind)."""

import pytest
from celery import shared_task
from django.db import transaction

from core.background import enqueue, uses_broker

ran = []


@shared_task
def remember(value):
    ran.append(value)


@pytest.fixture(autouse=True)
def _clear():
    ran.clear()


@pytest.mark.django_db
def test_without_a_broker_the_job_runs_inline_after_commit(django_capture_on_commit_callbacks, settings):
    settings.REDIS_URL = ""
    assert not uses_broker()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(remember, "月度通报")
        assert ran == []  # not before the commit
    assert ran == ["月度通报"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_request_leaves_no_job(settings):
    settings.REDIS_URL = ""
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue(remember, "x")
            raise RuntimeError("表单有误")
    assert ran == []


def test_redis_configured_uses_the_broker_unless_forced_inline(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.ZS_BACKGROUND_INLINE = False
    assert uses_broker()
    settings.ZS_BACKGROUND_INLINE = True
    assert not uses_broker()
