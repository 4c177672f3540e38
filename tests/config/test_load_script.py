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
from scripts.load import dataset, memory, report, verify
from scripts.load.loopback import require_loopback
from tests.courses.factories import build_module
from tests.guides.factories import (
    FULL_BODY,
    GuideIndexPageFactory,
    GuidePageFactory,
    PublisherFactory,
)

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

    finished = run_locust(tmp_path, live_server.url, "Professional", files=files)

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


@pytest.mark.postgres
@DATABASE
def test_trainers_mark_their_roll_and_the_last_acknowledged_roll_is_what_is_stored(
    live_server, tmp_path
):
    from courses.models import Attendance

    PublisherFactory()
    people = dataset.create_professionals(4)
    trainers, sessions = dataset.create_trainers(2, people, per_session=3)
    accounts = dataset.open_sessions(people)
    accounts["trainers"] = [
        {**session, "session": dataset.open_session(trainer)}
        for trainer, session in zip(trainers, sessions, strict=True)
    ]
    files = {
        "LOAD_ACCOUNTS": write(tmp_path / "accounts.json", accounts),
        "LOAD_ANSWER_KEY": write(tmp_path / "key.json", dataset.answer_key()),
        "LOAD_EVENTS": str(tmp_path / "events.jsonl"),
        "LOAD_TRAINERS": "2",
    }

    finished = run_locust(tmp_path, live_server.url, "Trainer", users=2, files=files)

    stats = report.read_locust_stats(tmp_path / "locust")
    assert report.errors(stats) == 0, (stats["failure_lines"], finished.stderr[-2000:])
    events = verify.read_events(files["LOAD_EVENTS"])
    acknowledged, lost = verify.lost_rolls(events)
    assert acknowledged >= 2 and lost == []
    # Two sessions of three, people taken in turn from the four professionals.
    assert Attendance.objects.values("slot").distinct().count() == 2
    assert Attendance.objects.count() == 6
    assert {s["email"] for s in sessions} == {t.email for t in trainers}


@pytest.mark.postgres
@DATABASE
def test_a_roll_acknowledged_but_not_stored_is_reported_lost():
    from courses.sessions.attendance import mark_attendance

    PublisherFactory()
    people = dataset.create_professionals(2)
    (trainer,), (session,) = dataset.create_trainers(1, people, per_session=2)
    from courses.models import SessionSlot

    slot = SessionSlot.objects.get(pk=session["slot"])
    first, second = slot.session.registrations.order_by("pk")
    mark_attendance(trainer, slot, first, "present")
    mark_attendance(trainer, slot, second, "absent")
    stored = {str(first.pk): "present", str(second.pk): "absent"}
    other = {str(first.pk): "present", str(second.pk): "late"}

    assert verify.lost_rolls([{"event": "marked", "slot": slot.pk, "marks": stored}]) == (1, [])
    # Only the last acknowledged roll counts: an earlier one may differ.
    assert verify.lost_rolls(
        [
            {"event": "marked", "slot": slot.pk, "marks": other},
            {"event": "marked", "slot": slot.pk, "marks": stored},
        ]
    ) == (2, [])
    assert verify.lost_rolls([{"event": "marked", "slot": slot.pk, "marks": other}]) == (
        1,
        [slot.pk],
    )
    # A later roll sent but never answered (the run ended) may have been kept.
    assert verify.lost_rolls(
        [
            {"event": "marked", "slot": slot.pk, "marks": other},
            {"event": "marking", "slot": slot.pk, "marks": stored},
        ]
    ) == (1, [])
    # One sent before the last acknowledged roll may not stand in for it.
    assert verify.lost_rolls(
        [
            {"event": "marking", "slot": slot.pk, "marks": stored},
            {"event": "marked", "slot": slot.pk, "marks": other},
        ]
    ) == (1, [slot.pk])


@pytest.mark.postgres
@DATABASE
def test_anonymous_readers_and_verifiers_read_without_an_error(live_server, tmp_path):
    build_module(lessons=1, title="Repérer les signaux")
    GuidePageFactory(parent=GuideIndexPageFactory(), **FULL_BODY)
    files = {
        "LOAD_ACCOUNTS": write(tmp_path / "accounts.json", {"accounts": [], "codes": ["X"]}),
        "LOAD_ANSWER_KEY": write(tmp_path / "key.json", {"questions": {}, "modules": {}}),
        "LOAD_EVENTS": str(tmp_path / "events.jsonl"),
    }

    finished = run_locust(
        tmp_path, live_server.url, "AnonymousReader", "Verifier", users=2, run_time="10s",
        files=files,
    )  # fmt: skip

    stats = report.read_locust_stats(tmp_path / "locust")
    assert report.errors(stats) == 0, (stats["failure_lines"], finished.stderr[-2000:])
    names = set(stats["pages"])
    assert "GET /guides/" in names and "GET /verifier/" in names, names


def test_the_memory_watch_sees_the_app_servers_workers_and_the_task_workers():
    # A « gunicorn » master with one child, and a task worker.
    master = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time; "
         "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); "
         "time.sleep(30)"]
    )  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import psutil

        for _ in range(50):  # until the master has started its child
            if psutil.Process(master.pid).children():
                break
            threading.Event().wait(0.1)
        with memory.MemoryWatch(master, [worker]) as watch:
            pass
        summary = watch.summary()
    finally:
        for process in (master, worker):
            for child in psutil.Process(process.pid).children():
                child.kill()
            process.kill()
            process.wait()

    assert summary["gunicorn"]["processes"] == 1
    assert summary["db_worker"]["processes"] == 1
    for kind in ("gunicorn", "db_worker"):
        assert 1 < summary[kind]["start"] <= summary[kind]["peak"]
        assert summary[kind]["minutes"][0][0] == 0


@pytest.fixture
def load_scripts(monkeypatch):
    """The driver's modules as run.py imports them (scripts/load on the path)."""
    monkeypatch.syspath_prepend(str(LOCUSTFILE.parent))
    import burst
    import capacity
    import run

    return run, capacity, burst


def test_the_capacity_is_the_last_step_within_the_target_before_the_first_beyond(
    load_scripts,
):
    _run, capacity, _burst = load_scripts

    def step(users, p99, errors=0):
        return {"users": users, "requests_per_second": users, "p99_ms": p99, "errors": errors}

    assert capacity.capacity_of([step(20, 120), step(40, 300), step(60, 900)])["users"] == 40
    # A lucky step after a saturated one does not count; neither does one with errors.
    assert capacity.capacity_of([step(20, 120), step(40, 700), step(60, 400)])["users"] == 20
    assert capacity.capacity_of([step(20, 120), step(40, 200, errors=1)])["users"] == 20
    assert capacity.capacity_of([step(20, 501)]) is None


@pytest.mark.postgres
@DATABASE
def test_capacity_steps_each_with_newcomers_and_their_figures(
    live_server, tmp_path, monkeypatch, load_scripts
):
    run, capacity, _burst = load_scripts
    monkeypatch.setattr(capacity, "STEPS", [1, 2])
    monkeypatch.setattr(capacity, "STEP_DURATION", "6s")
    build_module(lessons=1, max_attempts=3, title="Repérer les signaux")
    users = dataset.create_professionals(3)
    files = {
        "LOAD_ACCOUNTS": write(tmp_path / "accounts.json", dataset.open_sessions(users)),
        "LOAD_ANSWER_KEY": write(tmp_path / "key.json", dataset.answer_key()),
        "LOAD_EVENTS": str(tmp_path / "events.jsonl"),
    }
    figures = []

    status = capacity.run(live_server.url, files, tmp_path, run.run_locust, figures.append)

    (result,) = figures
    steps = result["steps"]
    assert status == 0
    assert [s["users"] for s in steps] in ([1], [1, 2])
    assert all(s["requests_per_second"] > 0 and s["errors"] == 0 for s in steps), steps
    best = capacity.capacity_of(steps)
    assert result["capacity_users"] == (best["users"] if best else 0)
    # Each step had its own people: the three accounts were all used, none twice.
    if len(steps) == 2:
        assert {e["email"] for e in verify.read_events(files["LOAD_EVENTS"])} <= {
            u.email for u in users
        }


@pytest.mark.postgres
@DATABASE
def test_a_burst_issues_every_certificate_and_times_each_pdf(
    live_server, tmp_path, monkeypatch, load_scripts
):
    run, _capacity, burst = load_scripts
    monkeypatch.setattr(burst, "BURST", 3)
    monkeypatch.setattr(burst, "ARRIVAL_SECONDS", 2)
    monkeypatch.setattr(burst, "TAIL_SECONDS", 6)
    build_module(lessons=2, max_attempts=3, title="Repérer les signaux")
    users = dataset.create_professionals(5)
    accounts = dataset.open_sessions(users)
    accounts["burst"] = burst.prepare(users)
    files = {
        "LOAD_ACCOUNTS": write(tmp_path / "accounts.json", accounts),
        "LOAD_ANSWER_KEY": write(tmp_path / "key.json", dataset.answer_key()),
        "LOAD_EVENTS": str(tmp_path / "events.jsonl"),
    }
    figures = []

    status = burst.run(live_server.url, files, tmp_path, run.run_locust, figures.append)

    (result,) = figures
    assert status == 0, result
    assert result["finishers"] == 3 and result["readers"] == 2
    assert result["certificates_issued"] == result["pdfs_ready"] == 3
    assert result["submissions_acknowledged"] == 3 and result["submissions_lost"] == 0
    assert 0 <= result["pdf_delay_p50_s"] <= result["pdf_delay_max_s"]
    assert result["pages"]["GET /formations/[module]/[leçon]/"]["requests"] > 0


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
