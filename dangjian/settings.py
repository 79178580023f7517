"""Settings of 智慧党建, read from the environment.

Three profiles share this file:
- development (``DEBUG=1``): SQLite in ``var/``, a development field key derived from the secret
  key, static files straight from the apps and ``build/vendor/``;
- production (``DEBUG`` unset): every secret must come from the environment, static files are
  collected into a hashed manifest, HTTPS only, and ``manage.py check --deploy --fail-level
  WARNING`` passes (SECURITY.md CFG-01). Every variable is listed in deploy/dangjian.env;
- the local demo (``DANGJIAN_DEMO=1``, what the README's ``scripts/run`` serves with gunicorn):
  production in everything except TLS, so it logs in over plain http on 127.0.0.1 or the LAN.

PostgreSQL is selected with ``DATABASE_URL=postgres://...``; Redis with ``REDIS_URL``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

# Pinyin initials of names need single characters only: skip pypinyin's phrase dictionary
# (tens of MB in every process).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGJIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("DANGJIAN_TESTING", False)
# Production serving over plain http for a local demo: no secure-only cookies, no HTTPS redirect.
DEMO = env_bool("DANGJIAN_DEMO", False) and not DEBUG

_DEV_SECRET = "dev-insecure-secret-key-only-for-local-demo-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or (_DEV_SECRET if (DEBUG or TESTING) else "")
# Without a configured key, management commands that need none (makemigrations, check) still
# run on an ephemeral key, but the web server refuses to start (wsgi.py, asgi.py) and
# `check --deploy` reports dangjian.E010.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Absolute links that leave the browser (QR check-in codes scanned by a phone) start with this
# URL when it is set ("https://dangjian.example"); otherwise with the request's own scheme and host.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

# Field encryption keys: "kid:base64key[,kid:base64key...]"; the first is used for new values.
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", "")
FIELD_CRYPTO_PROVIDER = os.environ.get("FIELD_CRYPTO_PROVIDER", "dangjian.core.crypto.AesGcmProvider")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    # Second factor (AUTH-03): TOTP devices and one-time backup codes (dangjian/accounts/mfa.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dangjian.core",
    "dangjian.orgs",
    "dangjian.accounts",
    "dangjian.members",
    "dangjian.dues",
    "dangjian.meetings",
    "dangjian.development",
    "dangjian.supervision",
    "dangjian.study",
    "dangjian.points",
    "dangjian.library",
    "dangjian.care",
    "dangjian.honors",
    "dangjian.assessment",
    "dangjian.notices",
    "dangjian.dashboard",
    "dangjian.portal",
]

MIDDLEWARE = [
    # Load-balancer probes (/health/, /ready/) answer before host validation and the HTTPS
    # redirect: a probe by IP over plain http gets 200, never 400 or 301 (core/probes.py).
    "dangjian.core.probes.ProbeMiddleware",
    # A body over the limit is refused before it is read (nginx: client_max_body_size).
    "dangjian.core.middleware.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangjian.core.middleware.RequestContextMiddleware",
    # Before SessionPolicyMiddleware, which tells a user why their session ended.
    "django.contrib.messages.middleware.MessageMiddleware",
    # Deny by default (AC-01): only views marked @login_not_required are public; the API
    # answers 401/403 itself (DRF's IsAuthenticated is its default permission).
    "dangjian.core.middleware.LoginRequiredMiddleware",
    "dangjian.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangjian.core.navigation.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
# SQLite profile per SECURITY.md REL-04: WAL, synchronous=FULL, busy timeout, IMMEDIATE
# transactions, secure_delete; no ATOMIC_REQUESTS (writes are wrapped explicitly).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; "
    "PRAGMA foreign_keys=ON;"
)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "dangjian.sqlite3")}
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": SQLITE_PRAGMAS}
    # A file test database so WAL and the busy timeout apply in tests too.
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
# A PostgreSQL hot standby for dashboards, reports and exports (docs/replica.md): a ``replica``
# alias, the router that sends only views marked @reads_from_replica there, and the middleware
# that pins a browser to the primary for a while after it wrote. Unset: nothing of it exists.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True)
    # a standby that is down must not hold a request: give up connecting after 2 s
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    _replica["ATOMIC_REQUESTS"] = False
    # Tests: no database is created for it; it reads the test database of ``default`` under the
    # same name (a real standby receives it by replication; anything else is the same server).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["dangjian.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("dangjian.core.middleware.BodyLimitMiddleware") + 1,
                      "dangjian.core.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live progress of background jobs (dangjian/core/jobs/progress.py): shared by the web and the
# worker processes, so never process-local: Redis when configured, else files under var/.
if REDIS_URL:
    CACHES["jobs"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "jobs"}
else:
    CACHES["jobs"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                      "LOCATION": str(VAR_DIR / "cache" / "jobs")}

# --- Background jobs (docs/deploy.md "Background jobs") -----------------------------------
# Django's tasks API (django-tasks backport) with the database backend: `manage.py worker` runs
# the jobs, `manage.py scheduler` starts the scheduled ones. DANGJIAN_TASKS=immediate runs every
# job inside the request that starts it (the test profile's default; no worker needed).
TASKS_MODE = os.environ.get("DANGJIAN_TASKS", "immediate" if TESTING else "database")
TASKS: dict[str, dict[str, Any]]
if TASKS_MODE == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Authentication and sessions ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["dangjian.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dangjian.accounts.passwords.PolicyLengthValidator"},
    {"NAME": "dangjian.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "dangjian.accounts.passwords.ContextWordValidator"},
    {"NAME": "dangjian.accounts.passwords.HistoryValidator"},
]
# Server-side sessions in the database (SESS-01); idle timeout renewed on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation: Simplified Chinese first --------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dangjian.formats"]  # dates as YYYY-MM-DD (dangjian/formats/zh_Hans)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: every asset local (no CDN) --------------------------------------------
STATIC_URL = "/static/"
# collectstatic writes here; nginx serves it as /static/ (deploy/nginx/dangjian.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The npm libraries and their source maps, staged by `manage.py vendor_assets` (core/vendor.py;
# scripts/setup runs it). A server installed from the release bundle has only STATIC_ROOT.
VENDOR_STATIC_DIR = BASE_DIR / "build" / "vendor"
STATICFILES_DIRS = [("vendor", VENDOR_STATIC_DIR)] if VENDOR_STATIC_DIR.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not DEBUG and not TESTING:
    # Hashed names (cache forever) and precompressed copies; every reference inside a collected
    # file must resolve, which the vendored source maps make true.
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# Development and tests serve from the finders; production only from STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Several app nodes: every stored file in an S3-compatible store (MinIO) when S3_BUCKET is set
# (dangjian/core/storage.py, docs/deploy.md); otherwise MEDIA_ROOT on the local disk.
from dangjian.core.storage import s3_storage  # noqa: E402  (settings-free helper)

_s3 = s3_storage(os.environ)
if _s3 is not None:
    STORAGES["default"] = _s3

# --- Security headers (IO-03) -------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Client IPs are taken from X-Forwarded-For only when the direct peer is a trusted proxy.
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p]

if not DEBUG and not TESTING and not DEMO:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes by IP over plain http (load balancers) are answered by ProbeMiddleware already;
    # listed here too so no reordering can send them a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^ready/$"]
    # nginx overwrites this header (deploy/nginx/dangjian.conf); never trust it without a proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- REST API v1 -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dangjian.accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # CSRF enforced
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "dangjian.accounts.api.authentication.PasswordFresh",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "dangjian.core.api.schema.ScopedAutoSchema",
    "EXCEPTION_HANDLER": "dangjian.core.api.exceptions.api_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_THROTTLE_CLASSES": ["dangjian.core.api.throttles.SharedScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"login": "30/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "智慧党建 API",
    "DESCRIPTION": "REST API v1 for the app and WeChat clients. Token authentication: "
    "POST /api/v1/auth/token/, then send `Authorization: Token <key>`.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DuesKindEnum": "dangjian.dues.choices.DuesKind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dangjian.core.api.schema.brief_postprocessing_hook",
    ],
}

# --- Tables and filters -------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
DJANGO_TABLES2_PAGE_RANGE = 8

# --- The platform's own knobs -------------------------------------------------------------
DANGJIAN = {
    # How a user's roles become organization scopes (core never imports accounts).
    "SCOPE_RESOLVER": "dangjian.accounts.scopes.resolve_scope",
    # Step-up re-authentication before sensitive core actions (core/stepup.py, SESS-02).
    "STEP_UP_GATE": "dangjian.accounts.mfa_views.step_up_gate",
    # Navigation, audit labels, permission areas, workbench figures and portal items are
    # declared by each module in its declarations.py (dangjian/core/modules.py).
    # Where a member without staff roles lands after login (the member portal, 网上党支部).
    "MEMBER_HOME": "portal:home",
    # The installation's one root organization (created by ``manage.py create_root_org``): a
    # grant on it reaches everything; a grant anywhere else reaches exactly its subtree.
    "ROOT_ORG_PATH": os.environ.get("ROOT_ORG_PATH", "0001"),
    # URLs reachable without login (SECURITY.md AC-01); the URL-walk test holds views to it.
    "PUBLIC_URL_NAMES": ["accounts:login", "accounts:mfa_verify", "accounts:mfa_enrol", "core:health", "core:ready",
                         "api:token", "portal:manifest", "portal:sw", "portal:offline", "dues:payment_notify",
                         # the 企业微信 login and its callback (404 while no login row is active)
                         "accounts:wecom_start", "accounts:wecom_callback"],
    # An export of more rows than this runs as a background job (progress page, file to
    # download); smaller ones are written within the request (docs/jobs.md "Large exports").
    "EXPORT_JOB_ROWS": int(os.environ.get("EXPORT_JOB_ROWS") or 10_000),
    # Hours an export job's file stays downloadable; the scheduler's prune_job_files removes it.
    "EXPORT_FILE_HOURS": int(os.environ.get("EXPORT_FILE_HOURS") or 24),
    # Largest request body (MB); deploy/nginx has the same client_max_body_size.
    "MAX_REQUEST_BODY_MB": int(os.environ.get("MAX_REQUEST_BODY_MB", "32")),
    # How long an Idempotency-Key stays claimed by a request whose worker may have died: longer
    # than gunicorn's timeout (60 s), so only a dead request loses its claim (core/api/idempotency.py).
    "IDEMPOTENCY_LEASE_SECONDS": int(os.environ.get("IDEMPOTENCY_LEASE_SECONDS", "120")),
    # The hot standby's read path (DATABASE_REPLICA_URL, dangjian/core/replica.py): seconds a
    # browser reads from the primary after it wrote; the replay lag above which, and the pause
    # after a failure during which, reads go to the primary; how often a process checks the lag.
    "REPLICA": {
        "PIN_SECONDS": float(os.environ.get("REPLICA_PIN_SECONDS") or 15),
        "MAX_LAG_SECONDS": float(os.environ.get("REPLICA_MAX_LAG_SECONDS") or 5),
        "DOWN_SECONDS": float(os.environ.get("REPLICA_DOWN_SECONDS") or 10),
        "CHECK_SECONDS": 1,
    },
    # The rules library's optional language model on the intranet (OpenAI-compatible HTTP,
    # dangjian/library/llm.py): off unless DANGJIAN_LLM_URL is set.
    "LLM": {
        "URL": os.environ.get("DANGJIAN_LLM_URL", ""),
        "MODEL": os.environ.get("DANGJIAN_LLM_MODEL", "local"),
        "KEY": os.environ.get("DANGJIAN_LLM_KEY", ""),
        "TIMEOUT": os.environ.get("DANGJIAN_LLM_TIMEOUT", "20"),
    },
}

# --- Logs: one JSON line per request and per job (dangjian/core/logs.py, docs/backup.md) ------
# To stderr (journald); LOG_FILE adds a file that logrotate may move. LOG_LEVEL=WARNING keeps
# only failed requests and jobs.
from dangjian.core.logs import logging_config  # noqa: E402  (settings-free helper)

LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"), log_file=os.environ.get("LOG_FILE", ""))
