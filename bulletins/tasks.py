"""The bulletin's background job: on a Celery worker when a broker is configured, in-process otherwise."""

from celery import shared_task

from . import services


@shared_task(name="bulletins.generate_bulletin")
def generate_bulletin_task(bulletin_id):
    """Generate one queued bulletin; the service records progress, the result or the failure on its row."""
    return services.generate_bulletin(bulletin_id=bulletin_id)
