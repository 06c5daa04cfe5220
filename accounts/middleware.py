"""Session limits and the security gate that every signed-in request passes.

- Idle and absolute session limits (settings SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT).
- A person whose password was reset or has expired must change it before anything else.
- An administrator (settings OTP_REQUIRED_ROLES) must set up and use a TOTP second factor.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import scope_of

SESSION_STARTED = "zs_started"
SESSION_SEEN = "zs_seen"

# Paths a person can reach while the gate holds them (log out, change password, set up TOTP).
GATE_EXEMPT_NAMES = (
    "accounts:logout",
    "accounts:password_change",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "set_language",
)


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("会话已超时，请重新登录。"))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session[SESSION_STARTED] = started
            # Write the activity stamp at most once a minute, not on every request.
            if now - seen >= 60 or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


def password_expired(user):
    if user.must_change_password:
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age or user.password_changed_at is None:
        return user.password_changed_at is None and bool(max_age)
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)


def otp_required(user):
    return scope_of(user).has(*settings.OTP_REQUIRED_ROLES)


class SecurityGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._exempt(request):
            return self.get_response(request)
        if otp_required(user) and not user.is_verified():
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
            return redirect(reverse(target))
        if password_expired(user):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)

    def _exempt(self, request):
        path = request.path
        if path.startswith(settings.STATIC_URL) or path.startswith("/api/"):
            return True
        return any(path == reverse(name) for name in GATE_EXEMPT_NAMES)
