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
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager, suppress

from asgiref.sync import sync_to_async
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files.move import file_move_safe

# Not a `*.djcache` file: never culled, never removed by `clear()`.
LOCK_FILE_NAME = "atomic-operations.lock"

_MISSING = object()


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
