"""Two app servers, one PostgreSQL and one Redis: nothing is kept per process.

Starts two real gunicorn processes (deploy/gunicorn.conf.py) on the test database
and a Redis database of their own, as two machines behind a proxy would run:
a session opened through the login form of one is valid on the other and ends on
both at logout; a rate limit reached on one is enforced by the other.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from certificates.views import VERIFY_LIMIT, VERIFY_WINDOW
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/12"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(tmp_path):
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=REDIS_URL,
        # DEBUG only so that static files need no collectstatic manifest; sessions,
        # cache and rate limits are configured exactly as in production.
        DEBUG="1",
        SECRET_KEY="two-servers-test-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(tmp_path / "var"),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="1",
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def wait_until_up(url, process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read()}")
        try:
            if requests.get(f"{url}/robots.txt", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


@pytest.fixture
def two_servers(tmp_path):
    shared = redis.Redis.from_url(REDIS_URL)
    shared.flushdb()
    env = server_env(tmp_path)
    servers, urls = [], []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            env={**env, "BIND": f"127.0.0.1:{port}"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        servers.append(process)
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(urls, servers, strict=True):
            wait_until_up(url, process)
        yield urls
    finally:
        for process in servers:
            process.terminate()
            process.wait(timeout=30)
        shared.flushdb()


def log_in(browser, url, email):
    page = browser.get(f"{url}/comptes/login/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        f"{url}/comptes/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        headers={"Referer": f"{url}/comptes/login/"},
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code == 302, response.text[:500]


def test_a_session_opened_on_one_server_is_valid_on_the_other(two_servers, django_user_model):
    first, second = two_servers
    user = make_user(django_user_model, "deux@example.org", first_name="Dominique")
    # The servers run production settings, whose hashers do not include the tests' MD5.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "deuxserveurs", iterations=1000)
    user.save(update_fields=["password"])
    browser = requests.Session()

    log_in(browser, first, "deux@example.org")
    on_second = browser.get(f"{second}/comptes/profil/", allow_redirects=False, timeout=20)
    assert on_second.status_code == 200
    assert "deux@example.org" in on_second.text

    page = browser.get(f"{second}/comptes/logout/", timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    browser.post(
        f"{second}/comptes/logout/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{second}/comptes/logout/"},
        timeout=20,
    )
    on_first = browser.get(f"{first}/comptes/profil/", allow_redirects=False, timeout=20)
    assert on_first.status_code == 302
    assert "/comptes/login/" in on_first.headers["Location"]


def test_a_rate_limit_reached_on_one_server_holds_on_the_other(two_servers):
    first, second = two_servers
    # Both checks must fall in the same fixed window of the limit.
    if VERIFY_WINDOW - time.time() % VERIFY_WINDOW < 15:
        time.sleep(VERIFY_WINDOW - time.time() % VERIFY_WINDOW + 0.5)
    url = "/verifier/0000-0000-0000/"
    statuses = [requests.get(f"{first}{url}", timeout=20).status_code for _ in range(VERIFY_LIMIT)]
    assert set(statuses) == {200}

    assert requests.get(f"{second}{url}", timeout=20).status_code == 429
    assert requests.get(f"{first}{url}", timeout=20).status_code == 429
