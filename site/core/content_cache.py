"""A shared cache of what every page reads and editors rarely change.

Learners read the same pages all day; editors change them a few times a week. So the
site, its sections, the modules' outlines, the rendered lesson bodies and the footer
are kept in Django's cache, and *everything* is dropped whenever content changes (a
page saved, published, unpublished, moved or deleted; a site, its settings, a view
restriction, an image, a document or a publisher changed): rebuilding all of it once
costs less than tracking what depends on what. `core.signals` says what counts as a
change; `ACCESS` is a second generation, for who may open the admin, and `SESSIONS` a
third, for in-person sessions and their seats (the page cache, `core.page_cache`,
depends on CONTENT and SESSIONS).

How an entry stays correct
- Each entry is stored with the *generation* it was built under and is used only
  while that generation is current. The generation is read from the shared cache
  once per request; entries are immutable for a generation, so each process also
  keeps recently used ones in memory (pickled, so that every request gets its own
  copy, unless immutable like rendered HTML).
- A change inside a transaction gives that connection a private generation (it sees
  its own uncommitted change, nobody else does) and publishes a fresh shared one
  when the transaction commits. A rollback discards the private generation and what
  was built under it. So another request never stores old content under the new
  generation, and nothing built from uncommitted data outlives its transaction
  (this also keeps tests, which roll back, from leaking entries into each other).
- Generations are random tokens, never reused: a lost generation key (eviction, a
  restarted cache) simply starts a new one.
- Entries also carry the *release* that built them (a hash of the project's code,
  templates, translations and static manifest): after a deployment, HTML rendered by
  the previous templates, or pages pickled by the previous models, are rebuilt.

The cache must be shared by every app server process: Redis in production, files in
the embedded default (see CACHES in config/settings.py); a per-process memory cache
would keep serving what another process has seen change.
"""

import functools
import hashlib
import importlib
import os
import pickle
import secrets
import sys
import threading
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import translation

# Entries also expire, so that the keys of deleted pages do not linger.
ENTRY_TIMEOUT = 24 * 3600
# Entries kept in each process's memory (a few KB each).
LOCAL_ENTRIES = 2000

# Within one request, each generation is read from the cache once (a page reads
# several entries); outside requests (tasks, commands) it is read every time.
_request = threading.local()


def _start_request_memo(**kwargs):
    _request.tokens = {}


def _end_request_memo(**kwargs):
    _request.tokens = None


request_started.connect(_start_request_memo, dispatch_uid="content-cache-request-started")
request_finished.connect(_end_request_memo, dispatch_uid="content-cache-request-finished")


# Values shared as they are between requests: nobody can change them.
IMMUTABLE = (str, bytes, int, float, bool)


class _LocalEntries:
    """key -> (generation token, value or its pickle), oldest dropped first."""

    def __init__(self, size):
        self.size = size
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, key, token):
        found = self.entries.get(key)
        if found is None or found[0] != token:
            return None
        token, pickled, value = found
        # Bytes this process pickled itself, never data from outside.
        return pickle.loads(value) if pickled else value  # noqa: S301

    def keep(self, key, token, value):
        pickled = not isinstance(value, IMMUTABLE)
        if pickled:
            value = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self.lock:
            self.entries.pop(key, None)
            self.entries[key] = (token, pickled, value)
            while len(self.entries) > self.size:
                del self.entries[next(iter(self.entries))]


_local = _LocalEntries(LOCAL_ENTRIES)


# Files whose content changes what is cached: code, templates, translations.
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".mo"}


@functools.cache
def release():
    """A hash of what this process renders with: the project's apps, templates,
    settings package and translations, Django's and Wagtail's versions and the
    static files' manifest. The same on every server of one deployment."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    base = Path(settings.BASE_DIR)
    roots = {Path(app.path) for app in apps.get_app_configs()}
    roots |= {Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]}
    roots |= {Path(folder) for folder in settings.LOCALE_PATHS}
    # Overridden settings (tests) do not name their module: the environment does.
    settings_module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE")
    if settings_module:
        roots.add(Path(importlib.import_module(settings_module).__file__).parent)
    files = {
        path
        for root in roots
        # The project's own folders, not the installed packages (versions above).
        if root.is_relative_to(base) and not root.is_relative_to(sys.prefix)
        for path in root.rglob("*")
        if path.suffix in RELEASE_SUFFIXES and path.is_file()
    }
    hashed = hashlib.blake2b(digest_size=8)
    hashed.update(f"{django.__version__} {wagtail.__version__}".encode())
    hashed.update(str(getattr(staticfiles_storage, "manifest_hash", "")).encode())
    for path in sorted(files):
        hashed.update(str(path.relative_to(base)).encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def digest(text):
    """A short, cache-safe stand-in for free text in a key (slugs, host names)."""
    return hashlib.blake2b(str(text).encode(), digest_size=12).hexdigest()


def fragment_prefix(request):
    """Site and language of a request's fragments (page URLs depend on the site), or
    None for a host outside ALLOWED_HOSTS. Worked out once per request."""
    language = translation.get_language()
    known = getattr(request, "_fragment_prefix", None)
    if known is not None and known[0] == language:
        return known[1]
    try:
        prefix = f"{request.get_host()}{chr(31)}{language}"
    except DisallowedHost:
        prefix = None
    request._fragment_prefix = (language, prefix)
    return prefix


class _PublishGeneration:
    """on_commit callback: the transaction's changes are visible, start a new generation.

    While it waits in the connection's `run_on_commit` list, its token is that
    connection's private generation; Django empties the list on rollback.
    """

    def __init__(self, generation):
        self.generation = generation
        self.token = secrets.token_hex(8)

    def __call__(self):
        self.generation.publish()


class Generation:
    # Every generation: a request reads them all in one cache round trip.
    instances = []

    def __init__(self, name):
        self.name = name
        self.key = f"reperes:generation:{name}"
        Generation.instances.append(self)

    def changed(self, using=DEFAULT_DB_ALIAS):
        """Something this generation covers has changed (signal receivers call this)."""
        if connections[using].in_atomic_block:
            transaction.on_commit(_PublishGeneration(self), using=using)
        else:
            self.publish()

    def publish(self):
        token = secrets.token_hex(8)
        cache.set(self.key, token, None)
        memo = getattr(_request, "tokens", None)
        if memo is not None:
            memo[self.key] = token

    def _private_token(self):
        connection = connections[DEFAULT_DB_ALIAS]
        if not connection.in_atomic_block:
            return None
        for _savepoints, callback, *_rest in reversed(connection.run_on_commit):
            if isinstance(callback, _PublishGeneration) and callback.generation is self:
                return callback.token
        return None

    def _shared_token(self):
        memo = getattr(_request, "tokens", None)
        if memo is None:
            return self._stored_token(cache.get(self.key))
        if self.key not in memo:
            stored = cache.get_many([generation.key for generation in Generation.instances])
            for generation in Generation.instances:
                memo[generation.key] = generation._stored_token(stored.get(generation.key))
        return memo[self.key]

    def token(self):
        """The generation this request builds under: its transaction's own, else the shared one."""
        return self._private_token() or self._shared_token()

    def _stored_token(self, token):
        if token is None:
            token = secrets.token_hex(8)
            # Another process may start a generation at the same moment: keep theirs.
            if not cache.add(self.key, token, None):
                token = cache.get(self.key) or token
        return token

    def get_or_build(self, key, build, timeout=ENTRY_TIMEOUT, fresh=None):
        """The cached value of `key`, or `build()` stored under the current generation.

        A `build()` returning None is not stored (unknown slugs or hosts must not
        fill the cache). What a transaction builds after its own change stays out of
        the process's memory (it is discarded with a rollback). `fresh(value)`, when
        given, says whether a stored value still holds for what depends on the clock
        alone (a session that has ended): False rebuilds it.
        """
        private = self._private_token()
        token = private or self._shared_token()
        if (
            not private
            and (value := _local.get(key, token)) is not None
            and (fresh is None or fresh(value))
        ):
            return value
        entry = cache.get(key)
        if (
            entry is not None
            and entry[:2] == (token, release())
            and (fresh is None or fresh(entry[2]))
        ):
            value = entry[2]
        else:
            value = build()
            if value is None:
                return None
            cache.set(key, (token, release(), value), timeout)
        if not private:
            _local.keep(key, token, value)
        return value


def read_with_tokens(key):
    """The value cached at `key`, having read every generation in the same round trip.

    For the page cache (`core.page_cache`), which looks a whole page up before anything
    else reads the cache: one round trip answers it, and on a miss the content cache
    finds the generations already read for this request.
    """
    memo = getattr(_request, "tokens", None)
    wanted = [g for g in Generation.instances if memo is None or g.key not in memo]
    stored = cache.get_many([*(g.key for g in wanted), key])
    if memo is not None:
        for generation in wanted:
            memo[generation.key] = generation._stored_token(stored.get(generation.key))
    return stored.get(key)


# Published content and the site shell built from it.
CONTENT = Generation("content")
# Groups, permissions and superuser flags: who may open the Wagtail admin.
ACCESS = Generation("access")
# In-person sessions and their registrations: what the session pages show (dates,
# places, seats left). Separate from CONTENT, so that a registration does not drop
# the site shell, the outlines and the lesson bodies; the page cache depends on both.
SESSIONS = Generation("sessions")
