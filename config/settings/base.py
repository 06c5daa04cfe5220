"""Settings shared by every environment; everything that differs comes from the environment.

Environment variables read here:
  DATABASE_URL    default: SQLite (WAL) at $ZS_DATA_DIR/zhaoshang.sqlite3
  REDIS_URL       optional: cache, sessions' cache and (later) Celery broker
  SECRET_KEY      required in production
  ALLOWED_HOSTS   comma-separated
  ZS_DATA_DIR     where the SQLite file and uploads live (default ./data)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("ZS_DATA_DIR", BASE_DIR / "data"))

# Used only outside production; prod.py refuses to start with it.
DEFAULT_SECRET_KEY = "django-insecure-zhaoshang-development-only-key"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "core",
    "organizations",
    "accounts",
    "chains",
    "enterprises",
    "outreach",
    "leads",
    "projects",
    "service",
    "targets",
    "reports",
    "reminders",
    "assessment",
    "bulletins",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.RequestContextMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecurityGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # AxesMiddleware must be last: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
SQLITE_DEFAULT_PATH = DATA_DIR / "zhaoshang.sqlite3"


def database_from_env(url=None):
    """Build DATABASES['default'] from DATABASE_URL; SQLite gets WAL and immediate writes."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_DEFAULT_PATH}"
    db = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing half-way.
        db["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                # 64 MiB of page cache (the default is 2): a big import or report works in memory.
                "PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: it pays off for long analytical scans, but on a deep list page whose estimated cost crosses
        # jit_above_cost it spent ~640 ms compiling a query that runs in ~30 ms (docs/performance.md).
        options = db.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    return db


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work --------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Celery runs only with a broker (core.background); without one, jobs run in the request's process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {"task": "reminders.tasks.send_reminders_task", "schedule": 60 * 60 * 24},
}
# Force jobs inline even with Redis configured (a laptop with Redis for the cache but no worker).
ZS_BACKGROUND_INLINE = os.environ.get("ZS_BACKGROUND_INLINE", "") == "1"

# --- Auth and security ----------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.NotUsernameValidator"},
]
# 等保: passwords expire; a reset by an administrator forces a change at next login.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))

# Lockout: 5 failures lock the account for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
# Lock the account, not the address: offices sit behind one NAT address, and locking it
# would let five typos lock out a whole county. axes.W006 warns about exactly this choice.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0")) or None

# Sessions: 30 minutes idle, 8 hours in all.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8")) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Roles that must use a second factor.
OTP_REQUIRED_ROLES = ["system_admin", "audit_admin"]
OTP_TOTP_ISSUER = "招商 Zhaoshang"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Signed in, second factor passed where required, and the audit administrator reads only.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.api.permissions.SecondFactorVerified",
        "core.api.permissions.AuditAdminReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhaoshang 招商 API",
    "DESCRIPTION": "招商引资管理系统接口：组织、人员，及后续的台账、线索、项目。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the public validator service: intranets have no internet.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `kind` or `category`: name each enum after its own choices.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "organizations.choices.UnitKind",
        "CompanyKindEnum": "enterprises.choices.CompanyKind",
        "LeaderKindEnum": "chains.choices.LeaderKind",
        "CompanyCategoryEnum": "enterprises.choices.CompanyCategory",
        "ProjectKindEnum": "projects.choices.ProjectKind",
        "ProjectStageEnum": "projects.choices.Stage",
        "EvidenceKindEnum": "projects.choices.EvidenceKind",
        "StageVerificationEnum": "projects.choices.Verification",
        "SigningFormEnum": "projects.choices.SigningForm",
        "DutyEnum": "projects.choices.Duty",
        "AmendmentKindEnum": "projects.choices.AmendmentKind",
        "RoundLevelEnum": "projects.choices.RoundLevel",
        "RoundBatchEnum": "projects.choices.Batch",
        "RateBasisEnum": "projects.choices.RateBasis",
        "LeadSourceEnum": "leads.choices.LeadSource",
        "LeadStatusEnum": "leads.choices.LeadStatus",
        "ProblemSourceEnum": "service.choices.Source",
        "ProblemUrgencyEnum": "service.choices.Urgency",
        "ProblemStatusEnum": "service.choices.ProblemStatus",
        "ProblemSatisfactionEnum": "service.choices.Satisfaction",
        "ProblemEventKindEnum": "service.choices.ProblemEventKind",
        "EscalationReasonEnum": "service.choices.EscalationReason",
        "MeetingKindEnum": "service.choices.MeetingKind",
        "ReminderKindEnum": "reminders.choices.ReminderKind",
        "ReminderSeverityEnum": "reminders.choices.Severity",
        "NotificationChannelKindEnum": "reminders.choices.ChannelKind",
        "ReportKindEnum": "reports.choices.ReportKind",
        "ReportStatusEnum": "reports.choices.ReportStatus",
    },
}

# --- Pages ----------------------------------------------------------------------------
PAGE_SIZE = 25
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# --- Imports --------------------------------------------------------------------------
# Limits on an uploaded ledger (core/spreadsheets.py): a hostile file is refused from its
# zip directory before anything is parsed.
ZS_IMPORT_MAX_FILE_BYTES = int(os.environ.get("ZS_IMPORT_MAX_FILE_MB", "50")) << 20
ZS_IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ZS_IMPORT_MAX_UNCOMPRESSED_MB", "200")) << 20
ZS_IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("ZS_IMPORT_MAX_COMPRESSION_RATIO", "100"))
ZS_IMPORT_MAX_ROWS = int(os.environ.get("ZS_IMPORT_MAX_ROWS", "200000"))
# Every bad row is counted; this many are listed (and kept with the import job).
ZS_IMPORT_MAX_REPORTED_ERRORS = 1000
# Uploaded ledgers are kept here, outside MEDIA_ROOT: nothing serves them but the import pages.
ZS_IMPORT_DIR = Path(os.environ.get("ZS_IMPORT_DIR", DATA_DIR / "imports"))

# The public complaint form (接诉即办, service/public.py): per client address and hour, how many
# complaints may be filed and how many look-ups (number + phone) made before a 429.
ZS_COMPLAINT_PER_HOUR = int(os.environ.get("ZS_COMPLAINT_PER_HOUR", "5"))
ZS_COMPLAINT_LOOKUPS_PER_HOUR = int(os.environ.get("ZS_COMPLAINT_LOOKUPS_PER_HOUR", "30"))

# Reminders (reminders/): the notifiers each daily run hands its reminders to (in-app is always on);
# e-mail to everyone with an address when ZS_NOTIFY_EMAIL=1 (else only in cities with an e-mail channel);
# the schemes a group robot's webhook URL may use, how long to wait for it, and the address links point to.
ZS_NOTIFIERS = [
    "reminders.notifiers.InAppNotifier",
    "reminders.notifiers.EmailNotifier",
    "reminders.notifiers.WebhookNotifier",
]
ZS_NOTIFY_EMAIL = os.environ.get("ZS_NOTIFY_EMAIL", "") == "1"
ZS_WEBHOOK_SCHEMES = [s.strip() for s in os.environ.get("ZS_WEBHOOK_SCHEMES", "https,http").split(",") if s.strip()]
ZS_WEBHOOK_TIMEOUT = int(os.environ.get("ZS_WEBHOOK_TIMEOUT", "5"))
ZS_SITE_URL = os.environ.get("ZS_SITE_URL", "")

# Audit records are kept at least this long; nothing in the application deletes them.
AUDIT_RETENTION_DAYS = 180

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
