import datetime

import pghistory
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "apps.core",
    "apps.accounts",
    "apps.villages",
    "apps.cadres",
    "apps.assistance",
    "apps.collective_economy",
    "apps.morality_bank",
    "apps.rankings",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every full ID number shown to a user goes into an access log that admins can read.
    "apps.core.middleware.IdNumberAccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the acting user on every audit event, including API requests.
    "pghistory.middleware.HistoryMiddleware",
    # Last, so it sees the outcome of every log-in attempt (django-axes lockout).
    "axes.middleware.AxesMiddleware",
]

# Only the app's own files may run or style anything: no inline scripts, style attributes or CDNs
# (templates use static/js/touyan.js data attributes and CSS classes instead). ECharts and Bootstrap
# set element styles from script, which a CSP allows; charts exported as images are data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's default random_page_cost (4) models spinning disks and makes the planner read a whole
# table for a scope of a few percent of it; 1.1 suits SSD or a cached database (benchmarks/README.md).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    # Refuses log-ins for a locked-out username and address before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# Username and address together: a stranger cannot lock a known user out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded evidence lives outside the web root and is served only through scoped views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The audit trail records every insert, update and delete, bulk and raw SQL included (triggers).
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)

REDIS_URL = env("REDIS_URL")
# Django's Redis cache (rate-limit counters) takes a Unix socket as unix://, Celery as redis+socket://.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL.replace("redis+socket://", "unix://", 1),
        "KEY_PREFIX": "touyan",
        "TIMEOUT": 300,
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 60 * 60 * 24 * 7
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs, one commented entry each; times are Asia/Shanghai (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE: dict = {
    # 周提示: every Monday 08:00, each township's digest of what is missing or overdue.
    "weekly-reminder-digest": {
        "task": "apps.core.tasks.send_weekly_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    # Monthly work-team and township rankings of the previous month, on the 1st at 02:00, as
    # drafts: publishing (and so escalating) stays a person's decision.
    "monthly-rankings": {
        "task": "apps.rankings.tasks.run_monthly_rankings",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
    # The integrity watch (fake exits, assistance on paper), Sundays at 03:00: writes findings only.
    "weekly-integrity-watch": {
        "task": "apps.rankings.tasks.run_integrity_watch",
        "schedule": crontab(minute=0, hour=3, day_of_week=0),
    },
    # The quarterly 10 % spot-check draw (四不两直), first day of each quarter at 03:00.
    "quarterly-spot-checks": {
        "task": "apps.assistance.tasks.draw_spot_checks",
        "schedule": crontab(minute=0, hour=3, day_of_month=1, month_of_year="1,4,7,10"),
    },
    # Morality-bank settlement of the quarter that just ended, first day of each quarter at 04:00.
    "quarterly-morality-settlement": {
        "task": "apps.morality_bank.tasks.settle_quarter",
        "schedule": crontab(minute=0, hour=4, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.api.permissions.IsScopedUser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.api.throttling.PerUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_RATE_PER_USER", default="3000/min"),
        "auth": env("API_RATE_TOKEN_ENDPOINT", default="30/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Touyan API",
    "DESCRIPTION": (
        "Touyan (头雁) REST API v1. Every list and record is limited to the caller's region: "
        "records outside it answer 404. Request bodies with fields the endpoint does not know "
        "are rejected with 400 and the unknown names under `non_field_errors`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "FindingStatusEnum": "apps.rankings.models.FindingStatus",
        "ImportStateEnum": "apps.core.models.imports.ImportState",
        "TaskStateEnum": ["PENDING", "STARTED", "SUCCESS", "FAILURE", "RETRY"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
