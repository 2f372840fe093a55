"""One settings file; every value comes from the environment with a safe default.

OVERSIGHT_MODE is `production` unless set: `demo` (make demo) and `test` (make test) may run without
a SECRET_KEY, production may not.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.conf.locale.zh_Hans import formats as _zh_formats
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OVERSIGHT_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


MODE = os.environ.get("OVERSIGHT_MODE", "production").strip().lower()
if MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"OVERSIGHT_MODE 只能是 production、demo 或 test,当前为 {MODE!r}。")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if MODE == "production":
        sys.stderr.write(
            "启动失败:生产环境必须设置环境变量 SECRET_KEY(至少 50 个随机字符)。\n"
            "生成方法:python -c 'import secrets; print(secrets.token_urlsafe(64))'\n"
            "演示或测试请使用 make demo / make test。\n"
        )
        raise ImproperlyConfigured("SECRET_KEY is required outside demo and test mode")
    SECRET_KEY = f"insecure-{MODE}-key-not-for-production-use-0123456789abcdef"
if MODE == "production" and len(SECRET_KEY) < 50:
    sys.stderr.write(
        "启动失败:SECRET_KEY 至少需要 50 个字符。\n"
        "生成方法:python -c 'import secrets; print(secrets.token_urlsafe(64))'\n"
    )
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")

DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SITE_NAME = os.environ.get("SITE_NAME", "行政执法协调监督平台")
DISTRICT_NAME = os.environ.get("DISTRICT_NAME", "下陆区")
# The 发文字号 prefix of each kind of supervision document and of clues (陆司监通〔2026〕1号); a
# district sets its own with SUPERVISION_NUMBER_PREFIXES="notice=X司监通,opinion=X司监意,…".
SUPERVISION_NUMBER_PREFIXES = {
    "clue": "陆司线",
    "matter": "陆司监项",
    "notice": "陆司监通",
    "opinion": "陆司监意",
    "decision": "陆司监决",
    "urge": "陆司监督",
    "proposal": "陆司监建",
    "interview": "陆司监谈",
    "circular": "陆司监报",
    "referral": "陆司监移",
    # Recommendations received from procuratorates, courts, auditors and inspection teams.
    "procuratorial": "陆司监收",
    "judicial": "陆司监收",
    "audit": "陆司监收",
} | dict(
    pair.strip().split("=", 1)
    for pair in os.environ.get("SUPERVISION_NUMBER_PREFIXES", "").split(",")
    if "=" in pair
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "oversight.core",
    "oversight.organisations",
    "oversight.accounts",
    "oversight.workplans",
    "oversight.bulletins",
    "oversight.notices",
    "oversight.enforcement",
    "oversight.cases",
    "oversight.inspections",
    "oversight.supervision",
    "oversight.reviews",
    "oversight.catalogue",
    "oversight.portal",
    "oversight.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oversight.core.middleware.RequestContextMiddleware",
    "oversight.core.replica.PrimaryAfterWriteMiddleware",
    "oversight.core.middleware.SecurityHeadersMiddleware",
    "oversight.core.middleware.InputSanityMiddleware",
    "oversight.core.middleware.IdRangeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "oversight.core.middleware.BindUserMiddleware",
    "oversight.accounts.middleware.SessionIdleTimeoutMiddleware",
    "oversight.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oversight" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oversight.core.context_processors.platform",
            ],
        },
    },
]

# Django's widget templates, with the plain inputs written directly (core/renderers.py).
FORM_RENDERER = "oversight.core.renderers.WidgetRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'oversight.sqlite3'}",
        # Persistent connections in production (a new PostgreSQL connection costs more than most
        # pages' queries), checked before reuse; DB_CONN_MAX_AGE=0 closes them after each request.
        conn_max_age=envint("DB_CONN_MAX_AGE", 300 if MODE == "production" else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the scheduler write while the web server reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's default random_page_cost (4) prices an index look-up as a spinning disk's
    # seek; with the tables in memory or on SSD (its documentation suggests 1.1) the planner
    # then hashes a whole table where a few thousand look-ups would do: a unit's ledger read all
    # 100,000 assignments (56 ms; 22 ms at 1.1). Set on each connection; DB_RANDOM_PAGE_COST=
    # (empty) leaves the server's own, e.g. behind PgBouncer in transaction mode, which refuses
    # options at connection (set it on the database there: docs/deploy.md).
    _page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1").strip()
    if _page_cost:
        try:
            _cost_value = float(_page_cost)
        except ValueError:
            _cost_value = 0.0
        if not 0 < _cost_value < 1000:
            raise ImproperlyConfigured(
                f"DB_RANDOM_PAGE_COST 应为正数（如 1.1），当前为 {_page_cost!r}。"
            )
        # Added to any options DATABASE_URL already carries (`?options=…`), not in their place.
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join(
            filter(None, [_options.get("options", ""), f"-c random_page_cost={_cost_value:g}"])
        )
# A read replica (PostgreSQL streaming replication) for the heavy read-only work: dashboards, the
# ledger, lists and exports, bulletin figures (core/replica.py). Writes, and reads inside a
# transaction or just after the same browser wrote, stay on the primary.
_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        _REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["oversight.core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["oversight.accounts.backends.LockoutAwareBackend"]
PRODUCTION_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
if MODE == "test":
    # Hashing is not what the tests test; Argon2 would make every login in them slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The security administrator edits the numbers behind this validator (core rules).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "oversight.accounts.validators.PolicyPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"

# Long work (imports, re-checking every case, drafting bulletins) runs as tasks (core/background.py).
# The database backend by default: `oversight db_worker` processes, on any number of machines,
# claim the work with SELECT … FOR UPDATE SKIP LOCKED. Tests run each task when it is enqueued.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASKS = os.environ.get("OVERSIGHT_TASKS", "immediate" if MODE == "test" else "database")
if _TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"OVERSIGHT_TASKS 应为 database 或 immediate,当前为“{_TASKS}”。")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_TASKS], "QUEUES": ["default"]}}
LOGIN_REDIRECT_URL = "core:home"

# What several web processes must share (rate limits of the public forms, the overview's daily
# trend) lives in the cache. CACHE_URL empty: this process's memory, right for one process (the
# demo, or one waitress process with threads); "db": a table in the database (`oversight setup`
# creates it); redis://host:6379/0: Redis, through Django's own backend.
_CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if not _CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _CACHE_URL == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "oversight_cache",
        }
    }
elif _CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "oversight"),
        }
    }
else:
    raise ImproperlyConfigured(
        "CACHE_URL 应为空（本进程内存）、db（数据库表）"
        "或 redis://主机:端口/库号，"
        f"当前为“{_CACHE_URL}”。"
    )
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
# Production is served over HTTPS (docs/deploy.md): cookies never travel in clear text.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(MODE == "production"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# Idle expiry is enforced by SessionIdleTimeoutMiddleware from the security rules; this is the
# absolute upper bound of a browser session.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_ENGINE = "oversight.accounts.sessions"  # Django's database sessions, read faster
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The addresses of the reverse proxies (nginx) allowed to say who the client is, in X-Real-IP or
# X-Forwarded-For; from any other peer those headers are ignored (a client could forge them).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
# Pages load scripts only from this site (vendored, docs/architecture.md): no inline script.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
)

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One locale. The page layouts render with localisation off (`{% localize off %}` in base.html
# and portal/base_public.html), so a value printed as it is takes its format from these
# settings — zh-hans's own, held equal by core/tests/test_templatetags.py — instead of looking
# up the active language's formats for every number and date a page prints.
DATE_FORMAT = _zh_formats.DATE_FORMAT
TIME_FORMAT = _zh_formats.TIME_FORMAT
DATETIME_FORMAT = _zh_formats.DATETIME_FORMAT
YEAR_MONTH_FORMAT = _zh_formats.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = _zh_formats.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = _zh_formats.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = _zh_formats.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = _zh_formats.FIRST_DAY_OF_WEEK
DECIMAL_SEPARATOR = _zh_formats.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = _zh_formats.THOUSAND_SEPARATOR
NUMBER_GROUPING = _zh_formats.NUMBER_GROUPING

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "oversight" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if MODE == "production"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = MODE != "production"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files (evidence, case files, notices) on S3-compatible object storage (MinIO, a cloud's
# object store) when STORAGE_S3_BUCKET is set, so that every web node reads the same files. The
# bucket stays private: after its permission check a page redirects to a signed URL that expires
# after STORAGE_S3_URL_SECONDS (core/uploads.py serve_file).
_S3_BUCKET = os.environ.get("STORAGE_S3_BUCKET", "").strip()
STORAGE_S3_URL_SECONDS = envint("STORAGE_S3_URL_SECONDS", 60)
# Where browsers reach the store, when the nodes reach it by another address (a container's name
# behind nginx): signed URLs name this endpoint; the nodes' own calls go to STORAGE_S3_ENDPOINT.
STORAGE_S3_PUBLIC_ENDPOINT = os.environ.get("STORAGE_S3_PUBLIC_ENDPOINT", "").strip().rstrip("/")
if _S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("STORAGE_S3_SECRET_KEY") or None,
            "addressing_style": os.environ.get("STORAGE_S3_ADDRESSING", "path"),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": True,
            "querystring_expire": STORAGE_S3_URL_SECONDS,
            "file_overwrite": False,
        },
    }
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if MODE != "production"
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oversight@localhost")
# The platform's public address, for links in emails and robot messages.
SITE_URL = os.environ.get("SITE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oversight.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "oversight.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "行政执法协调监督平台 API",
    "DESCRIPTION": "按单位令牌认证,数据范围与界面一致。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's description is for the units' systems, not for the public.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

SCHEDULER_TICK_SECONDS = envint("SCHEDULER_TICK_SECONDS", 30)
# The empty choice of every list filter.
FILTERS_EMPTY_CHOICE_LABEL = "全部"
# A background job that meets a transient failure (database or network briefly away) is queued
# again after TASK_RETRY_SECONDS, four times longer each time, at most TASK_RETRIES times.
TASK_RETRIES = envint("TASK_RETRIES", 3)
TASK_RETRY_SECONDS = envint("TASK_RETRY_SECONDS", 10)
# Days the run history of periodic jobs is kept (system/jobs/runs/).
SCHEDULER_HISTORY_DAYS = envint("SCHEDULER_HISTORY_DAYS", 90)
# A whole re-check of cases (cases/rechecks.py): workers asked to join besides the one that starts
# it, cases a range, seconds without a heartbeat before a range is taken over, and how often the
# scheduler looks for a re-check whose workers stopped.
RECHECK_HELPERS = envint("RECHECK_HELPERS", 1)
RECHECK_CHUNK_CASES = envint("RECHECK_CHUNK_CASES", 20_000)
RECHECK_STALE_SECONDS = envint("RECHECK_STALE_SECONDS", 120)
RECHECK_REVIVE_SECONDS = envint("RECHECK_REVIVE_SECONDS", 300)
# Key for encrypting personal data at rest (ID numbers). Required in production.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if MODE == "production" and not FIELD_ENCRYPTION_KEY:
    sys.stderr.write(
        "启动失败:生产环境必须设置环境变量 FIELD_ENCRYPTION_KEY(用于加密身份证号等个人信息)。\n"
        "生成方法:python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'\n"
        "请妥善备份该密钥:丢失后已加密的数据无法恢复。\n"
    )
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is required in production")
# The unit whose 公共法律知识 courses count toward the 20 hours it organises (short name).
SUPERVISOR_UNIT = os.environ.get("SUPERVISOR_UNIT", "区司法局")

# Logs: one line per record on stderr, naming the request (its X-Request-ID) and the user.
# LOG_FORMAT=json for a log collector (core/logs.py); LOG_REQUESTS=true adds a line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT 应为 plain 或 json，当前为“{LOG_FORMAT}”。")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "oversight.core.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(username)s] %(message)s"
        },
        "json": {"()": "oversight.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "oversight.requests": {"level": "INFO" if envbool("LOG_REQUESTS") else "WARNING"},
    },
}
# /metrics for Prometheus (core/metrics.py): off unless a token is set.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

if MODE == "production" and not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind HTTPS (docs/deploy.md): SECURE_SSL_REDIRECT=true, SESSION_COOKIE_SECURE=true,
    # SECURE_HSTS_SECONDS=31536000.
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT")
    # A load balancer asks the nodes directly over plain HTTP (core/health.py, core/metrics.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_REFERRER_POLICY = "same-origin"
