"""Orgmodel settings, read from the environment (see README, "Configuration")."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secure_proxy_ssl_header() -> tuple[str, str] | None:
    """Trust X-Forwarded-Proto only when DJANGO_SECURE_PROXY_SSL_HEADER says a proxy in front sets it (and
    overwrites what clients send); without such a proxy any client could claim that its request was HTTPS."""
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
        return ("HTTP_X_FORWARDED_PROTO", "https")
    return None


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-orgmodel-development-only"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "mptt",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "csp",
    "centers",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "orgmodel.middleware.SiteCSPMiddleware",
    "orgmodel.middleware.RefuseUnstorableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# First the login lockout (django-axes, see below); then model permissions from the role groups and object
# permissions (a director's portfolio) from centers/rules.py.
AUTHENTICATION_BACKENDS = [
    "orgmodel.middleware.LoginLockoutBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "orgmodel.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "orgmodel.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
# Each language is named in itself, whatever language the page is in.
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per language: orgmodel/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["orgmodel.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
NODE_MODULES = BASE_DIR / "node_modules"
# Our own assets, plus the built files of the npm packages in package.json (installed by scripts/setup).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/d3", NODE_MODULES / "d3" / "dist"),
    ("vendor/d3-flextree", NODE_MODULES / "d3-flextree" / "build"),
    ("vendor/d3-org-chart", NODE_MODULES / "d3-org-chart" / "build"),
    ("vendor/dkfds", NODE_MODULES / "dkfds" / "dist"),
]
# Where collectstatic writes (scripts/serve runs it); a test or a deployment may put it elsewhere.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FORMS_URLFIELD_ASSUME_HTTPS = True

# The REST API (/api/, README "API"): reads for everyone, writes for signed-in users through the services
# (token, or session with CSRF); refusals of the services map to 400/403 in orgmodel.api.exceptions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "orgmodel.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "orgmodel.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "orgmodel.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Orgmodel API",
    "DESCRIPTION": (
        "Danish municipalities' administrative organisations: versions, units, posts, people, tasks, committees "
        "and who serves them. Elements are found by their keys, which are their stable identity across versions. "
        "Reads are open; writes need a token (`Authorization: Token …`) or a signed-in session with CSRF, and go "
        "through the same rules and history as the admin. The examples are taken from the shipped fixtures (long notes "
        "shortened with …), but for the history entry, which shows a move made after loading."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "centers.choices.UnitKind",
        "PostKindEnum": "centers.choices.PostKind",
        "VersionStatusEnum": "centers.models.OrgVersion.Status",
    },
}

# A structure file larger than this is refused before it is read (memory stays bounded).
ORGMODEL_MAX_STRUCTURE_BYTES = int(os.environ.get("ORGMODEL_MAX_STRUCTURE_BYTES", str(8 * 1024 * 1024)))

# Graphviz downloads (centers/diagram_views.py) are drawn on public URLs: a diagram of more units (or a reporting
# line of more steps) than this is refused before it is built, `dot` is stopped after the timeout, and what it
# drew is kept in the "diagrams" cache until the version changes (or the cache time runs out).
ORGMODEL_DIAGRAM_MAX_UNITS = int(os.environ.get("ORGMODEL_DIAGRAM_MAX_UNITS", "1500"))
ORGMODEL_DIAGRAM_TIMEOUT_SECONDS = float(os.environ.get("ORGMODEL_DIAGRAM_TIMEOUT_SECONDS", "20"))
ORGMODEL_DIAGRAM_CACHE_SECONDS = int(os.environ.get("ORGMODEL_DIAGRAM_CACHE_SECONDS", str(24 * 60 * 60)))

# Per process, in memory. The diagrams get their own, small cache so that a few large PDFs cannot crowd out
# anything else.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "orgmodel"},
    "diagrams": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "orgmodel-diagrams",
        "TIMEOUT": ORGMODEL_DIAGRAM_CACHE_SECONDS,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ORGMODEL_DIAGRAM_CACHE_ENTRIES", "100"))},
    },
}

# Login lockout (django-axes): after ORGMODEL_LOGIN_FAILURE_LIMIT failed logins for one username from one address,
# that username is refused from that address for ORGMODEL_LOGIN_COOLOFF_MINUTES; a successful login resets the
# count. The address is REMOTE_ADDR: behind a proxy every client shares the proxy's address. An administrator
# can lift a lockout in the admin ("Access attempts") or with `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = int(os.environ.get("ORGMODEL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=float(os.environ.get("ORGMODEL_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "centers/login_locked_out.html"
# A locked-out client that keeps trying does not extend its own lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Content-Security-Policy (django-csp, through orgmodel.middleware.SiteCSPMiddleware). Every script and stylesheet
# is a file of our own: no inline <script>, <style>, style="" or event handler attribute. Only the admin adds
# `style-src-attr 'unsafe-inline'`, for the indentation of django-mptt's tree (style attributes run no code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The reporting-line page embeds its SVG with <object>; that view allows framing by the site itself.
        "object-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

SECURE_PROXY_SSL_HEADER = secure_proxy_ssl_header()

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
