"""Who may call the API at all; which records they may touch is scope (core.scope), applied by the viewsets.

The page-side security gate (accounts.middleware) lets /api/ through, so the same rules are
enforced here for API requests:

- a person signed in by session who must use a second factor, and has not passed it in
  this session, is refused. Tokens are issued only after a full login (password and,
  where required, TOTP), so a token request passes;
- the audit administrator reads but never writes through the API (三员分立).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from core.scope import scope_of
from organizations.choices import Role


def needs_second_factor(user):
    """Administrators must use TOTP; anyone who has confirmed a TOTP device has opted into it."""
    return scope_of(user).has(*settings.OTP_REQUIRED_ROLES) or user_has_device(user, confirmed=True)


def is_second_factor_verified(user):
    # django_otp's middleware puts is_verified() on the session user; a user that did not
    # pass through it has not been verified.
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


class SecondFactorVerified(BasePermission):
    """A session that still owes its second factor may not use the API."""

    message = _("请先完成动态口令（双因素认证）验证，再使用接口。")

    def has_permission(self, request, view):
        user = request.user
        if user is None or not user.is_authenticated:
            return True  # IsAuthenticated answers for anonymous requests.
        if isinstance(request.successful_authenticator, TokenAuthentication):
            return True
        return not needs_second_factor(user) or is_second_factor_verified(user)


class AuditAdminReadOnly(BasePermission):
    """The audit administrator may read; any write through the API is refused."""

    message = _("审计管理员只能查看，不能通过接口修改数据。")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return not scope_of(request.user).has(Role.AUDIT_ADMIN)


# What every API view of the project uses; the viewsets in core.api.viewsets default to it.
API_PERMISSION_CLASSES = [IsAuthenticated, SecondFactorVerified, AuditAdminReadOnly]
