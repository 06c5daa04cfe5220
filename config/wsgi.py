"""WSGI entry point. In production the start-up checks run before the first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()

from core.startup import assert_safe_to_serve  # noqa: E402

assert_safe_to_serve()
