"""Structured logs and redaction (config/logs.py, config/gunicorn_logger.py)."""

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import requests
from django.conf import settings

from config.logs import REDACTED, JsonFormatter, RedactSecretsFilter, redact_path

ROOT = Path(__file__).resolve().parents[2]
#: "[2026-12-02 08:51:39 +0100] [4242] " (gunicorn's error log, Django's plain lines and,
#: without the pid, gunicorn's access lines).
TIMESTAMP = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ([+-]\d{4})\](?: \[(\d+)\])?")

CODE = "7KQ2-MX9D-4HTV"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/verifier/{CODE}/", f"/verifier/{REDACTED}/"),
        ("/verifier/", "/verifier/"),
        ("/calendrier/abcDEF123_-x.ics", f"/calendrier/{REDACTED}.ics"),
        ("/sessions/calendrier/adresse/", "/sessions/calendrier/adresse/"),
        ("/pointage/eyJzbG90IjoxfQ:1s2:abc/", f"/pointage/{REDACTED}/"),
        ("/pointage/demi-journees/12/signature/", "/pointage/demi-journees/12/signature/"),
        ("/comptes/confirm-email/Mjk:1tA:xyz/", f"/comptes/confirm-email/{REDACTED}/"),
        (
            "/comptes/password/reset/key/1b-set-password/",
            f"/comptes/password/reset/key/{REDACTED}/",
        ),
        ("/comptes/password/reset/key/done/", "/comptes/password/reset/key/done/"),
        ("/recherche/?q=procédure&page=2", "/recherche/?q=procédure&page=2"),
        ("/x/?token=abc&page=2", f"/x/?token={REDACTED}&page=2"),
        ("/x/?page=2&reset_key=abc", f"/x/?page=2&reset_key={REDACTED}"),
        ("/x/?otp=123456", f"/x/?otp={REDACTED}"),
        (f"GET /verifier/{CODE}/ HTTP/1.1", f"GET /verifier/{REDACTED}/ HTTP/1.1"),
    ],
)
def test_secret_url_parts_are_redacted(path, expected):
    assert redact_path(path) == expected


def capture(formatter):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecretsFilter())
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, handler, stream


@pytest.fixture
def json_log():
    logger, handler, stream = capture(JsonFormatter())
    yield logger, stream
    logger.removeHandler(handler)


def test_json_lines_carry_fields_and_redact_secrets(json_log):
    logger, stream = json_log
    logger.warning(
        "Not Found: %s",
        f"/verifier/{CODE}/",
        extra={"status_code": 404, "certificate_number": "RP-2026-000001", "token": "s3cr3t"},
    )
    entry = json.loads(stream.getvalue())
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tests.logs"
    assert entry["message"] == f"Not Found: /verifier/{REDACTED}/"
    assert entry["status_code"] == 404
    assert entry["certificate_number"] == "RP-2026-000001"
    assert entry["token"] == REDACTED
    assert entry["time"].endswith("+00:00")
    assert CODE not in stream.getvalue() and "s3cr3t" not in stream.getvalue()


def test_arguments_of_any_type_are_redacted_once_interpolated(json_log, rf):
    logger, stream = json_log
    logger.warning("Refusé : %(path)s", {"path": f"/verifier/{CODE}/"})
    logger.warning("Requête %s", rf.get(f"/pointage/{CODE}/"))
    messages = [json.loads(line)["message"] for line in stream.getvalue().splitlines()]
    assert messages == [
        f"Refusé : /verifier/{REDACTED}/",
        f"Requête <WSGIRequest: GET '/pointage/{REDACTED}/'>",
    ]
    assert CODE not in stream.getvalue()


def test_a_request_in_extra_is_logged_as_its_redacted_line(json_log, rf):
    logger, stream = json_log
    logger.error("boom", extra={"request": rf.get(f"/verifier/{CODE}/?code={CODE}")})
    entry = json.loads(stream.getvalue())
    assert entry["request"] == f"GET /verifier/{REDACTED}/?code={REDACTED}"


def test_exceptions_are_one_json_line(json_log):
    logger, stream = json_log
    try:
        raise ValueError("bad")
    except ValueError:
        logger.exception("failed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "ValueError: bad" in json.loads(lines[0])["exception"]


def test_the_configured_console_handler_redacts():
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters)
    django_logger = logging.getLogger("django")
    assert handler in django_logger.handlers and not django_logger.propagate


def gunicorn_logger():
    from gunicorn.config import Config

    from config.gunicorn_logger import RedactingLogger

    config = Config()
    config.set("accesslog", "-")
    return RedactingLogger(config)


def access_environ(path, query=""):
    return {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://reperes.example/verifier/{CODE}/",
    }


def test_gunicorn_access_atoms_are_redacted():
    logger = gunicorn_logger()
    response = SimpleNamespace(status="200 OK", sent=10, headers=[("Set-Cookie", "x=1")])
    request = SimpleNamespace(headers=[("COOKIE", "sessionid=abc")])
    atoms = logger.atoms(
        response, request, access_environ(f"/verifier/{CODE}/", f"code={CODE}"), timedelta(0)
    )
    assert CODE not in json.dumps(atoms)
    assert atoms["U"] == f"/verifier/{REDACTED}/"
    assert not any(key.startswith("{") for key in atoms)


def test_gunicorn_json_access_line(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")
    logger = gunicorn_logger()
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    logger.access(
        SimpleNamespace(status="404 Not Found", sent=0, headers=[]),
        SimpleNamespace(headers=[]),
        access_environ(f"/calendrier/{CODE}.ics"),
        timedelta(milliseconds=12),
    )
    entry = json.loads(stream.getvalue())
    assert entry["path"] == f"/calendrier/{REDACTED}.ics"
    assert entry["status"] == "404"
    assert entry["duration_ms"] == 12


def site_offset():
    """The site's UTC offset right now, as %z writes it (+0100 in winter in Paris)."""
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).strftime("%z")


def test_plain_log_lines_carry_the_time_with_its_offset():
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    record = logging.LogRecord("certificates", logging.INFO, __file__, 1, "émis", (), None)
    line = handler.formatter.format(record)
    assert TIMESTAMP.match(line), line
    assert TIMESTAMP.match(line).group(1) == site_offset()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_master_and_workers_log_in_the_same_time_zone(tmp_path):
    """A real gunicorn (deploy/gunicorn.conf.py) on a machine whose zone is not the site's."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        # DEBUG: static files served from the source folders, no collectstatic needed.
        DEBUG="1",
        SECRET_KEY="gunicorn-logs-test-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(tmp_path / "var"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="1",
        # Never the site's offset: UTC+14 all year round.
        TZ="Pacific/Kiritimati",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            try:
                response = requests.get(f"http://127.0.0.1:{port}/static/css/site.css", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]

    stamped = [(line, TIMESTAMP.match(line)) for line in output.splitlines()]
    stamped = [(line, match) for line, match in stamped if match]
    master = [line for line, match in stamped if match.group(2) == str(server.pid)]
    worker = [line for line, match in stamped if match.group(2) not in {None, str(server.pid)}]
    access = [line for line, _ in stamped if "GET /static/css/site.css" in line]
    assert master and worker and access, output
    assert {match.group(1) for _, match in stamped} == {site_offset()}, output
