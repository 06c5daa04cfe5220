"""Session limits and the security gate that every signed-in request passes.

- Idle and absolute session limits (settings SESSION_IDLE_TIMEOUT, SESSION_ABSOLUTE_TIMEOUT).
- Anyone who has a confirmed TOTP device, and every holder of a role in
  settings.OTP_REQUIRED_ROLES, must pass the second factor before anything else; an
  administrator without a device is sent to set one up.
- A person whose password was reset or has expired must change it before anything else.
"""

import time
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import user_has_device

from core.scope import scope_of

SESSION_STARTED = "zs_started"
SESSION_SEEN = "zs_seen"
# Set in the fresh session after a timeout so the login page can say why.
SESSION_ENDED_NOTICE = "zs_session_ended"

# Paths a person can reach while the gate holds them (log out, change password, set up TOTP).
GATE_EXEMPT_NAMES = (
    "accounts:logout",
    "accounts:password_change",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "set_language",
)

# Only the activity stamp is rewritten, and at most this often: not a session write per request.
SEEN_WRITE_INTERVAL = 60


def with_next(url, next_url):
    """`url` with a ?next= that brings the person back where they were going."""
    if not next_url:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def start_session_clock(request):
    """Stamp a freshly signed-in session: both limits count from now."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionLimitsMiddleware:
    """End a session idle for longer than SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    Missing stamps count as "now", so a session made by `Client.force_login` starts its clock
    at its first request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            reason = None
            if now - seen > settings.SESSION_IDLE_TIMEOUT:
                reason = "idle"
            elif now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                reason = "absolute"
            if reason:
                return self._end(request, reason)
            if SESSION_STARTED not in request.session:
                request.session[SESSION_STARTED] = started
            if now - seen >= SEEN_WRITE_INTERVAL or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)

    def _end(self, request, reason):
        # The logout signal's audit record reads the reason from the request.
        request.zs_logout_reason = reason
        logout(request)
        # The message framework is not set up yet at this point of the chain; the notice
        # travels in the new (anonymous) session and the login page shows it.
        request.session[SESSION_ENDED_NOTICE] = reason
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("会话已超时，请重新登录。")}, status=401)
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(with_next(reverse(settings.LOGIN_URL), next_url))


def password_expired(user):
    """True when the password must be changed now: reset by an administrator, or too old."""
    if user.must_change_password:
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    if user.password_changed_at is None:
        return True
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)


def otp_required(user):
    """An administrator (settings.OTP_REQUIRED_ROLES) may not work without a second factor."""
    return scope_of(user).has(*settings.OTP_REQUIRED_ROLES)


def second_factor_step(user):
    """The OTP page a signed-in, unverified person must pass first, or None.

    Whoever has a confirmed device must use it; an administrator without one must set it up.
    """
    # Right after django.contrib.auth.login() the user object is not yet wrapped by
    # django-otp's middleware and has no is_verified(): it is not verified then.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return "accounts:otp_verify"
    if otp_required(user):
        return "accounts:otp_setup"
    return None


class SecurityGateMiddleware:
    """Hold a signed-in person at the second factor, then at a forced password change.

    Pages get a redirect (with ?next=); a session-authenticated API call gets a 403 in JSON,
    so the API is not a way round the gate. Token-authenticated API calls carry no session
    and are not seen here: a token is issued only from a fully signed-in session.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._exempt(request):
            return self.get_response(request)
        step = second_factor_step(user)
        if step is None and password_expired(user):
            step = "accounts:password_change"
        if step is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if step == "accounts:password_change":
                detail = _("请先修改密码。")
            else:
                detail = _("请先完成动态口令验证。")
            return JsonResponse({"detail": detail}, status=403)
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(with_next(reverse(step), next_url))

    def _exempt(self, request):
        path = request.path
        if path.startswith(settings.STATIC_URL):
            return True
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in GATE_EXEMPT_NAMES)
        return path in self._exempt_paths
