"""Changes a person makes to their own sign-in: password, second factor, API token.

Each service is one transaction and writes its own audit record. No secret (password,
TOTP key, token) ever goes into the audit log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from core import audit
from core.models import AuditAction, AuditResult
from organizations.models import User

from .validators import validate_password

DEVICE_NAME = "动态口令"


@transaction.atomic
def change_password(*, user, old_password, new_password):
    """A person replaces their own password, proving they know the current one.

    Clears a forced change (after an administrator's reset) and restarts the 90-day clock.
    The caller keeps the current session alive with `update_session_auth_hash`; every
    other session of the person ends, because its auth hash no longer matches.
    """
    person = User.objects.select_for_update().get(pk=user.pk)
    if not person.check_password(old_password or ""):
        raise ValidationError({"old_password": _("原密码不正确。")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("新密码不能与原密码相同。")})
    try:
        validate_password(new_password, person)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.error_list}) from exc
    was_forced = person.must_change_password
    person.set_password(new_password)
    person.must_change_password = False
    person.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(
        action=AuditAction.CHANGE_PASSWORD,
        actor=person,
        obj=person,
        after={"password_changed_at": person.password_changed_at},
        message=_("按要求修改") if was_forced else "",
    )
    # The caller's user object must carry the new hash for update_session_auth_hash.
    user.password = person.password
    user.password_changed_at = person.password_changed_at
    user.must_change_password = False
    return person


@transaction.atomic
def start_totp_setup(*, user):
    """The device being set up: an unconfirmed TOTP device, reused until it is confirmed.

    Reusing it means reloading the set-up page does not change the QR code under the
    person's phone. It is not audited: nothing is in force until `confirm_totp_device`.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def confirm_totp_device(*, user, device, token):
    """Confirm the device being set up with a token from it; it replaces any earlier device.

    A wrong token is audited and counts towards django-otp's throttling; both are kept
    even though the call then fails, so the error is raised after the transaction.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None:
            raise ValidationError({"token": _("设置已失效，请刷新页面重新扫码。")})
        error = _check_token(device, token)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
            replaced_count = replaced.count()
            replaced.delete()
            audit.record(
                action=AuditAction.OTP_SETUP,
                actor=user,
                object_type="otp_totp.totpdevice",
                object_id=str(device.pk),
                object_repr=str(user),
                message=_("替换原有动态口令") if replaced_count else "",
            )
        else:
            _audit_otp_failure(user, device, error)
    if error is not None:
        raise ValidationError({"token": error})
    return device


def verify_otp(*, user, token):
    """Check a token against the person's confirmed device; return the device that accepted it.

    A wrong token is audited (OTP_FAILED) and throttled by django-otp: after each failure
    the next try must wait twice as long.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            raise ValidationError({"token": _("您尚未绑定动态口令。")})
        error = _check_token(device, token)
        if error is not None:
            _audit_otp_failure(user, device, error)
    if error is not None:
        raise ValidationError({"token": error})
    return device


def _check_token(device, token):
    """None when the token is accepted, else why not, in Chinese."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        if locked_until is not None:
            wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
            return _("错误次数过多，请 %(s)d 秒后再试。") % {"s": wait}
        return _("错误次数过多，请稍后再试。")
    if not device.verify_token(token):
        return _("动态口令不正确或已过期，请输入手机上当前显示的 6 位数字。")
    return None


def _audit_otp_failure(user, device, error):
    audit.record(
        action=AuditAction.OTP_FAILED,
        actor=user,
        object_type="otp_totp.totpdevice",
        object_id=str(device.pk),
        object_repr=str(user),
        result=AuditResult.FAILURE,
        message=error,
    )


@transaction.atomic
def issue_api_token(*, user):
    """Create the person's API token, or replace it: the old one stops working at once."""
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    audit.record(
        action=AuditAction.TOKEN_CREATE,
        actor=user,
        object_type="authtoken.token",
        object_id=str(user.pk),
        object_repr=str(user),
        message=_("替换原有令牌") if replaced else "",
    )
    return token
