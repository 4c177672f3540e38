"""« The file store cannot answer just now »: one decision, one page (HTTP 503).

A stored file (a certificate's PDF, a guide's PDF, a signature) lives in local
folders or in an S3-compatible object store (django-storages). When that store is
unreachable, botocore raises its own errors (`EndpointConnectionError`,
`ConnectTimeoutError`, `ClientError`…), which are not `OSError`: without this module a
download during an outage is a 500 and a traceback per request. What a download
should say is « réessayez dans quelques minutes », with nothing changed in the
database (docs/deployment.md, « Pannes »).

- `is_storage_unavailable(error)`: the decision. A missing file (`FileNotFoundError`,
  which django-storages also raises for S3's 404) is **not** an outage: the caller
  decides (a 404, or rendering the file again).
- `reading_storage()`: turns such an error, raised inside it, into
  `StorageUnavailable`. Only code that reads a stored file wraps itself in it, so an
  `OSError` from anything else (an SMTP server, say) is never shown as this page.
- `open_stored_file(storage, name)`: a file opened for a download, its content
  already fetched (S3 fetches on first read, after the view has returned, when a
  failure could no longer be answered).
- `StorageUnavailableMiddleware`: answers `StorageUnavailable` with the 503 page and
  `Retry-After`, logged once (`storage.unavailable`, with the error).

botocore is optional (`pip install -e '.[s3]'`): it is imported only if installed.
"""

import logging
from contextlib import contextmanager

from django.shortcuts import render
from django.utils.log import log_response

logger = logging.getLogger("reperes.storage")

#: Seconds a client is asked to wait: an outage of the store is minutes, not hours.
RETRY_AFTER = 120


def _storage_error_types():
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # local folders only: nothing but OSError can come from them
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_error_types()


class StorageUnavailable(Exception):
    """Reading a stored file failed because the store did not answer (see module doc)."""

    code = "storage_unavailable"


def is_storage_unavailable(error):
    """True when `error` says the store could not be read, not that the file is gone."""
    return isinstance(error, STORAGE_ERRORS) and not isinstance(error, FileNotFoundError)


@contextmanager
def reading_storage():
    """Raise `StorageUnavailable` for a store that cannot be read; let the rest through."""
    try:
        yield
    except STORAGE_ERRORS as error:
        if not is_storage_unavailable(error):
            raise
        raise StorageUnavailable(str(error)) from error


def open_stored_file(storage, name):
    """`name` opened for reading, content fetched; `FileNotFoundError` if it is gone."""
    with reading_storage():
        handle = storage.open(name, "rb")
        try:
            # S3's file downloads its content on first read: do it now, not while
            # the response is streamed.
            handle.read(0)
        except BaseException:
            handle.close()
            raise
    return handle


class StorageUnavailableMiddleware:
    """`StorageUnavailable` from a view → the « momentanément indisponible » page (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        response = render(request, "storage_unavailable.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        cause = exception.__cause__ or exception
        # Logged here, once, with the store's error; Django's own « Service
        # Unavailable » line is then skipped (the response is marked as logged).
        log_response(
            "storage.unavailable %s: %s",
            request.path,
            f"{type(cause).__name__}: {cause}",
            response=response,
            request=request,
            logger=logger,
        )
        return response
