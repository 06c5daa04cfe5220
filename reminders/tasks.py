"""The daily reminders as a Celery task: scheduled by CELERY_BEAT_SCHEDULE (config/settings/base.py), and queued by
the office's "立即发送提醒" through core.background (run inline when there is no broker)."""

from celery import shared_task


@shared_task(name="reminders.tasks.send_reminders_task")
def send_reminders_task(city_id=None):
    """Send today's reminders: to everyone, or to the people and channels of one city."""
    from . import services

    run = services.send_reminders(cities=[city_id] if city_id else None)
    return {"people": len(run.deliveries), "sent": run.sent}
