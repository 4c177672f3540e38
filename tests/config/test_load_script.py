"""`make load` (scripts/load/), in small: the same locustfile, preparation and checks.

The full run (200 people, 5 minutes, its own database migrated and filled with the
demo) takes minutes and is never part of the suite. Here the real locustfile runs
headless for a few seconds with three people against the live server on the test
database (PostgreSQL), with accounts, sessions and answer key prepared by the
driver's own functions; then the driver's verification reads what they recorded.
Locust runs in a subprocess: importing it here would monkey-patch this process.
"""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from courses.modules import services
from scripts.load import dataset, report, verify
from scripts.load.loopback import require_loopback
from tests.courses.factories import build_module
from tests.guides.factories import FULL_BODY, GuideIndexPageFactory, GuidePageFactory

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "scripts" / "load" / "locustfile.py"
DATABASE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def write(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def run_locust(tmp_path, host, *extra, run_time="20s", users=3, files=None):
    files = files or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(LOAD_THINK="0.05,0.2", **files)
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(users), "--run-time", run_time, "--host", host,
        "--csv", str(tmp_path / "locust"), "--only-summary", "--loglevel", "WARNING", *extra,
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.postgres
@DATABASE
def test_simulated_professionals_pass_the_quiz_and_every_acknowledged_submission_is_stored(
    live_server, tmp_path
):
    build_module(lessons=2, max_attempts=3, title="Repérer les signaux")
    GuidePageFactory(parent=GuideIndexPageFactory(), **FULL_BODY)  # browsed once done
    users = dataset.create_professionals(3)
    files = {
        # One of the three logs in through the login form, the others have a session.
        "LOAD_ACCOUNTS": write(tmp_path / "accounts.json", dataset.open_sessions(users, 1)),
        "LOAD_ANSWER_KEY": write(tmp_path / "key.json", dataset.answer_key()),
        "LOAD_EVENTS": str(tmp_path / "events.jsonl"),
    }

    finished = run_locust(tmp_path, live_server.url, files=files)

    stats = report.read_locust_stats(tmp_path / "locust")
    assert stats["requests"] > 50, finished.stderr[-3000:]
    assert report.errors(stats) == 0, stats["failure_lines"] + stats["exception_lines"]
    checked = verify.verify_events(verify.read_events(files["LOAD_EVENTS"]))
    # Everyone passed the module (some after a failed first attempt) and got the PDF.
    assert checked.acknowledged >= 3
    assert checked.lost == []
    assert checked.stored == checked.acknowledged
    assert checked.pdfs_received == 3
    assert checked.pdfs_unknown == []
    counts = verify.server_counts(dataset.EMAIL_DOMAIN)
    assert counts["modules terminés"] == 3
    assert counts["tentatives validées"] == checked.acknowledged


@pytest.mark.postgres
@DATABASE
def test_a_submission_acknowledged_but_not_stored_is_reported_lost(tmp_path):
    _, lessons, quiz = build_module(lessons=1)
    (person,) = dataset.create_professionals(1)
    for lesson in lessons:
        services.complete_lesson(person, lesson)
    still_open = services.start_attempt(person, quiz)
    events = [
        {"event": "submitted", "attempt": still_open.pk, "email": person.email},
        {"event": "submitted", "attempt": still_open.pk + 1000, "email": person.email},
        {"event": "pdf", "certificate": "00000000-0000-0000-0000-000000000000", "email": "x@y"},
    ]
    (tmp_path / "events.jsonl").write_text(
        "\n".join(json.dumps(e) for e in events) + '\n{"event": "subm'
    )

    checked = verify.verify_events(verify.read_events(tmp_path / "events.jsonl"))

    assert checked.acknowledged == 2
    assert checked.stored == 0
    assert checked.lost == [still_open.pk, still_open.pk + 1000]
    assert checked.pdfs_unknown == ["00000000-0000-0000-0000-000000000000"]
    assert not checked.ok


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000"]
)
def test_loopback_addresses_are_accepted(url):
    assert require_loopback(url) == url


@pytest.mark.parametrize(
    "url", ["http://192.0.2.10:8000", "https://10.0.0.1", "ftp://127.0.0.1", "127.0.0.1:8000", ""]
)
def test_other_addresses_are_refused(url):
    with pytest.raises(SystemExit, match="Refusé"):
        require_loopback(url)


def test_the_locustfile_refuses_another_host_and_an_unbounded_run(tmp_path):
    elsewhere = run_locust(tmp_path, "http://192.0.2.10:8000", run_time="1s")
    assert elsewhere.returncode != 0
    assert "Refusé" in elsewhere.stderr
    assert "192.0.2.10" in elsewhere.stderr

    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
    unbounded = subprocess.run(
        [*command, "--host", "http://127.0.0.1:9", "-u", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert unbounded.returncode != 0
    assert "--run-time" in unbounded.stderr


class ClosingServer(threading.Thread):
    """Closes its first `closes` connections without a byte of answer, then redirects."""

    def __init__(self, closes):
        super().__init__(daemon=True)
        self.closes = closes
        self.requests = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def run(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                self.requests += 1
                if self.requests > self.closes:
                    connection.sendall(
                        b"HTTP/1.1 302 Found\r\nLocation: /ok/\r\nContent-Length: 0\r\n"
                        b"Connection: close\r\n\r\n"
                    )


ONE_POST = """
import sys
sys.path.insert(0, {scripts!r})
from browsing import Browser
from locust import constant, task


class Once(Browser):
    wait_time = constant(1)
    done = False

    @task
    def post(self):
        if not self.done:
            self.done = True
            self.post_form("/envoyer/", "", {{"a": "1"}}, expect="/ok/")
"""


@pytest.mark.parametrize(("closes", "requests", "failures"), [(1, 2, 0), (2, 2, 1)])
def test_a_post_left_unanswered_is_sent_again_once_as_a_browser_would(
    tmp_path, closes, requests, failures
):
    server = ClosingServer(closes)
    server.start()
    locustfile = tmp_path / "one_post.py"
    locustfile.write_text(ONE_POST.format(scripts=str(LOCUSTFILE.parent)))
    try:
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", "1",
             "--run-time", "3s", "--host", server.url, "--csv", str(tmp_path / "one"),
             "--only-summary"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        server.listener.close()

    assert server.requests == requests
    stats = report.read_locust_stats(tmp_path / "one")
    assert stats["failures"] == failures
    assert stats["requests"] == 2  # the first try is listed as « renvoyée »
