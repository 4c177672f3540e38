"""core/storage_errors.py: « the store does not answer » is told apart, and answered 503."""

import logging
import sys
import time

import pytest
from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError
from django.test import RequestFactory

from core import storage_errors
from core.storage_errors import (
    StorageUnavailable,
    StorageUnavailableMiddleware,
    is_storage_unavailable,
    open_stored_file,
    reading_storage,
)
from tests.storage_down import unreachable_s3_storage

ENDPOINT = "http://127.0.0.1:9/reperes-prive/private/x.pdf"


@pytest.mark.parametrize(
    "error",
    [
        EndpointConnectionError(endpoint_url=ENDPOINT),
        ConnectTimeoutError(endpoint_url=ENDPOINT),
        ClientError({"Error": {"Code": "503", "Message": "Slow Down"}}, "GetObject"),
        ConnectionRefusedError(111, "Connection refused"),
        PermissionError(13, "Permission denied"),
    ],
)
def test_errors_of_a_store_that_does_not_answer(error):
    assert is_storage_unavailable(error)


@pytest.mark.parametrize(
    "error", [FileNotFoundError(2, "No such file"), ValueError("bug"), KeyError("bug")]
)
def test_a_missing_file_or_a_bug_is_no_outage(error):
    assert not is_storage_unavailable(error)


def test_without_botocore_only_os_errors_count(monkeypatch):
    monkeypatch.setitem(sys.modules, "botocore.exceptions", None)  # import fails
    assert storage_errors._storage_error_types() == (OSError,)


def test_reading_storage_raises_its_own_error_and_keeps_the_cause():
    cause = EndpointConnectionError(endpoint_url=ENDPOINT)
    with pytest.raises(StorageUnavailable) as excinfo, reading_storage():
        raise cause
    assert excinfo.value.code == "storage_unavailable"
    assert excinfo.value.__cause__ is cause


@pytest.mark.parametrize("error", [FileNotFoundError(2, "gone"), ValueError("bug")])
def test_reading_storage_lets_missing_files_and_bugs_through(error):
    with pytest.raises(type(error)), reading_storage():
        raise error


def test_opening_a_file_on_a_store_that_does_not_answer():
    """django-storages' S3 backend against a closed port: refused at once, not a 500."""
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as excinfo:
        open_stored_file(unreachable_s3_storage(), "certificates/2026/x.pdf")
    assert isinstance(excinfo.value.__cause__, EndpointConnectionError)
    assert time.monotonic() - started < 5


def test_opening_a_local_file_fetches_it_and_a_missing_one_is_not_found(tmp_path):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7")
    with open_stored_file(storage, "a.pdf") as handle:
        assert handle.read() == b"%PDF-1.7"  # read(0) moved nothing
    with pytest.raises(FileNotFoundError):
        open_stored_file(storage, "b.pdf")


@pytest.mark.django_db
def test_the_middleware_answers_503_and_logs_once(caplog):
    request = RequestFactory().get("/espace/certificats/x/")
    middleware = StorageUnavailableMiddleware(lambda request: None)
    try:
        with reading_storage():
            raise EndpointConnectionError(endpoint_url=ENDPOINT)
    except StorageUnavailable as error:
        with caplog.at_level(logging.INFO):
            response = middleware.process_exception(request, error)
    assert response.status_code == 503
    assert response["Retry-After"] == str(storage_errors.RETRY_AFTER)
    assert "momentanément indisponible, réessayez dans quelques minutes" in response.text
    records = [r for r in caplog.records if r.name == "reperes.storage"]
    assert len(records) == 1 and "EndpointConnectionError" in records[0].getMessage()
    assert response._has_been_logged  # Django's « Service Unavailable » line is skipped


def test_the_middleware_leaves_other_errors_alone():
    middleware = StorageUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, OSError("SMTP server unreachable")) is None
