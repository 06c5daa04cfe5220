import os

# python-docx brings lxml, and openpyxl prefers lxml when it is there; keep openpyxl on defusedxml, the second
# line behind core.spreadsheets' own DOCTYPE check (set before anything imports openpyxl).
os.environ.setdefault("OPENPYXL_LXML", "False")

from .celery import app as celery_app  # noqa: E402

__all__ = ("celery_app",)
