"""System checks of our own, run by `manage.py check --deploy`."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from .startup import demo_users_exist, is_production


@register(Tags.security, deploy=True)
def check_no_demo_users(app_configs=None, **kwargs):
    """Demo accounts have published passwords: none may exist in production."""
    if not is_production():
        return []
    try:
        found = demo_users_exist()
    except DatabaseError:
        # Not migrated yet, or not reachable: nothing to check here; start-up checks again.
        return []
    if not found:
        return []
    return [
        Error(
            "生产环境中存在演示账号（is_demo=True）。",
            hint="删除全部演示账号后再上线；演示账号只能用于演示环境。",
            id="core.E001",
        )
    ]
