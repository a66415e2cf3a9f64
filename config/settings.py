"""qinqing settings: one module, every deployment-specific value read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)


def _local_secret_key(env_file: str = "QINQING_SECRET_KEY_FILE", name: str = "secret_key") -> str:
    """The embedded single-machine mode keeps a random key in var/<name> (mode 0600).

    Generated on first start, so no two installations share a key and none is in the source.
    Production sets DJANGO_SECRET_KEY and QINQING_ALLOW_LOCAL_SECRET=0 (docs/deployment.md).
    """
    import secrets

    path = Path(os.environ.get(env_file, str(BASE_DIR / "var" / name)))
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("QINQING_ALLOW_LOCAL_SECRET", True):
        try:
            SECRET_KEY = _local_secret_key()
        except FileExistsError:  # another process created it between our read and write
            SECRET_KEY = _local_secret_key()
    else:
        raise RuntimeError("DJANGO_SECRET_KEY must be set")


def _audit_key() -> str:
    """Key of the audit chain's HMAC: kept outside the database, so a writer to it cannot re-seal rows."""
    key = os.environ.get("QINQING_AUDIT_KEY", "")
    if key:
        return key
    if not env_bool("QINQING_ALLOW_LOCAL_SECRET", True):
        raise RuntimeError("QINQING_AUDIT_KEY must be set")
    try:
        return _local_secret_key("QINQING_AUDIT_KEY_FILE", "audit_key")
    except FileExistsError:
        return _local_secret_key("QINQING_AUDIT_KEY_FILE", "audit_key")


QINQING_AUDIT_KEY = _audit_key()
# Personal data at rest (qinqing.core.crypto.keys): keys outside the database, behind a provider.
QINQING_ALLOW_LOCAL_SECRET = env_bool("QINQING_ALLOW_LOCAL_SECRET", True)
QINQING_KEY_PROVIDER = os.environ.get("QINQING_KEY_PROVIDER", "qinqing.core.crypto.keys.LocalKeyProvider")
QINQING_KEY_FILE = os.environ.get("QINQING_KEY_FILE", "")
QINQING_DATA_KEYS = os.environ.get("QINQING_DATA_KEYS", "")
QINQING_DATA_KEY_ID = os.environ.get("QINQING_DATA_KEY_ID", "")
QINQING_INDEX_KEYS = os.environ.get("QINQING_INDEX_KEYS", "")
QINQING_INDEX_KEY_ID = os.environ.get("QINQING_INDEX_KEY_ID", "")
# Audit log (qinqing.core.audit_checkpoint, audit_archive): signed checkpoints outside the database,
# syslog copy when set ("/dev/log" or "host:514"), retention before rows move to archived segments.
QINQING_AUDIT_CHECKPOINT_DIR = os.environ.get(
    "QINQING_AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit-checkpoints")
)
QINQING_AUDIT_SYSLOG = os.environ.get("QINQING_AUDIT_SYSLOG", "")
QINQING_AUDIT_RETENTION_DAYS = int(os.environ.get("QINQING_AUDIT_RETENTION_DAYS", "180"))
QINQING_AUDIT_ARCHIVE_DIR = os.environ.get("QINQING_AUDIT_ARCHIVE_DIR", str(BASE_DIR / "var" / "audit-archive"))
# Uploaded import files and their errors.csv are deleted after this many days (registry.retention).
QINQING_IMPORT_RETENTION_DAYS = int(os.environ.get("QINQING_IMPORT_RETENTION_DAYS", "7"))
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

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
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "qinqing.core",
    "qinqing.orgs",
    "qinqing.accounts",
    "qinqing.registry",
    "qinqing.notifications",
    "qinqing.appeals",
    "qinqing.meetings",
    "qinqing.policies",
    "qinqing.operations",
    "qinqing.reports",
    "qinqing.financing",
    "qinqing.legal",
    "qinqing.mediation",
    "qinqing.health",
    "qinqing.surveys",
    "qinqing.activities",
    "qinqing.programs",
    "qinqing.contactlog",
    "django.forms",  # last: core's templates/django/forms/ override its field templates (named errors)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qinqing.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qinqing.accounts.middleware.IdleTimeoutMiddleware",
    "qinqing.core.middleware.RequestContextMiddleware",
    "qinqing.core.badinput.BadInputMiddleware",  # bad dates, huge ids in a page's parameters: 400, not 500
    "qinqing.accounts.middleware.SessionLifetimeMiddleware",
    "qinqing.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: it runs the view itself inside replica_reads() for the views listed in QINQING_REPLICA_VIEWS.
    "qinqing.core.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form templates through the template engine, so qinqing/core/templates/django/forms/ can name each error's field.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

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
                "qinqing.core.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL, immediate transactions) is the embedded default; DATABASE_URL selects PostgreSQL.
SQLITE_PATH = os.environ.get("QINQING_SQLITE_PATH", str(BASE_DIR / "var" / "qinqing.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Persistent connections (seconds); 0 behind pgbouncer in transaction mode.
DB_CONN_MAX_AGE = int(os.environ.get("QINQING_DB_CONN_MAX_AGE", "600"))
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
                # with "database is locked" halfway through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-64000;"
                ),
            },
        }
    }
# A PostgreSQL streaming replica for reads that tolerate a little lag (qinqing/core/replica.py): figures,
# dashboards and exports read from it; a user who has just written reads from the primary for a few seconds.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# How many of a bulk read's queries (core.bulkread: the matching run reads enterprises and memberships) run at once
# on the primary; 0 = all. 1 on a primary that serves the pages too, with no replica: the reads take one core, not
# every core, while they last (docs/jobs.md, "CPU priority").
QINQING_BULK_READ_CONCURRENCY = int(os.environ.get("QINQING_BULK_READ_CONCURRENCY", "0"))
if DATABASE_URL and DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Behind pgbouncer in transaction mode (QINQING_DB_POOLER=transaction): a server-side cursor (.iterator() in
# exports) cannot outlive its transaction on a pooled server connection, so Django reads those queries whole.
if DATABASE_URL and os.environ.get("QINQING_DB_POOLER", "") == "transaction":
    for _alias in DATABASES:
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["qinqing.core.replica.ReplicaRouter"]
QINQING_REPLICA_VIEWS = env_list(
    "QINQING_REPLICA_VIEWS", "*:figures*,*:dashboard*,*:statistics*,*:rankings*,*export*,reports:*"
)
QINQING_REPLICA_STICKY_SECONDS = float(os.environ.get("QINQING_REPLICA_STICKY_SECONDS", "10"))
QINQING_REPLICA_RETRY_SECONDS = float(os.environ.get("QINQING_REPLICA_RETRY_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and sessions -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "qinqing.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The "等保" profile; QINQING_PASSWORD_* override the numbers per deployment.
QINQING_PASSWORD_MIN_LENGTH = int(os.environ.get("QINQING_PASSWORD_MIN_LENGTH", "8"))
QINQING_PASSWORD_MIN_CLASSES = int(os.environ.get("QINQING_PASSWORD_MIN_CLASSES", "3"))
QINQING_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("QINQING_PASSWORD_MAX_AGE_DAYS", "90"))
# A password the user did not choose (an administrator's reset, a newly approved account) signs in only
# within this many hours; then it must be reset again.
QINQING_ONE_TIME_PASSWORD_HOURS = int(os.environ.get("QINQING_ONE_TIME_PASSWORD_HOURS", "72"))
QINQING_PASSWORD_HISTORY = int(os.environ.get("QINQING_PASSWORD_HISTORY", "5"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": QINQING_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "qinqing.accounts.validators.CharacterClassValidator",
        "OPTIONS": {"min_classes": QINQING_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {  # zxcvbn's guess estimate: refuses Passw0rd!, Qwerty123!, Aa1aaaaa (score 1); 0–4, 3 = "safely unguessable"
        "NAME": "qinqing.accounts.validators.StrengthValidator",
        "OPTIONS": {"min_score": int(os.environ.get("QINQING_PASSWORD_MIN_SCORE", "3"))},
    },
    {
        "NAME": "qinqing.accounts.validators.PasswordHistoryValidator",
        "OPTIONS": {"history": QINQING_PASSWORD_HISTORY},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires SESSION_COOKIE_AGE seconds after the last request — at most that, and at
# least QINQING_SESSION_TOUCH_SECONDS less: accounts.middleware.IdleTimeoutMiddleware saves the session (new
# expiry date) once its last save is that old, not on every request (a write and a commit per page view).
SESSION_COOKIE_AGE = int(os.environ.get("QINQING_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
QINQING_SESSION_TOUCH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Home cards older than this are shown and recounted in the background (qinqing.core.home; bench/home shortens it).
QINQING_HOME_CARDS_SECONDS = int(os.environ.get("QINQING_HOME_CARDS_SECONDS", "300"))
# The leaders' report pages (qinqing.reports.snapshots): a count that took at least SNAPSHOT_MS is kept and shown,
# with its time, for SECONDS, then shown while a background task recounts it; past STALE_SECONDS the view counts.
QINQING_FIGURES_SNAPSHOT_MS = int(os.environ.get("QINQING_FIGURES_SNAPSHOT_MS", "150"))
QINQING_FIGURES_SECONDS = int(os.environ.get("QINQING_FIGURES_SECONDS", "300"))
QINQING_FIGURES_STALE_SECONDS = int(os.environ.get("QINQING_FIGURES_STALE_SECONDS", "3600"))
# How many reverse proxies of the deployment stand in front (0: none, use the socket's address).
_xff = os.environ.get("QINQING_TRUST_X_FORWARDED_FOR", "0").strip().lower()
QINQING_TRUST_X_FORWARDED_FOR = 1 if _xff in {"true", "yes", "on"} else int(_xff) if _xff.isdigit() else 0
QINQING_SESSION_ABSOLUTE_HOURS = int(os.environ.get("QINQING_SESSION_ABSOLUTE_HOURS", "12"))
# An API token lives as long as a session may (qinqing/accounts/authentication.py).
QINQING_API_TOKEN_HOURS = int(os.environ.get("QINQING_API_TOKEN_HOURS", str(QINQING_SESSION_ABSOLUTE_HOURS)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after 5 failures (django-axes, qinqing/accounts/lockouts.py): the (username, address) pair
# first; the username from everywhere once failures come from QINQING_LOCKOUT_ADDRESSES addresses.
# A lock ends QINQING_LOCKOUT_MINUTES after the failure that caused it: refused tries do not extend it.
AXES_FAILURE_LIMIT = int(os.environ.get("QINQING_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("QINQING_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
QINQING_LOCKOUT_ADDRESSES = int(os.environ.get("QINQING_LOCKOUT_ADDRESSES", "3"))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "qinqing.accounts.lockouts.AuditedAxesHandler"
AXES_CLIENT_IP_CALLABLE = "qinqing.core.middleware.client_ip"  # the proxy-aware address, not a forgeable header
AXES_RESET_ON_SUCCESS = True
# TOTP second factor: always required for the three administrators, plus the roles listed here.
QINQING_TOTP_REQUIRED_ROLES = env_list("QINQING_TOTP_REQUIRED_ROLES")

# --- Shared cache and throttles -------------------------------------------------------------
# Throttle counters must be shared by every worker process: the database cache (table created by the
# accounts migrations), or Redis when QINQING_REDIS_URL is set (needs the `redis` package).
# Every key carries QINQING_CACHE_PREFIX, so two deployments (or a test run) can share one Redis.
QINQING_REDIS_URL = os.environ.get("QINQING_REDIS_URL", "")
QINQING_CACHE_PREFIX = os.environ.get("QINQING_CACHE_PREFIX", "qinqing")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": QINQING_REDIS_URL,
            "KEY_PREFIX": QINQING_CACHE_PREFIX,
        }
        if QINQING_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qinqing_cache"}
    )
}
QINQING_THROTTLE_CACHE = "default"
QINQING_THROTTLE_RATES = {
    "auth_token": os.environ.get("QINQING_THROTTLE_TOKEN", "20/min"),  # per client address
    "login": os.environ.get("QINQING_THROTTLE_LOGIN", "20/min"),  # sign-in form posts per client address
    "password_change": os.environ.get("QINQING_THROTTLE_PASSWORD_CHANGE", "10/hour"),  # per user
    "appeal_submit": os.environ.get("QINQING_THROTTLE_APPEAL", "30/hour"),  # per enterprise
    "survey_public": os.environ.get("QINQING_THROTTLE_SURVEY_PUBLIC", "30/hour"),  # public survey answers per address
}
AXES_LOCKOUT_CALLABLE = "qinqing.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- Security headers ----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
QINQING_HTTPS = env_bool("QINQING_HTTPS", False)
if QINQING_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("QINQING_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("QINQING_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Everything is served by the platform itself: no CDN, no external font or script.
QINQING_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO dates first, so <input type="date"> shows stored values (config/formats/zh_Hans).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "var" / "vendor"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served by WhiteNoise from the application itself (closed intranets: no CDN).
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("QINQING_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Several application servers: uploads on S3-compatible object storage shared by all of them (django-storages),
# when QINQING_S3_BUCKET is set; every file goes through Django's storage API (docs/deployment.md, docs/scaling.md).
QINQING_S3_BUCKET = os.environ.get("QINQING_S3_BUCKET", "")
if QINQING_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": QINQING_S3_BUCKET,
            "endpoint_url": os.environ.get("QINQING_S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("QINQING_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("QINQING_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("QINQING_S3_REGION") or None,
            "location": os.environ.get("QINQING_S3_PREFIX", ""),
            "addressing_style": os.environ.get("QINQING_S3_ADDRESSING_STYLE", "path"),
            "file_overwrite": False,  # as on disk: a second file of the same name gets a new name
            "default_acl": "private",
            "querystring_auth": True,  # files are served through the platform's permission checks anyway
        },
    }
MEDIA_URL = "/media/"

# Policy search: "tantivy" (an index under var/search/, one machine or a shared directory) or "database" (the
# database's own full-text index; for several application servers, each of which would otherwise keep its own).
POLICY_SEARCH_ENGINE = os.environ.get("QINQING_POLICY_SEARCH_ENGINE", "tantivy")

# --- Backup (manage.py backup / restore; scheduled by run_scheduler) ------------------------
QINQING_BACKUP_DIR = Path(os.environ.get("QINQING_BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
# 32 hex digits (a 128-bit SM4 key): archives are encrypted when set. Keep a copy of it off the machine.
QINQING_BACKUP_KEY = os.environ.get("QINQING_BACKUP_KEY", "")
QINQING_BACKUP_INTERVAL_HOURS = float(os.environ.get("QINQING_BACKUP_INTERVAL_HOURS", "24"))
QINQING_BACKUP_KEEP = int(os.environ.get("QINQING_BACKUP_KEEP", "14"))
QINQING_BACKUP_MAX_AGE_HOURS = float(os.environ.get("QINQING_BACKUP_MAX_AGE_HOURS", "36"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qinqing.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qinqing.core.api.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "qinqing.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qinqing.core.api_errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "亲清 API",
    "DESCRIPTION": "亲清平台 REST API v1。使用令牌认证：请求头 Authorization: Token <令牌>。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name ("status", "level") get stable, meaningful component names.
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "qinqing.core.models.Job.Status",
        "AppealStatusEnum": "qinqing.appeals.models.STATUS_CHOICES",
        "PolicyLevelEnum": "qinqing.policies.choices.Level",
        "PolicyPublishStateEnum": "qinqing.policies.choices.PublishState",
        "MemberKindEnum": "qinqing.registry.choices.MemberKind",
        "MemberRoleEnum": "qinqing.registry.choices.MemberRole",
        "MeetingKindEnum": "qinqing.meetings.models.MeetingKind",
        "FinancingGuaranteeEnum": "qinqing.financing.choices.Guarantee",
        "FinancingStageEnum": "qinqing.financing.choices.Stage",
        "ProgramsPartyKindEnum": "qinqing.programs.choices.PartyKind",
        "ProgramsProjectKindEnum": "qinqing.programs.choices.ProjectKind",
        "ProgramsServiceKindEnum": "qinqing.programs.choices.ServiceKind",
        "ProgramsListingStageEnum": "qinqing.programs.choices.ListingStage",
        "MediationSourceEnum": "qinqing.mediation.choices.Source",
        "MediationStatusEnum": "qinqing.mediation.choices.Status",
        "MediationBodyKindEnum": "qinqing.mediation.choices.BodyKind",
        "MediationPartyKindEnum": "qinqing.mediation.choices.PartyKind",
        "MediationCaseTypeEnum": "qinqing.mediation.choices.CaseType",
        "ActivitiesKindEnum": "qinqing.activities.choices.Kind",
        "HealthAnswerEnum": "qinqing.health.choices.Answer",
        "ContactlogPayerEnum": "qinqing.contactlog.choices.Payer",
        "ContactlogPurposeEnum": "qinqing.contactlog.choices.Purpose",
        "FinancingPurposeEnum": "qinqing.financing.choices.Purpose",
    },
}

# List filters: an unset drop-down reads 全部, not Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = "全部"

# --- Background tasks ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("QINQING_TASK_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}

# --- Logging --------------------------------------------------------------------------------
# One time zone (Asia/Shanghai, offset shown) and the request id on every line; QINQING_LOG_FORMAT=json for
# log collectors. A 4xx is one line without a traceback (qinqing.core.logformat.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "qinqing.core.logformat.RequestIdFilter"},
        "no_refusal_traceback": {"()": "qinqing.core.logformat.NoTracebackForRefusals"},
    },
    "formatters": {
        "platform": {"()": "qinqing.core.logformat.PlatformFormatter"},
        "json": {"()": "qinqing.core.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "no_refusal_traceback"],
            "formatter": "json" if os.environ.get("QINQING_LOG_FORMAT", "").lower() == "json" else "platform",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("QINQING_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- qinqing --------------------------------------------------------------------------------
QINQING_SITE_NAME = "亲清"
# Lockout is by username (SECURITY.md: "by username, not only by IP"); axes warns that
# username-only lockout can be sidestepped by rotating IPs, which is exactly the attack it stops.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
