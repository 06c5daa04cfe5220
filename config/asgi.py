"""ASGI entry point; the same start-up checks as WSGI."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_asgi_application()

from core.startup import assert_safe_to_serve  # noqa: E402

assert_safe_to_serve()
