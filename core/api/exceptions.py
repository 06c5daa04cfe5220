"""API errors: every refusal is a JSON body in Chinese, never a 500 with a traceback.

Services raise Django's own exceptions (they are shared with the pages); here they become
the API's answers:

- ``ValidationError`` → 400, ``{"field": ["消息"]}``; errors that belong to no field go
  under ``non_field_errors``, as DRF's own serializer errors do.
- ``PermissionDenied`` → 403, ``{"detail": "消息"}`` with the service's message.
- ``Http404`` / ``DoesNotExist`` → 404 with one message whether the record is missing or
  out of scope, so a 404 never tells whether something exists.
- a body that does not parse → 400 with a Chinese ``detail``.
- ``IntegrityError`` (two requests racing for the same unique value) → 400.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = gettext_lazy("未找到该记录，或您无权查看。")
PERMISSION_DENIED_MESSAGE = gettext_lazy("您无权执行此操作。")
PARSE_ERROR_MESSAGE = gettext_lazy("请求内容无法解析，请检查格式（例如 JSON 是否有效）。")
CONFLICT_MESSAGE = gettext_lazy("数据与已有记录冲突（可能刚被他人修改），请刷新后重试。")


def validation_error_body(exc):
    """A Django ValidationError as DRF's error shape: field → list of messages."""
    key = api_settings.NON_FIELD_ERRORS_KEY
    if hasattr(exc, "error_dict"):
        body = {}
        for field, messages in exc.message_dict.items():
            body.setdefault(key if field == NON_FIELD_ERRORS else field, []).extend(messages)
        return body
    return {key: list(exc.messages)}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        logger.warning("integrity error on %s: %s", getattr(context.get("request"), "path", "?"), exc)
        set_rollback()
        return Response(
            {api_settings.NON_FIELD_ERRORS_KEY: [str(CONFLICT_MESSAGE)]}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, exceptions.ParseError):
        # DRF's message carries the parser's English text; say it in Chinese instead.
        exc = exceptions.ParseError(str(PARSE_ERROR_MESSAGE))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or str(PERMISSION_DENIED_MESSAGE))
    elif isinstance(exc, (Http404, ObjectDoesNotExist)):
        exc = exceptions.NotFound(str(NOT_FOUND_MESSAGE))
    return drf_exception_handler(exc, context)
