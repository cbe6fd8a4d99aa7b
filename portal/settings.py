"""Settings for the participation portal, read from the environment.

Safe by default: DEBUG is off unless the environment turns it on, and
without DEBUG the portal refuses to start with no SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (never committed): `make` writes one with DEBUG=1 in a
# development checkout. The real environment wins over it; ENV_FILE names
# another file, and ENV_FILE= (empty) reads none.
_env_file = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. For development, set DEBUG=1 "
            "(the Makefile does), or put DEBUG=1 in a .env file."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The project-local PostgreSQL started by `make run` / `make test`.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:54329/portal")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A form's choices are read with .iterator(): a server-side cursor would
# cost three round trips (DECLARE, FETCH, CLOSE) for a few rows, and breaks
# behind a transaction-pooling PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A misspelt search word is taken for the municipality's words at this
# trigram word similarity or more, through the search words' trigram index
# (hearings/search.py); pg_trgm's default is 0.6.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c pg_trgm.word_similarity_threshold=0.5"
)

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # The admin with PortalAdminSite: lists filter only by what they declare.
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "portal",
    "groups",
    "hearings",
    "budget",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the form data: an undecodable body is a 400.
    "portal.middleware.RequestBodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.MunicipalityMiddleware",
    # A page in the resident's language when the database is down.
    "portal.middleware.DatabaseUnavailableMiddleware",
    # django-axes asks to come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Kyrgyz first (the default), Russian second.
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers as each language writes them (portal/formats/*/formats.py).
# USE_THOUSAND_SEPARATOR stays off: years and ids must not be split; amounts
# use the `amount` template filter.
FORMAT_MODULE_PATH = "portal.formats"
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True

# django-modeltranslation: staff-written text exists in both languages and
# falls back to the other one when a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ky"
MODELTRANSLATION_LANGUAGES = ("ky", "ru")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ky", "ru"), "ky": ("ru",), "ru": ("ky",)}

# Youth, by the Law of the Kyrgyz Republic "On youth" (No. 157 of 4 August
# 2023): citizens aged 14 to 35 inclusive. Derived from the birth year.
YOUTH_AGE_MIN = env.int("YOUTH_AGE_MIN", default=14)
YOUTH_AGE_MAX = env.int("YOUTH_AGE_MAX", default=35)
# Groups with a smaller share of women (in %) are flagged; the seed's benchmark.
WOMEN_SHARE_BENCHMARK = 30

# Online proposals: at most this many from one address within the window (seconds).
PROPOSAL_RATE_LIMIT = env.int("PROPOSAL_RATE_LIMIT", default=3)
PROPOSAL_RATE_WINDOW = env.int("PROPOSAL_RATE_WINDOW", default=3600)
# A safety valve: when more online proposals than this arrived within the
# last hour and still await moderation, the form asks residents to try later.
PROPOSAL_QUEUE_LIMIT = env.int("PROPOSAL_QUEUE_LIMIT", default=200)
PROPOSAL_TEXT_MIN = 20
PROPOSAL_TEXT_MAX = 2000
# The header holding the client's address when a proxy stands in front
# (e.g. HTTP_X_REAL_IP); empty means REMOTE_ADDR.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Nothing is kept on an app server's disk (README, "More than one server"):
# the default cache is per process (large enough for every municipality's
# host, with and without www., and its facts in both languages: some ten
# keys and 20 KB at most a municipality) unless CACHE_URL names a shared one
# (e.g. redis://host:6379/0 for several servers); rendered PDF reports,
# named by the hash of their HTML (portal/reports.py), live in a table of
# the database, which every worker and every server shares.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://?MAX_ENTRIES=20000"),
    "reports": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_report_cache",
        "TIMEOUT": 30 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# A request's municipality, found by its host, is kept this long in the
# default cache; saving or deleting a municipality forgets it at once in
# the shared cache (or in the process that saved, with a per-process one).
MUNICIPALITY_CACHE_SECONDS = env.int("MUNICIPALITY_CACHE_SECONDS", default=60)
# A municipality's filter choices (its villages, latest hearings and years),
# its number of public proposals, the names its proposal cards show, its
# groups' and projects' figures, programmes, budgets, projects, hearings and
# groups are cached as long; a write drops them at once (portal/facts.py).
FACTS_CACHE_SECONDS = env.int("FACTS_CACHE_SECONDS", default=60)
# A national installation's own domain (e.g. ayil.kg): its home page lists
# the municipalities; every other unknown host gets a 404.
PORTAL_ROOT_DOMAIN = env.str("PORTAL_ROOT_DOMAIN", default="").lower()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# With several app servers, uploads go to S3-compatible object storage
# (django-storages, the "servers" extra: `scripts/venv.sh --extra servers`).
if env.str("MEDIA_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_BUCKET"),
            "endpoint_url": env.str("MEDIA_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_REGION", default="") or None,
            "access_key": env.str("MEDIA_ACCESS_KEY", default="") or None,
            "secret_key": env.str("MEDIA_SECRET_KEY", default="") or None,
            # Two uploads of one name never overwrite each other.
            "file_overwrite": False,
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content security policy: nothing from other hosts, no inline scripts.
# Bootstrap's CSS draws icons as data: SVG images.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Production hardening; a TLS-terminating proxy is assumed in front.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Monitors ask over plain HTTP; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"]  # HSTS preload is the operator's choice.

# E-mail: EMAIL_URL such as smtp+tls://user:password@smtp.example.kg:587.
# Development prints messages to the console.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _smtp_options.items()
            if key in _email and _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", a) for a in env.list("ADMINS", default=[])]

LOGIN_URL = "admin:login"
# After logging in without a (safe) `next`: the admin, not /accounts/profile/.
LOGIN_REDIRECT_URL = "admin:index"

# Admin logins (django-axes): after 5 failures for one user name from one
# address, that pair waits 15 minutes; a success clears the count. The
# address is the one the rate limit on proposals sees (CLIENT_IP_HEADER).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hearings.views.client_address"
AXES_LOCKOUT_CALLABLE = "portal.views.login_locked_out"  # templates/axes/lockout.html
# Failed attempts only: successful logins are not logged, and lockouts are
# lifted with `manage.py axes_reset_username NAME`, not in the admin.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint reports every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes: failed logins and lockouts (warnings), not its banner or successes.
        "axes": {"level": "WARNING"},
    },
}
