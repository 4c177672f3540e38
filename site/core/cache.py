"""The embedded default's shared cache: Django's file cache, with atomic `add` and `incr`.

Django's `FileBasedCache` does `add()` as « has_key, then set » and `incr()` as « get,
then set »: two processes (or two threads) can both add the same key, or both read 7
and both write 8. Our rate limit counts with `add` + `incr` (certificates/ratelimit.py),
allauth's rate limits lock themselves with `add` (`cache_lock` in
allauth/core/internal/ratelimit.py), the content cache starts its generations with
`add`: on plain files, 60 concurrent verifications let 22 through where 20 were
allowed. Redis does both atomically (SET NX, INCRBY); here both run under an exclusive
`flock()` on a lock file in the cache directory. It holds between the app server's
processes on this machine and between threads of one process: each acquisition opens
the file anew, and flock locks belong to the open file, not to the process (unlike
`fcntl`/`lockf` record locks, which a process's threads would share).

Only the read-modify-write operations take the lock; `get` and `set` stay as Django
writes them (a `set` replaces the file at once with a rename).
"""

import fcntl
import logging
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager, suppress

import redis
from asgiref.sync import sync_to_async
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files.move import file_move_safe

# Not a `*.djcache` file: never culled, never removed by `clear()`.
LOCK_FILE_NAME = "atomic-operations.lock"

_MISSING = object()

logger = logging.getLogger("reperes.cache")


class AtomicFileBasedCache(FileBasedCache):
    """`FileBasedCache` whose `add`, `incr` and `decr` are atomic across processes."""

    @contextmanager
    def _exclusive(self):
        self._createdir()  # the directory may be removed at any time, as Django says
        with open(os.path.join(self._dir, LOCK_FILE_NAME), "ab") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        """Like Redis's INCRBY on an existing key: the key keeps its expiry.

        (Django's generic `incr` writes the new value with the default timeout.)
        """
        fname = self._key_to_file(key, version)
        with self._exclusive():
            expiry, value = self._read_entry(fname)
            if value is _MISSING:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self._write_entry(fname, expiry, value)
        return value

    async def aincr(self, key, delta=1, version=None):
        return await sync_to_async(self.incr, thread_sensitive=True)(key, delta, version)

    async def adecr(self, key, delta=1, version=None):
        return await self.aincr(key, -delta, version)

    def _read_entry(self, fname):
        """(expiry, value) of a live entry, or (None, _MISSING)."""
        try:
            with open(fname, "rb") as entry:
                # The cache's own files, written by this backend (as Django reads them).
                expiry = pickle.load(entry)  # noqa: S301
                if expiry is not None and expiry < time.time():
                    return None, _MISSING
                return expiry, pickle.loads(zlib.decompress(entry.read()))  # noqa: S301
        except (FileNotFoundError, EOFError):
            return None, _MISSING

    def _write_entry(self, fname, expiry, value):
        """Write to a temporary file, then rename: readers see the old or the new entry."""
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as entry:
                entry.write(pickle.dumps(expiry, self.pickle_protocol))
                entry.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            file_move_safe(tmp_path, fname, allow_overwrite=True)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(tmp_path)
            raise


# --- Redis, when it is down ---------------------------------------------------------------

# How long a process leaves Redis alone after finding it unreachable: one failed call
# (refused at once, or up to the socket timeouts of settings.py) then plain misses,
# instead of paying the timeout again on every cache call of every request.
REDIS_RETRY_AFTER = 5.0

# Per process and per Redis address: Django makes one cache object per thread, and all
# the threads of a process should learn at once that Redis is down.
_redis_down_until = {}
# Redis addresses to which this process dropped a write while they were unreachable.
_lost_writes = set()


def _batches(iterable, size=500):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that reads as an empty cache while Redis is unreachable.

    The cache holds nothing that is not elsewhere: sessions are written through to
    PostgreSQL (`cached_db`), content is rebuilt from the database, task results live
    in PostgreSQL. So a Redis outage must cost speed, not pages: a read is a miss, a
    write (`set`, `add`) is dropped as if done, `incr` finds no key. `add` reports
    success, as `set` does: allauth takes its rate-limit lock with `add` and answers
    429 to everyone when it cannot (no lock held in the cache guards data: those are
    PostgreSQL rows). What that means for each user of the cache (docs/deployment.md,
    « Pannes »):

    - content cache (core/content_cache.py): no generation can be read, each request
      starts a private one and builds its fragments: always fresh, slower;
    - sessions (`cached_db`): read from and written to PostgreSQL only;
    - rate limits (certificates/ratelimit.py, allauth): every request counts as the
      first, they fail open. Failing closed would lock every learner out of signing
      in, and out of the verification page, for the length of the outage; the limits
      only slow down guessing that is already hopeless (60-bit verification codes,
      12-character passwords, a second factor for staff), so the outage is logged and
      the doors stay open.
    - /healthz reads its probe key back wrong and answers 503 « cache »: the outage is
      visible to the monitoring, not to the readers.

    Only connection failures and timeouts are absorbed; any other Redis error (a bad
    command, a full memory) still raises.

    A write dropped during the outage may have been a new content generation (an
    editor published while Redis was unreachable): if the same Redis comes back with
    its old keys, they would serve the old pages as current. So a process that
    dropped a write deletes the platform's keys (`KEY_PREFIX`) the first time Redis
    answers again: everything is rebuilt once from the database, nothing stale stays.
    """

    def _while_up(self, fallback, operation, *args, write=False, **kwargs):
        address = ",".join(self._servers)
        if time.monotonic() < _redis_down_until.get(address, 0.0):
            if write:
                _lost_writes.add(address)
            return fallback()
        try:
            if address in _lost_writes:
                self._forget_what_the_outage_made_stale(address)
            return operation(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            _redis_down_until[address] = time.monotonic() + REDIS_RETRY_AFTER
            if write:
                _lost_writes.add(address)
            logger.error(
                "cache.redis_unreachable: serving without the shared cache for %ss (%s)",
                REDIS_RETRY_AFTER,
                error,
            )
            return fallback()

    def _forget_what_the_outage_made_stale(self, address):
        """Delete this platform's keys (not the whole database: it may be shared)."""
        client = self._cache.get_client(write=True)
        deleted = 0
        for keys in _batches(client.scan_iter(match=f"{self.key_prefix}:*", count=1000)):
            deleted += client.delete(*keys)
        _lost_writes.discard(address)
        logger.warning(
            "cache.redis_back: %s keys deleted, writes were lost during the outage", deleted
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._while_up(lambda: True, super().add, key, value, timeout, version, write=True)

    def get(self, key, default=None, version=None):
        return self._while_up(lambda: default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._while_up(lambda: None, super().set, key, value, timeout, version, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._while_up(lambda: False, super().touch, key, timeout, version, write=True)

    def delete(self, key, version=None):
        return self._while_up(lambda: False, super().delete, key, version, write=True)

    def get_many(self, keys, version=None):
        return self._while_up(dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._while_up(lambda: False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._while_up(_missing_key(key), super().incr, key, delta, version, write=True)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._while_up(
            lambda: list(data), super().set_many, data, timeout, version, write=True
        )

    def delete_many(self, keys, version=None):
        return self._while_up(lambda: None, super().delete_many, keys, version, write=True)

    def clear(self):
        return self._while_up(lambda: False, super().clear)


def _missing_key(key):
    """`incr`'s fallback: what Django raises for a key that does not exist."""

    def fallback():
        raise ValueError(f"Key '{key}' not found")

    return fallback
