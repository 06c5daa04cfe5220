"""Auth events into the audit log: sign-in, sign-out, failed sign-in and lockout.

These receivers only record; no business rule lives here. A failed sign-in has no
authenticated user, so the attempted username is recorded as the actor's name, and an
anonymous actor is passed explicitly so that nobody else's name is put on it. The
password never reaches these receivers (Django cleans the credentials first) and is
never recorded.
"""

from axes.helpers import get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import AuditAction, AuditResult

LOGOUT_REASONS = {
    "idle": gettext_lazy("会话空闲超时"),
    "absolute": gettext_lazy("会话达到最长时限"),
}


def _object_fields(user):
    return {"object_type": user._meta.label_lower, "object_id": str(user.pk), "object_repr": str(user)}


@receiver(user_logged_in, dispatch_uid="zs_audit_login")
def audit_login(sender, request, user, **kwargs):
    audit.record(action=AuditAction.LOGIN, actor=user, request=request, **_object_fields(user))


@receiver(user_logged_out, dispatch_uid="zs_audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "zs_logout_reason", "")
    audit.record(
        action=AuditAction.LOGOUT,
        actor=user,
        request=request,
        message=str(LOGOUT_REASONS.get(reason, "")),
        **_object_fields(user),
    )


@receiver(user_login_failed, dispatch_uid="zs_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    audit.record(
        action=AuditAction.LOGIN_FAILED,
        actor=AnonymousUser(),
        actor_name=username,
        request=request,
        result=AuditResult.FAILURE,
        message=_failure_message(request),
    )


def _failure_message(request):
    # django-axes' receiver runs before this one and has flagged the request by now.
    if not getattr(request, "axes_locked_out", False):
        return _("用户名或密码错误")
    failures = getattr(request, "axes_failures_since_start", None) or 0
    if failures > get_failure_limit(request, None):
        return _("账号锁定期间尝试登录，已拒绝（未核对密码）")
    return _("用户名或密码错误，失败次数达到上限，账号锁定")


@receiver(user_locked_out, dispatch_uid="zs_audit_lockout")
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    cool_off = get_cool_off(request)
    # Each attempt during a lockout restarts the cool-off (django-axes' default), so the
    # account opens again one cool-off after now.
    until = timezone.now() + cool_off if cool_off else None
    until_text = f"{timezone.localtime(until):%Y-%m-%d %H:%M}" if until else ""
    if request is not None:
        request.zs_locked_until = until
    limit = get_failure_limit(request, None) if request is not None else None
    failures = getattr(request, "axes_failures_since_start", None)
    if until is None:
        message = _("账号已被永久锁定，须由管理员解锁")
    elif failures is not None and limit is not None and failures > limit:
        message = _("锁定期间再次尝试登录，锁定延长至 %(t)s") % {"t": until_text}
    else:
        message = _("连续登录失败，账号锁定至 %(t)s") % {"t": until_text}
    audit.record(
        action=AuditAction.LOCKOUT,
        actor=AnonymousUser(),
        actor_name=str(username or ""),
        request=request,
        result=AuditResult.FAILURE,
        message=message,
    )
