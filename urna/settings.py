"""Urna settings: one module, read from the environment.

Defaults are safe for local use (embedded SQLite in WAL mode, local-memory cache, the
database-backed job queue). ``URNA_ENV=production`` switches on the production checks: the
process refuses to start with the default secret key or with DEBUG on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("URNA_VAR_DIR", BASE_DIR / "var"))

DEFAULT_SECRET_KEY = "urna-insecure-development-key-change-me"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


URNA_ENV = os.environ.get("URNA_ENV", "development")
PRODUCTION = URNA_ENV == "production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
# Earlier values of SECRET_KEY (comma-separated, newest first) still accepted when checking
# sessions, password-reset links and other signed values, so a rotation logs nobody out at once
# (README, "Rotating secrets"). Remove them once sessions made with them have expired.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Production mode refuses to start: set SECRET_KEY to a random value of 32+ characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("Production mode refuses to start with DEBUG on.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Public base URL (e.g. https://urna.gov.co) used for absolute links and webhook signatures.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
# Address of the site in links of emails, SMS and WhatsApp texts (urna.core.links.absolute_url);
# empty: PUBLIC_BASE_URL, else http://127.0.0.1:8000.
URNA_SITE_URL = os.environ.get("URNA_SITE_URL", "").rstrip("/")
# Requests arrive through a proxy that sets X-Forwarded-Proto/Host (nginx, a load balancer).
TRUSTED_PROXY = env_bool("TRUSTED_PROXY", False)
# How many proxies of ours each request passes (a CDN, then nginx: 2). The client's address is
# the X-Forwarded-For hop the outermost of them added; the hops before it are the client's own
# writing (urna.core.network.client_ip).
TRUSTED_PROXY_COUNT = max(1, int(os.environ.get("TRUSTED_PROXY_COUNT", "1")))
if TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

INSTALLED_APPS = [
    # django.contrib.admin behind the one staff login, with TOTP when required
    "urna.accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "urna.core",
    "urna.audit",
    "urna.jobs",
    "urna.territory",
    "urna.entities",
    "urna.accounts",
    "urna.messaging",
    "urna.contacts",
    "urna.exercises",
    "urna.queries",
    "urna.channels",
    "urna.insights",
    "urna.deliberation",
    "urna.results",
    "urna.campaigns",
    "urna.socialaccounts",
    "urna.surveys",
    "urna.network",
    "urna.meetings",
    "urna.opendata",
    "urna.reports",
    "urna.indicators",
    "urna.ops",
    "urna.site",
]

# The `urna.core.middleware` wrappers run Django's middleware of the same name for pages only,
# not for /api/ (the JSON API): see PagesOnly.
MIDDLEWARE = [
    "urna.ops.middleware.RequestMetrics",  # /metrics: every response counted and timed
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response
    "urna.core.middleware.StaticFiles",  # whitenoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "urna.core.middleware.LanguageMiddleware",
    "urna.core.middleware.RejectNul",  # %00 in text: a clear 400, not a PostgreSQL error
    "django.middleware.common.CommonMiddleware",  # also sets Content-Length (no chunking)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "urna.core.middleware.Messages",
    "urna.core.middleware.FrameOptions",
]

ROOT_URLCONF = "urna.urls"
WSGI_APPLICATION = "urna.wsgi.application"
ASGI_APPLICATION = "urna.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "urna.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in WAL mode with synchronous=NORMAL (durable across process crashes,
# fast enough for 1,000+ inserts per second). PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "urna.sqlite3")),
            "CONN_MAX_AGE": None,
            "OPTIONS": {
                # A transaction that reads before it writes cannot take the write lock once
                # another connection has written (WAL): SQLite fails it at once with "database
                # is locked", whatever the timeout. BEGIN IMMEDIATE takes the lock first, so
                # every transaction waits its turn (up to the timeout) instead. Autocommit
                # statements, like the intake INSERT, are not affected.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; "
                    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
                    # Checkpoint every ~40 MB of WAL instead of 4 MB: each checkpoint's fsyncs
                    # block the request that triggers it (bench/intake.py: 250 → 150 µs per
                    # insert); the file is trimmed back to 64 MB afterwards.
                    "PRAGMA wal_autocheckpoint=10000; PRAGMA journal_size_limit=67108864;"
                ),
            },
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH") or None},
        }
    }
DATABASE_VENDOR = "postgresql" if DATABASE_URL.startswith(("postgres", "pgsql")) else "sqlite"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, locks, rate limits ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "urna"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters must be shared by every worker process (urna/core/ratelimit.py): in Redis
# when it is configured, otherwise in a small SQLite file that the processes of this machine share.
RATELIMIT_STORE = os.environ.get("RATELIMIT_STORE") or ("cache" if REDIS_URL else "file")
RATELIMIT_PATH = Path(os.environ.get("RATELIMIT_PATH", VAR_DIR / "ratelimit.sqlite3"))

SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else ("django.contrib.sessions.backends.db")
)

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/staff/"
# Staff must confirm a TOTP code in production; development keeps password-only login.
STAFF_REQUIRE_OTP = env_bool("STAFF_REQUIRE_OTP", PRODUCTION)
OTP_TOTP_ISSUER = "Urna"
LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "5/300")  # attempts / seconds
# Lifetime in days of a new staff API token when its owner gives none; 0: no expiry.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
# Days a raw channel message or a sent message keeps the citizen's address and text once it has
# done its job (Decreto 1377 de 2013); 0 keeps them. See urna.contacts.services.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "365"))
# Who answers for the personal data this deployment holds (Ley 1581 de 2012, art. 3 e), and where
# a citizen writes to exercise their rights: named by /politica-de-datos/ and /accesibilidad/.
URNA_DATA_CONTROLLER = os.environ.get("URNA_DATA_CONTROLLER", "Equipo Urna (plataforma)")
URNA_PRIVACY_EMAIL = os.environ.get("URNA_PRIVACY_EMAIL", "datos-personales@urna.localhost")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "es-co"
LANGUAGES = [("es-co", "Español (Colombia)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "urna" / "locale"]
# One date format and one number format per language (urna/core/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["urna.core.formats"]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security headers -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only in production: plain HTTP is redirected (SECURE_SSL_REDIRECT=0 when the proxy in
# front already redirects) and browsers are told to come back over HTTPS only (HSTS, a year,
# subdomains included). A load balancer's checks speak plain HTTP to the machine: exempt.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^api/v1/ping$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # X-Frame-Options comes from urna.core.middleware.FrameOptions (pages only), and the CSP's
    # frame-ancestors 'none' forbids framing on every response.
    "security.W002",
]
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload the domain is the operator's decision (it binds every
    # subdomain for months): SECURE_HSTS_PRELOAD=1 once all of them are HTTPS-only.
    SILENCED_SYSTEM_CHECKS.append("security.W021")
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only,
# nothing inline (no template holds an inline script, style or handler: core tests scan them),
# no plugins, no framing, forms posting only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Background jobs --------------------------------------------------------------------------
# The queue stores jobs in the database (SQLite or PostgreSQL); workers claim them with a lease,
# so a killed worker's job is picked up again. With REDIS_URL set, workers are woken through Redis.
JOBS_EAGER = env_bool("JOBS_EAGER", False)
JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "300"))
JOBS_POLL_SECONDS = float(os.environ.get("JOBS_POLL_SECONDS", "1"))
# How often the indicators job refreshes the roll-ups behind /indicadores/ (months touched since
# the last run only; `manage.py indicators_rebuild` recomputes everything).
INDICATORS_REFRESH_SECONDS = int(os.environ.get("INDICATORS_REFRESH_SECONDS", "300"))

# --- Outside providers (each switched on by its environment variable) -------------------------
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
AFRICASTALKING_USERNAME = os.environ.get("AFRICASTALKING_USERNAME", "")
AFRICASTALKING_API_KEY = os.environ.get("AFRICASTALKING_API_KEY", "")
META_APP_SECRET = os.environ.get("META_APP_SECRET", "")
META_VERIFY_TOKEN = os.environ.get("META_VERIFY_TOKEN", "")
WHATSAPP_TOKEN = os.environ.get("WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Urna <no-responder@urna.localhost>")
# Outbox backends per channel: console, file, twilio, africastalking, whatsapp, smtp.
MESSAGING_SMS_BACKEND = os.environ.get("MESSAGING_SMS_BACKEND", "file")
MESSAGING_WHATSAPP_BACKEND = os.environ.get("MESSAGING_WHATSAPP_BACKEND", "file")
MESSAGING_EMAIL_BACKEND = os.environ.get("MESSAGING_EMAIL_BACKEND", "smtp")
MESSAGING_FILE_PATH = VAR_DIR / "outbox"
# Messages per second per outbox backend, shared by every worker (a dispatch may ask for less).
# Set them to your accounts' contracted throughput; a backend left out is not throttled.
MESSAGING_RATES = {"twilio": 1, "africastalking": 50, "meta": 80, "smtp": 14}

# --- Participation and channels ---------------------------------------------------------------
# Minimum calendar days a draft regulation is open for comments without a recorded justification.
URNA_DRAFT_MIN_COMMENT_DAYS = int(os.environ.get("URNA_DRAFT_MIN_COMMENT_DAYS", "15"))
# Contributions one network (an IPv4 address, an IPv6 /64) may send, whatever identities they
# carry: "count/seconds", generous for carrier NAT (default 3000/3600, urna.exercises.services).
if os.environ.get("CONTRIBUTION_NETWORK_RATE"):
    URNA_CONTRIBUTION_RATES = {"ip": os.environ["CONTRIBUTION_NETWORK_RATE"]}
# Delay before the job that processes inbound SMS/WhatsApp/Meta messages runs (batches a second).
CHANNELS_DRAIN_DELAY_SECONDS = float(os.environ.get("CHANNELS_DRAIN_DELAY_SECONDS", "0.5"))
# The numbers citizens write to, shown on every page that names them (urna.core.context_processors).
# The defaults are examples for the demo: set the short code, USSD string and WhatsApp number the
# operators gave.
URNA_SMS_SHORT_CODE = os.environ.get("URNA_SMS_SHORT_CODE", "85432")
URNA_USSD_CODE = os.environ.get("URNA_USSD_CODE", "*345#")
URNA_WHATSAPP_NUMBER = os.environ.get("URNA_WHATSAPP_NUMBER", "+57 300 000 0000")

# --- Open data --------------------------------------------------------------------------------
OPENDATA_LICENSE = os.environ.get(
    "OPENDATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
)
CKAN_URL = os.environ.get("CKAN_URL", "")
CKAN_API_KEY = os.environ.get("CKAN_API_KEY", "")
CKAN_OWNER_ORG = os.environ.get("CKAN_OWNER_ORG", "")
# Socrata portal (datos.gov.co) for manage.py opendata_publish_socrata. An API key (id and
# secret, created in the portal's developer settings) is preferred to a user's password; both
# go as HTTP Basic credentials over HTTPS.
SOCRATA_DOMAIN = os.environ.get("SOCRATA_DOMAIN", "")  # e.g. www.datos.gov.co
SOCRATA_API_KEY_ID = os.environ.get("SOCRATA_API_KEY_ID", "")
SOCRATA_API_KEY_SECRET = os.environ.get("SOCRATA_API_KEY_SECRET", "")
SOCRATA_USERNAME = os.environ.get("SOCRATA_USERNAME", "")
SOCRATA_PASSWORD = os.environ.get("SOCRATA_PASSWORD", "")
# The portal's category for Urna's datasets (must exist on the portal; empty: none).
SOCRATA_CATEGORY = os.environ.get("SOCRATA_CATEGORY", "")
# Official social accounts registry: followers read from the networks' APIs (optional; empty:
# that network is skipped by manage.py socialaccounts_fetch).
SOCIAL_YOUTUBE_API_KEY = os.environ.get("SOCIAL_YOUTUBE_API_KEY", "")
SOCIAL_X_BEARER_TOKEN = os.environ.get("SOCIAL_X_BEARER_TOKEN", "")
# Contact point of the open-data catalogue (DCAT contactPoint).
OPENDATA_CONTACT_EMAIL = os.environ.get("OPENDATA_CONTACT_EMAIL", "")
# Key of the opaque ids in open data; falls back to SECRET_KEY (rotating it would change ids).
OPENDATA_ID_KEY = os.environ.get("OPENDATA_ID_KEY", "")
# Key of the participants' hashes (one answer per person to a closed question, deliberation
# participants); falls back to SECRET_KEY: set it so rotating SECRET_KEY does not let everyone
# answer again or vote as a new participant.
PARTICIPANT_ID_KEY = os.environ.get("PARTICIPANT_ID_KEY", "")

# --- Metrics ----------------------------------------------------------------------------------
# Bearer token of /metrics (Prometheus); empty: only scrapers on this machine (urna.ops.metrics).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- Logging: never personal data, never request bodies ---------------------------------------
# LOG_FORMAT=json: one JSON object per line (for a log collector), anonymised all the same.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "urna.core.logs.JsonFormatter"},
    },
    # Every line is anonymised (phones, emails, document numbers): see urna.core.logs.
    "filters": {"anonymise": {"()": "urna.core.logs.AnonymiseLogRecord"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["anonymise"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers for its loggers (unfiltered console, mail_admins).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "urna.security": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
