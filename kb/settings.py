"""Settings for the knowledge base, driven by environment variables.

Safe by default: DEBUG is off unless DJANGO_DEBUG is set, and the fallback secret key is marked
`django-insecure-` so that `check --deploy` refuses to pass while it is in use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-dev-only-3f9c1e7a0b5d4c2e8f6a9b1d0c7e5f3a"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_filters",
    "markdownx",
    "simple_history",
    "csp",
    "axes",
    "kb",
    "glossary",
    "models_catalog",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored public pages for readers without a session, before the layers they do not need.
    "kb.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes must come last: it turns a lockout raised during authentication into its page.
    "axes.middleware.AxesMiddleware",
]

# django-axes' backend first: it refuses to authenticate a locked-out user/address pair before
# the password is even checked, so a correct password while locked out is refused too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers run beside a writer, the busy timeout makes
# writers queue instead of failing with "database is locked", and IMMEDIATE transactions take the
# write lock up front so a read-then-write transaction cannot deadlock half-way.
SQLITE_PATH = os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Editors typing "example.org" into a URL field mean https (Django 6.0's default).
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kb",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kb",
        }
    }
# The page-cache generation (kb/caching.py) must be one value for every worker process: the
# same Redis, or without it a tiny file-based cache on this machine.
CACHES["kb-shared"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DJANGO_SHARED_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
    }
)
# Pages are invalidated exactly; these only bound memory and browsers' reuse.
KB_PAGE_CACHE_SECONDS = int(os.environ.get("KB_PAGE_CACHE_SECONDS", "600"))
KB_PAGE_BROWSER_MAX_AGE = int(os.environ.get("KB_PAGE_BROWSER_MAX_AGE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Hashed files may be cached for ever; WhiteNoise adds the far-future headers for them.
WHITENOISE_MAX_AGE = 3600

# --- Security -------------------------------------------------------------------------------
# Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"], "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# The CSRF cookie stays readable by scripts on purpose: the markdownx editor sends it with its
# preview and upload requests. HttpOnly would add nothing there (Django's docs: the token is in
# every form anyway); SameSite and Secure are what protect it.
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp). No inline scripts or styles anywhere, the admin included:
# all JavaScript and CSS are static files from our own origin. Django 5.2's admin and the markdownx
# editor need no relaxation (they style elements through the CSSOM, which CSP allows; a browser
# test watches the admin change form with its live preview for violations). Images are our own
# static files and editors' uploads only: no data: URLs, which the Markdown sanitizer drops anyway.
SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

# --- Login throttling (django-axes) ---------------------------------------------------------
# Five failed logins for one username from one address lock that pair out for an hour; other
# users, and the same user elsewhere, are unaffected (an attacker cannot lock an editor out of
# the whole site). The lockout page answers 429 (templates/axes/lockout.html).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(hours=float(os.environ.get("AXES_COOLOFF_HOURS", "1")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy the client address comes from X-Forwarded-For, counted from the right by
# the number of trusted proxies (DJANGO_TRUSTED_PROXY_COUNT); directly exposed, REMOTE_ADDR.
KB_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "kb.client_ip.client_ip"

# --- Editorial settings ---------------------------------------------------------------------
# A matrix cell verified longer ago than this is shown as stale.
KB_REVIEW_INTERVAL_DAYS = int(os.environ.get("KB_REVIEW_INTERVAL_DAYS", "180"))
KB_SITE_NAME = "Open vs Closed AI"
KB_CONTENT_DIR = BASE_DIR / "content"

# django-markdownx: previews go through the site's one sanitizing renderer; uploads are checked
# again by our own view (see articles/uploads.py) rather than trusting the browser's content type.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "kb.rendering.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
