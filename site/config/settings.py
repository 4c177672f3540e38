"""Repères settings: one module, driven by environment variables.

The embedded default (no variable set) serves one machine: SQLite in `var/`, local
media, immediate tasks, console e-mail. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL… (see docs and README).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications -------------------------------------------------------------------

INSTALLED_APPS = [
    # Floors, from the ground up (docs/architecture.md).
    "core",
    "accounts",
    "home",
    "guides",
    "courses",
    "certificates",
    "surveys",
    "quality",
    "offline",
    "pilotage",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (public site and Wagtail's admin) and Permissions-Policy.
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for anonymous readers, whole, from the shared cache (core/page_cache.py):
    # under the security headers (added to every answer), above the session and the
    # database (a hit touches neither).
    "core.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent from staff pages to enrolment.
    "accounts.mfa.StaffMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's page view finds its site in the content cache (core/content_cache.py).
    "core.middleware.CachedSiteMiddleware",
    # A stored file the object store cannot give just now: a 503 page, not a 500
    # (core/storage_errors.py, docs/deployment.md « Pannes »).
    "core.storage_errors.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database, cache, storage -----------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite serves one machine; WAL keeps readers from blocking the writer.
    # Connections persist between requests (CONN_MAX_AGE, as with PostgreSQL):
    # opening one costs about 2 ms of Python (Django registers its SQL functions).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("PG_JIT", "off") == "off"
):
    # No JIT compilation: the pilotage's counts with correlated EXISTS are estimated
    # far above `jit_above_cost` and spent 1.4 s compiling for 0.3 s of work on
    # 100,000 learners (`make bench-scale`, issue 15). PG_JIT=on gives it back.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Read as an empty cache while Redis is unreachable (core/cache.py): pages still
    # serve, from PostgreSQL. Short timeouts, so that an unanswering Redis (a host
    # gone, not a refused port) costs a second, not a request's whole time.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (or test runs) may share one Redis database.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "reperes"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # Files in var/: shared by the app server's processes on this machine. The content
    # cache (core/content_cache.py), Wagtail's and allauth's need one cache for all
    # processes; a per-process memory cache would serve what another saw change.
    # Django's file cache with `add` and `incr` made atomic (core/cache.py): rate limits
    # hold exactly under concurrency, as on Redis.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.AtomicFileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Whole public pages for anonymous readers (core/page_cache.py), dropped with the
# content cache and the sessions' seats. Besides Wagtail's pages, these views' pages
# (URL names) are cached; each must render the same bytes for every anonymous reader.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_VIEWS = [
    "search",
    "sessions:list",
    "sessions:detail",
    "results:overview",
    "results:publisher",
    "offline:fallback",
]
# Seconds an entry lives at most: what changes with the clock alone (registrations
# closing, the hourly results) is at most this late.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "300"))
# What a reverse proxy, a CDN or a browser may keep (Cache-Control): briefly, since a
# publication must show at once.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "30"))
PAGE_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "30"))

# Sessions are read on every signed-in request: from the cache, written through to
# the database (they survive a cache restart).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Image renditions (MEDIA_ROOT/images/) served by the app itself: on in development
# and in the embedded one-machine mode (`make run`); behind a proxy, the proxy serves
# them (docs/deployment.md). Documents and private files never are (config/urls.py).
SERVE_MEDIA_IMAGES = env_bool("SERVE_MEDIA_IMAGES", DEBUG)
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Certificates (and later other personal files) live outside MEDIA_ROOT: nothing
# serves that folder; views check who asks, then stream the file.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Optional S3-compatible object storage (django-storages, `pip install -e '.[s3]'`),
# for several app servers without a shared disk. Media (images, documents) go to
# S3_BUCKET under `media/`; certificates and signatures to S3_PRIVATE_BUCKET (or the
# same bucket) under `private/`, always private: views stream them after checking
# who asks, exactly as with local files. Image URLs must not expire (pages are cached),
# so only `media/images/` (renditions, not originals with their EXIF data) may be public-read in the
# bucket policy; documents are served through Wagtail's view. See docs/deployment.md.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
# Where browsers fetch public images from, for the Content-Security-Policy: the custom
# domain, else the endpoint's origin (path-style URLs); plain AWS without either
# needs CSP_MEDIA_ORIGINS.
S3_MEDIA_ORIGIN = ""
if S3_BUCKET:
    from botocore.config import Config as _BotoConfig

    _S3_OPTIONS = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
        "default_acl": None,  # the bucket policy decides, never an object ACL
        "file_overwrite": False,
        # A store that does not answer must give the « réessayez » page
        # (core/storage_errors.py) well before gunicorn's 30 s timeout kills the
        # worker: botocore's defaults (60 s to connect, 5 attempts) would not.
        "client_config": _BotoConfig(
            connect_timeout=int(os.environ.get("S3_CONNECT_TIMEOUT", "3")),
            read_timeout=int(os.environ.get("S3_READ_TIMEOUT", "10")),
            retries={"mode": "standard", "total_max_attempts": 2},
        ),
    }
    if _S3_OPTIONS["custom_domain"]:
        S3_MEDIA_ORIGIN = f"https://{_S3_OPTIONS['custom_domain'].strip('/')}"
    elif _S3_OPTIONS["endpoint_url"]:
        S3_MEDIA_ORIGIN = "/".join(_S3_OPTIONS["endpoint_url"].split("/")[:3])
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "location": "media", "querystring_auth": False},
    }
    STORAGES["certificates"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or S3_BUCKET,
            "location": "private",
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }

# --- Tasks (PDFs, e-mails) ----------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Accounts (django-allauth) ------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the signed-in person from the shared cache
# (accounts/user_cache.py). Sessions name these paths.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
# The password checked against the name typed in the form too (accounts/signup.py).
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Repères] "
# One address per account, replaced only once the new one is verified.
ACCOUNT_CHANGE_EMAIL = True
# Tell people when their password or address changes (allauth's notification mails).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# A password reset for an unknown address sends nothing: the platform must not
# become a way to mail arbitrary addresses. The page shown is the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# allauth's default rate limits (login, failed logins per address and per account,
# password reset, signup…), counted in the shared cache (Redis in production) so that
# every app server sees the same counts (tests/accounts/test_accounts_rate_limits.py).
# Failed logins: 10 a minute per address, 5 in 5 minutes per account; a browser that
# signed in to the account before counts per browser instead of per account, so that
# strangers cannot keep the owner out (accounts/devices.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_device": "5/5m/key",
}
# X-Forwarded-For is believed only as far as our own proxies go (0: ignored). One rule
# for allauth's rate limits and ours: core/client_ip.py.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Confirm one's password (or a second factor) again before changing an e-mail
# address or a second factor; a password change asks for the current one.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Not by a code sent by e-mail: a stolen session plus the mailbox would then be enough
# to turn a second factor off.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
MFA_REAUTHENTICATION_REQUIRED = True
# Two-factor authentication: required for staff (accounts/mfa.py), open to everyone.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Second-factor secrets are encrypted in the database under this key (accounts/mfa_secrets.py):
# set it in production and keep it out of database backups; SECRET_KEY by default.
MFA_SECRET_KEY = os.environ.get("MFA_SECRET_KEY", "")
MFA_SECRET_KEY_FALLBACKS = env_list("MFA_SECRET_KEY_FALLBACKS")
# Security keys (WebAuthn, fido2) need a secure context: HTTPS, or http://localhost.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_FORMS = {
    "add_webauthn": "accounts.mfa_forms.AddWebAuthnForm",
    "edit_webauthn": "accounts.mfa_forms.EditWebAuthnForm",
}
MFA_TOTP_ISSUER = "Repères"
# The code of the previous or next 30 seconds is accepted too (a phone's clock drifts,
# typing takes time); each code still works only once.
MFA_TOTP_TOLERANCE = 1
# allauth refuses a new (unverified) address to accounts with MFA, lest someone sign
# up with another person's address, turn MFA on and lock its owner out. Verification
# is mandatory here, so an unverified account never signs in to turn MFA on; without
# this, staff (who must have MFA) could never change their address.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# --- E-mail -------------------------------------------------------------------------

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
if EMAIL_URL.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme in {"smtp+tls", "submission"}
    EMAIL_USE_SSL = _email.scheme == "smtps"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Repères <ne-pas-repondre@reperes.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "reperes_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Wagtail ------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Repères"


def served_address():
    """http://HOST:PORT, where `make run` and `make dev` serve (Makefile).

    The public address is what certificates, their QR codes, e-mails and calendar
    feeds carry (core/links.py): on this machine it must follow the port actually
    served, or `make run PORT=8765` prints links to another program on 8000.
    """
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104  (every interface: this machine answers on loopback)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('PORT') or '8000'}"


# Production sets WAGTAILADMIN_BASE_URL (docs/deployment.md).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or served_address()
# One login path: the admin sends people to allauth, and manages no password itself.
# /admin/login/ is routed to accounts.views.admin_login, which hands over to allauth
# (and refuses signed-in people without admin access instead of looping).
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# The login address changes through allauth's e-mail page (verification), not here.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "french",
    }
}
# Uploads (tests/config/test_uploads.py). Documents: an allowlist of extensions, served
# by Wagtail's view (collection permissions, `default-src 'none'`, nosniff), always as
# a download, PDFs included: nothing uploaded is ever rendered by the browser on our
# origin. MEDIA_ROOT/documents/ itself is never served (see config/urls.py).
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
# The content of an upload must match its extension (an HTML page named .pdf is
# refused): core/uploads.py has a rule for each extension above.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.documents.DocumentForm"
# Images: bitmaps only (an SVG can carry scripts), bounded in bytes and in pixels
# (a small file can decompress to a huge bitmap).
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_MODERATION_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security -----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, config.middleware.ContentSecurityPolicyMiddleware).
# Public site: our own origin only. Scripts are external files (static/js/); an inline
# script would need `nonce="{{ request.csp_nonce }}"` — never inside {% content_cache %},
# whose fragments are shared. No inline style either: classes in static/css/. `data:`
# images: canvas and PDF previews. Media on another origin (object storage) is added
# with CSP_MEDIA_ORIGINS.
# With S3 media, the bucket's public origin (custom domain or endpoint) is added.
_CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS") + ([S3_MEDIA_ORIGIN] if S3_MEDIA_ORIGIN else [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The installable app (site/offline/): its manifest and its service worker
        # (/sw.js), from our own origin only. default-src would allow them already;
        # named, so that a change of default-src does not silently break them.
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail's admin (under its URL): what Wagtail 8 needs, measured by loading its pages
# in Chromium (tests/browser/test_security_headers.py), still no other origin. Its form
# widgets write inline scripts (`initDateChooser(…)`, different on every page, so no
# hash can list them) and its editor's scripts insert <style> elements: 'unsafe-inline'
# scripts and styles, admin only. frame-ancestors/frame-src 'self': the editor's live
# preview is a same-origin iframe.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *_CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The admin makes no request to another site: no Gravatar (it would send a hash of
# each staff address to a third party), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No page uses these browser features (participants scan the check-in QR code with
# their phone's own camera app, which opens a link): denied, for frames too. WebAuthn
# (publickey-credentials-*) and fullscreen keep their default, our own origin.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# HTTPS defaults to on outside DEBUG; `make run` serves plain HTTP on 127.0.0.1 and
# turns it off explicitly (HTTPS=0).
HTTPS = env_bool("HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The health probe may call an app server directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload directive only matters once the domain is submitted to the list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # `__Host-` cookies must be Secure, for Path=/ and without Domain: no subdomain
    # (or plain-HTTP page) can set or shadow the session or the CSRF token.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging ------------------------------------------------------------------------

# `LOG_FORMAT=json` in production: one JSON object per line (config/logs.py). Either
# way, secret URL parts (verification codes, feed and check-in tokens, reset keys)
# are redacted before any formatter sees them.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "config.logs.RedactSecretsFilter"}},
    "formatters": {
        # The time as gunicorn writes it (config/gunicorn_logger.py), with its offset.
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default handlers for its loggers (console only in DEBUG,
        # mail to ADMINS, which is not used): everything goes through the one
        # redacting handler above.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Project ------------------------------------------------------------------------

# PDFs are built from bundled assets only (see core/pdf.py).
PDF_ASSET_ROOT = BASE_DIR / "static"

# Certificates of deleted accounts stay verifiable this many years after issue, then
# lose their holder's name and PDF (certificates/retention.py, `anonymise_certificates`).
CERTIFICATE_RETENTION_YEARS = int(os.environ.get("CERTIFICATE_RETENTION_YEARS", "3"))
# The issuer's key (certificates/signing_keys.py): a PKCS#12 file outside the
# repository and its passphrase. It signs every certificate's PDF (PAdES) and Open
# Badge (VC-JWT). Rotation: point these at a new file; keys used before stay known
# (their public certificates are recorded at first use), so old documents still verify.
# `make run` creates a demo key marked « démonstration » under var/signing/.
SIGNING_KEY_FILE = os.environ.get("SIGNING_KEY_FILE", "")
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
# Without SIGNING_KEY_FILE, a development machine (DEBUG, or SIGNING_DEMO_KEY=1 as the
# bench and load scripts set) signs with the demo key under VAR_DIR/signing/, created
# at first use; a deployment without a key refuses to sign (and `check --deploy` says so).
SIGNING_DEMO_KEY = env_bool("SIGNING_DEMO_KEY", DEBUG)
SIGNING_DEMO_KEY_DIR = VAR_DIR / "signing"
# An RFC 3161 timestamp authority: set, certificates are signed PAdES B-T, else B-B.
SIGNING_TSA_URL = os.environ.get("SIGNING_TSA_URL", "")

# Complaints closed this many years ago lose who filed them and what they wrote; the
# reference, subject, dates and status stay for the quality audit's counts (one
# Qualiopi certification cycle is three years). site/quality/retention.py.
COMPLAINT_RETENTION_YEARS = int(os.environ.get("COMPLAINT_RETENTION_YEARS", "3"))

# The installable app (site/offline/, docs/architecture.md « Hors ligne »). Its service
# worker keeps, once visited, the anonymous version of the pages and PDFs under these
# prefixes — the guides, the « Que faire ? » path, the directory — and nothing else.
OFFLINE_PREFIXES = ["/guides/", "/que-faire/", "/ressources/"]
# Never kept nor answered by the worker, even if a prefix above came to cover them:
# everything personal (accounts, « Mon espace », certificates, the trainer area,
# registrations, check-in, questionnaires, complaints), the admin and the documents.
OFFLINE_NEVER_PREFIXES = [
    "/admin/",
    "/comptes/",
    "/compte/",
    "/espace/",
    "/apprendre/",
    "/formateur/",
    "/verifier/",
    "/calendrier/",
    "/pointage/",
    "/questionnaires/",
    "/reclamation/",
    "/documents/",
    "/_util/",
]
# What the offline page needs to be drawn without the network (kept on install).
OFFLINE_PRECACHE_STATIC = [
    "css/site.css",
    "css/guides.css",
    "js/offline.js",
    "fonts/source-sans-3-latin-400-normal.woff2",
    "fonts/source-sans-3-latin-700-normal.woff2",
    "img/favicon.svg",
    "img/logo.svg",
]
# Visited pages and PDFs kept at most (the oldest go first); those the reader marks
# « Disponible hors ligne » are not counted and stay until removed.
OFFLINE_MAX_PAGES = int(os.environ.get("OFFLINE_MAX_PAGES", "60"))
# How long a page waits for the network before the kept copy is shown.
OFFLINE_NETWORK_TIMEOUT_MS = int(os.environ.get("OFFLINE_NETWORK_TIMEOUT_MS", "3000"))
# Seconds a proxy or the browser may keep /hors-ligne/version.json.
OFFLINE_VERSION_MAX_AGE = 10
