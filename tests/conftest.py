"""Shared fixtures: the site root, one user per role, a Chromium for browser tests."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group

from accounts import roles

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in
# those tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `CHROMIUM=/path/to/chromium` to use another build.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
NO_CHROMIUM = (
    f"Chromium not installed ({CHROMIUM} missing): "
    "sudo apt-get install chromium, or CHROMIUM=/path/to/chromium"
)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite; skip browser tests without Chromium.

    On CI (CI=true) a missing browser, or Java for the Nu HTML Checker, fails the run
    instead of skipping.
    """
    from django.conf import settings

    from tests.browser.sweep import nu_checker_missing

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_browser = os.path.exists(CHROMIUM)
    no_checker = nu_checker_missing()
    for item in items:
        if "nu_checker" in item.keywords and no_checker and os.environ.get("CI") == "true":
            raise pytest.UsageError(f"The Nu HTML Checker is required on CI: {no_checker}")
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only"))
        if "browser" in item.keywords and not has_browser:
            if os.environ.get("CI") == "true":
                raise pytest.UsageError(f"Chromium is required on CI ({CHROMIUM} missing)")
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="session", autouse=True)
def _signing_key(tmp_path_factory):
    """One issuer key for the whole run (certificates/signing_keys.py), like the demo key
    of `make run`; tests of rotation point the settings at another one."""
    from django.conf import settings

    from certificates import signing_keys

    path = tmp_path_factory.mktemp("signing") / "issuer.p12"
    signing_keys.create_demo_key(path, "test-passphrase")
    settings.SIGNING_KEY_FILE = str(path)
    settings.SIGNING_KEY_PASSPHRASE = "test-passphrase"
    settings.SIGNING_TSA_URL = ""
    return path


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. Tests roll back, and SQLite then hands
    the same ids to the next test's rows: a user cached by one test (accounts/
    user_cache.py) must not be read for another test's user made without a signal
    (`bulk_create`)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url():
    """No base URL for Playwright's contexts: tests go to `live_server.url` + path.

    Without pytest-base-url, pytest-playwright provides this fixture as a method of a
    plugin object, which pytest 9 deprecates (PytestRemovedIn10Warning, an error
    under `-W error::DeprecationWarning` and in pytest 10). Ours replaces it.
    """
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


# The authenticator app of every staff account made here (see make_user).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(django_user_model, email, role=None, *, mfa=None, **extra):
    """A verified account, in `role` if given.

    Staff must have a second factor (accounts/mfa.py): staff roles, superusers and
    `is_staff` accounts get an authenticator app (TOTP_SECRET) unless `mfa=False`;
    `mfa=True` gives one to anyone (a custom group with admin access, a professional).
    """
    from allauth.account.models import EmailAddress

    from accounts.mfa import add_totp_authenticator

    extra.setdefault("first_name", "Camille")
    extra.setdefault("last_name", "Martin")
    user = django_user_model.objects.create_user(
        email=email, password="motdepasse-solide-42", **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if mfa is None:
        mfa = role in roles.STAFF_ROLES or extra.get("is_superuser") or extra.get("is_staff")
    if mfa:
        add_totp_authenticator(user, TOTP_SECRET)
    return user


@pytest.fixture
def professional(django_user_model):
    return make_user(django_user_model, "pro@example.org", roles.PROFESSIONNEL, profession="cpe")


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "redaction@example.org", roles.REDACTEUR)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "relecture@example.org", roles.RELECTEUR_JURIDIQUE)


@pytest.fixture
def coordinator(django_user_model):
    return make_user(django_user_model, "coordination@example.org", roles.COORDINATION)


@pytest.fixture
def trainer(django_user_model):
    return make_user(django_user_model, "formation@example.org", roles.FORMATEUR)


PASSWORD = "motdepasse-solide-42"


# --- The shared cache, as each deployment has it ------------------------------------------

# A database of Redis for these tests alone, and a key prefix per test: other test runs
# may use the same server at the same time.
SHARED_CACHE_REDIS_URL = "redis://127.0.0.1:6379/14"


def shared_redis():
    """A connection to the tests' Redis database, or the test skipped when none answers."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(SHARED_CACHE_REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not running at {SHARED_CACHE_REDIS_URL}")
    return connection


@pytest.fixture(params=["embedded", "redis"])
def shared_cache(request, tmp_path, settings):
    """The default cache as in production: the embedded default's files, then Redis.

    The tests' own settings use a local-memory cache; rate limits and locks are proved
    on the backends that really run (skipped for Redis when no server answers).
    """
    import uuid

    import config.settings as production

    if request.param == "embedded":
        if production.REDIS_URL:
            pytest.skip("REDIS_URL is set: this run has no embedded default cache")
        default = {**production.CACHES["default"], "LOCATION": str(tmp_path / "cache")}
        settings.CACHES = {"default": default}
        yield request.param
        return
    connection = shared_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": SHARED_CACHE_REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield request.param
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)
