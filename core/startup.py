"""Checks that must pass before a production process serves its first request.

config/wsgi.py calls `assert_safe_to_serve()` after Django is set up; a failure stops the
process with a message in Chinese instead of serving with demo accounts or a known key.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


def is_production():
    return bool(getattr(settings, "PRODUCTION", False))


def default_secret_key():
    from config.settings.base import DEFAULT_SECRET_KEY

    return DEFAULT_SECRET_KEY


def demo_users_exist():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_demo=True).exists()


def assert_safe_to_serve():
    """Refuse to serve in production with the default secret key or with demo accounts."""
    if not is_production():
        return
    if not settings.SECRET_KEY or settings.SECRET_KEY == default_secret_key():
        raise ImproperlyConfigured("生产环境不能使用默认的 SECRET_KEY，请通过环境变量设置随机密钥。")
    try:
        found = demo_users_exist()
    except DatabaseError as exc:
        # Fail closed: without the database we cannot tell that no demo account exists.
        raise ImproperlyConfigured("无法连接数据库，不能确认生产环境中没有演示账号，拒绝启动。") from exc
    if found:
        raise ImproperlyConfigured(
            "生产环境中存在演示账号（is_demo），拒绝启动。请先删除全部演示账号："
            "演示账号使用公开的口令，只能用于演示环境。"
        )
