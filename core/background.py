"""Background work: on Celery (Redis broker) when REDIS_URL is set, in this process otherwise.

Bulletins, reminders and other long jobs must not hold a request on a big deployment, and
must need no extra server on a laptop (architecture.md). `enqueue(task, *args)` runs a
Celery task after the current transaction commits (so the worker sees the rows it is
given): sent to the broker when one is configured, called right here when not. A task
records its own progress and failure on its row, so the page shows the same thing either
way.
"""

from django.conf import settings
from django.db import transaction


def uses_broker():
    return bool(settings.REDIS_URL) and not getattr(settings, "ZS_BACKGROUND_INLINE", False)


def enqueue(task, *args):
    """Run `task(*args)` once the current transaction commits: on a worker if there is a broker, else inline."""
    if uses_broker():
        transaction.on_commit(lambda: task.delay(*args))
    else:
        transaction.on_commit(lambda: task(*args))
