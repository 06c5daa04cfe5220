"""The Celery path for real: with a Redis broker configured (and jobs not forced inline), requesting a bulletin
sends the job to the broker after commit, an in-process worker picks it up, and the bulletin is done.

Needs the Redis server test.sh's machines run on 127.0.0.1:6379 (database 15 is used and emptied).
"""

import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError, connection

from bulletins import services
from bulletins.choices import Status
from bulletins.models import Bulletin
from config.celery import app
from core.background import uses_broker

from .conftest import AFTER_MAY

BROKER = "redis://127.0.0.1:6379/15"


@pytest.fixture
def broker(settings):
    """The app's broker pointed at Redis for this test, and back to what it was afterwards."""
    connection = redis.Redis.from_url(BROKER)
    try:
        connection.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"需要 Redis（{BROKER}）来测试 Celery 后台任务：{exc}")
    connection.flushdb()
    settings.REDIS_URL = BROKER
    settings.ZS_BACKGROUND_INLINE = False
    before = app.conf.broker_url
    app.conf.broker_url = BROKER
    reconnect(app)
    yield app
    app.conf.broker_url = before
    reconnect(app)
    connection.flushdb()


def reconnect(app):
    """Drop the app's broker connections (if any were made) so the next send uses the broker now configured."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


def status_of(pk):
    # The worker writes from its own thread; a read that meets its lock tries again.
    for _attempt in range(20):
        try:
            return Bulletin.objects.values_list("status", "progress", "error").get(pk=pk)
        except OperationalError:
            time.sleep(0.1)
    return Bulletin.objects.values_list("status", "progress", "error").get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_a_worker_generates_the_bulletin_sent_through_redis(org, broker):
    assert uses_broker()  # sent to Redis, not run in this request
    if connection.vendor == "sqlite":
        # The test database is SQLite's shared-cache memory database, where a reader's table lock makes the
        # worker's write fail at once ("database table is locked") rather than wait: this thread's polling reads
        # take no lock (they may see the worker's progress before it commits, which is all they look at).
        connection.cursor().execute("PRAGMA read_uncommitted = 1")
    with start_worker(broker, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        bulletin = services.request_bulletin(actor=org["office"], owner=org.city, year=2023, month=5, today=AFTER_MAY)
        deadline = time.monotonic() + 30
        state = status_of(bulletin.pk)
        while state[0] in (Status.QUEUED, Status.RUNNING) and time.monotonic() < deadline:
            time.sleep(0.3)
            state = status_of(bulletin.pk)
    assert state == (Status.DONE, 100, ""), state
    bulletin.refresh_from_db()
    assert bulletin.file.name.endswith(".docx") and bulletin.figures["city"]["name"] == "运城市"
