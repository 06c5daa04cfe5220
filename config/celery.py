"""The Celery application: used only when REDIS_URL is set (core.background decides).

A worker: `celery -A config worker -B -l info` (-B also runs the daily reminders).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhaoshang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
