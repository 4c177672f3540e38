"""Test overrides: fast hashing, immediate tasks, in-memory mail, isolated media."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "0")
# Browser tests talk to a plain-HTTP live server; check --deploy is tested separately.
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 20)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="reperes-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="reperes-test-private-")
atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
# Collected static files are `make run`'s, not the tests' (the live server serves the
# sources): an empty folder, so that WhiteNoise does not warn « No directory at:
# var/static/ » for every request handler of a fresh clone's `make test`.
STATIC_ROOT = tempfile.mkdtemp(prefix="reperes-test-static-")
atexit.register(shutil.rmtree, STATIC_ROOT, ignore_errors=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "certificates": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache (core/page_cache.py) is off: the suite's query budgets measure the
# views, which a cached page would skip. tests/pagecache/ turns it on; so does
# `PAGE_CACHE_ENABLED=1` for a whole run.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", False)  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAIL_EDITING_SESSION_PING_INTERVAL = 600_000  # no background pings during browser tests

# SQLite: a file, not the in-memory default. Browser tests run a live server whose
# threads share an in-memory database in "shared cache" mode, where concurrent
# requests fail at once with « database table is locked » instead of waiting.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"reperes-test-{os.getpid()}.sqlite3")
    }
