"""Several servers: whatever one node does, the other sees at once (docs/deployment.md).

Two gunicorn nodes, each from its own folder with its own VAR_DIR, one `db_worker`,
PostgreSQL, Redis and an S3 server (tests/multinode/cluster.py). Everything goes over
HTTP, as people and the load balancer reach the nodes: a certificate issued through A
downloads through B; a guide published in A's admin is fresh on B; a session opened on
A is valid on B; a rate limit counts across both; a check-in code shown by A is
accepted by B. Then the failures: Redis gone, the worker gone.
"""

import base64
import hashlib
import hmac
import re
import shutil
import struct
import time

import pytest
import requests

from certificates.views import VERIFY_LIMIT, VERIFY_WINDOW
from tests.conftest import PASSWORD, TOTP_SECRET

from .cluster import PRIVATE_BUCKET, dead_redis_url

pytestmark = pytest.mark.multinode

TIMEOUT = 30
# The worker renders a certificate in a few seconds; on a loaded machine, more.
PDF_DEADLINE = 90
CERTIFICATE_LINK = re.compile(r"/espace/certificats/([0-9a-f-]{36})/")


# --- An HTTP client per person ------------------------------------------------------------------


def totp_now(secret=TOTP_SECRET):
    """The authenticator app's code (RFC 6238: 30 s, 6 digits, SHA-1)."""
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf_token(browser, url, path):
    page = browser.get(f"{url}{path}", timeout=TIMEOUT)
    assert page.status_code == 200, (path, page.status_code)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def post_form(browser, url, path, data, form_path=None):
    """POST a form as the browser would: the token from the form's own page."""
    token = csrf_token(browser, url, form_path or path)
    return browser.post(
        f"{url}{path}",
        data={"csrfmiddlewaretoken": token, **data},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def post_with_cookie_token(browser, url, path, data=None):
    """POST a button of a page (its token is the CSRF cookie's, as in every form)."""
    return browser.post(
        f"{url}{path}",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], **(data or {})},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def log_in(url, email):
    """A new browser signed in on `url` (with the second factor staff must give)."""
    browser = requests.Session()
    response = post_form(browser, url, "/comptes/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.text[:500]
    if "/2fa/authenticate/" in response.headers["Location"]:
        response = post_form(browser, url, response.headers["Location"], {"code": totp_now()})
        assert response.status_code == 302, response.text[:500]
    return browser


# --- Sessions and rate limits -------------------------------------------------------------------


def test_a_session_started_on_a_is_valid_on_b_and_ends_on_both(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    email = cluster.seed["learners"][1]
    browser = log_in(a, email)

    on_b = browser.get(f"{b}/comptes/profil/", allow_redirects=False, timeout=TIMEOUT)
    assert on_b.status_code == 200
    assert email in on_b.text

    assert post_form(browser, b, "/comptes/logout/", {}).status_code == 302
    on_a = browser.get(f"{a}/comptes/profil/", allow_redirects=False, timeout=TIMEOUT)
    assert on_a.status_code == 302
    assert "/comptes/login/" in on_a.headers["Location"]


def test_a_rate_limit_counts_across_both_nodes(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    # Every request must fall in the same fixed window of the limit.
    if VERIFY_WINDOW - time.time() % VERIFY_WINDOW < 20:
        time.sleep(VERIFY_WINDOW - time.time() % VERIFY_WINDOW + 0.5)
    path = "/verifier/0000-0000-0000/"
    half = VERIFY_LIMIT // 2
    statuses = [requests.get(f"{a}{path}", timeout=TIMEOUT).status_code for _ in range(half)]
    statuses += [
        requests.get(f"{b}{path}", timeout=TIMEOUT).status_code for _ in range(VERIFY_LIMIT - half)
    ]
    assert set(statuses) == {200}

    assert requests.get(f"{a}{path}", timeout=TIMEOUT).status_code == 429
    assert requests.get(f"{b}{path}", timeout=TIMEOUT).status_code == 429


# --- A certificate issued through A, downloaded through B ---------------------------------------


def wait_for_pdf(browser, url, uuid):
    deadline = time.monotonic() + PDF_DEADLINE
    while True:
        response = browser.get(f"{url}/espace/certificats/{uuid}/", timeout=TIMEOUT)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def complete_module(browser, url, lesson_url):
    """« J'ai terminé cette leçon » on the module's only lesson: the module is complete."""
    browser.get(f"{url}/", timeout=TIMEOUT)  # the CSRF cookie, as any page sets it
    response = post_with_cookie_token(browser, url, lesson_url)
    assert response.status_code == 302, response.text[:500]


def certificate_uuid(browser, url):
    listing = browser.get(f"{url}/espace/certificats/", timeout=TIMEOUT)
    assert listing.status_code == 200
    return CERTIFICATE_LINK.search(listing.text).group(1)


def test_a_certificate_issued_through_a_downloads_through_b(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    browser = log_in(a, cluster.seed["learners"][0])

    complete_module(browser, a, cluster.seed["lesson_url"])
    uuid = certificate_uuid(browser, b)
    response = wait_for_pdf(browser, b, uuid)

    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Rendered by the worker into the object store, not onto either node's disk.
    stored = cluster.s3().list_objects_v2(Bucket=PRIVATE_BUCKET, Prefix="private/")
    assert [uuid in item["Key"] for item in stored.get("Contents", [])] == [True]
    assert cluster.files_under("a", ".pdf") == cluster.files_under("b", ".pdf") == []
    assert browser.get(f"{a}/espace/certificats/{uuid}/", timeout=TIMEOUT).content == (
        response.content
    )


# --- A guide published in A's admin is fresh on B -----------------------------------------------


def test_a_guide_published_in_a_admin_is_fresh_on_b_for_everyone(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    seed = cluster.seed
    reader = log_in(b, seed["learners"][1])
    # Both nodes have served (and cached) the published version first.
    for url in (a, b):
        for browser in (requests, reader):
            page = browser.get(f"{url}{seed['guide_path']}", timeout=TIMEOUT)
            assert page.status_code == 200
            assert seed["old_title"] in page.text

    editor = log_in(a, seed["admin"])
    publish = f"/admin/bulk/wagtailcore/page/publish/?id={seed['guide_id']}"
    response = post_form(editor, a, publish, {"include_descendants": ""})
    assert response.status_code == 302, response.text[:1000]

    for browser in (requests, reader):
        page = browser.get(f"{b}{seed['guide_path']}", timeout=TIMEOUT)
        assert page.status_code == 200
        assert seed["new_title"] in page.text
        assert seed["old_title"] not in page.text


# --- A check-in code shown by A is accepted by B ------------------------------------------------


def test_a_check_in_code_shown_by_a_is_accepted_by_b(cluster):
    a, b = cluster.urls["a"], cluster.urls["b"]
    seed = cluster.seed
    trainer = log_in(a, seed["trainer"])
    participant = log_in(b, seed["learners"][0])
    screen = f"/formateur/sessions/{seed['session']}/demi-journees/{seed['slot']}/pointage.json"

    shown = trainer.get(f"{a}{screen}", timeout=TIMEOUT)
    assert shown.status_code == 200, shown.text[:500]
    response = post_form(participant, b, "/pointage/", {"code": shown.json()["code"]})

    assert response.status_code == 302, response.text[:1000]
    assert response.headers["Location"].endswith(
        f"/pointage/demi-journees/{seed['slot']}/signature/"
    )


# --- Failures: Redis down, the worker down ------------------------------------------------------


def test_with_redis_down_pages_serve_and_tasks_wait_for_the_worker(cluster):
    """A third node whose Redis is unreachable, while the worker is stopped too.

    Its /healthz says 503 (the load balancer and the monitoring see the outage) but
    it serves: public pages, sign-in, signed-in pages, a module completed; the
    certificate's PDF task waits in PostgreSQL and is rendered once a worker is back.
    """
    seed = cluster.seed
    cluster.deploy_code("c")
    shutil.copytree(cluster.var_dir("a") / "static", cluster.var_dir("c") / "static")
    c = cluster.start_node("c", REDIS_URL=dead_redis_url())
    cluster.stop("worker")

    health = requests.get(f"{c}/healthz", timeout=TIMEOUT)
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "cache": "error"}
    for path in ("/", seed["guide_path"], "/sessions/", "/verifier/0000-0000-0000/"):
        assert requests.get(f"{c}{path}", timeout=TIMEOUT).status_code in {200, 429}, path

    learner = log_in(c, seed["learners"][1])
    assert learner.get(f"{c}/comptes/profil/", timeout=TIMEOUT).status_code == 200
    assert learner.get(f"{c}/espace/", timeout=TIMEOUT).status_code == 200
    complete_module(learner, c, seed["lesson_url"])
    uuid = certificate_uuid(learner, c)
    # No worker: the PDF waits, the page says so.
    assert learner.get(f"{c}/espace/certificats/{uuid}/", timeout=TIMEOUT).status_code == 202

    cluster.start_worker()
    response = wait_for_pdf(learner, c, uuid)
    assert response.status_code == 200, response.text[:500]
    assert response.content.startswith(b"%PDF")
    # The session opened on the Redis-less node is in PostgreSQL: node B knows it.
    assert learner.get(f"{cluster.urls['b']}/comptes/profil/", timeout=TIMEOUT).status_code == 200


def wait_for_log(cluster, name, text, timeout=PDF_DEADLINE):
    deadline = time.monotonic() + timeout
    while text not in cluster.logs[name].read_text(errors="replace"):
        assert time.monotonic() < deadline, f"{text!r} never in the log of {name}"
        time.sleep(0.5)


def test_with_the_object_store_down_pages_serve_and_certificates_wait(cluster):
    """The object store stops: pages serve, a certificate is issued and waits for its PDF.

    The worker's rendering fails (nowhere to store it); the certificate row is kept,
    the holder's page says « en préparation ». Once the store is back,
    `certificates_catch_up` (hourly in production) queues the PDF again.
    """
    a, b = cluster.urls["a"], cluster.urls["b"]
    seed = cluster.seed
    port = int(cluster.s3_url.rsplit(":", 1)[1])
    cluster.stop("s3")

    for url in (a, b):
        for path in ("/", seed["guide_path"], "/sessions/"):
            assert requests.get(f"{url}{path}", timeout=TIMEOUT).status_code == 200, path
    learner = log_in(a, seed["learners"][2])
    complete_module(learner, a, seed["lesson_url"])
    uuid = certificate_uuid(learner, b)
    wait_for_log(cluster, "worker", "render_certificate_pdf state=FAILED")
    assert learner.get(f"{b}/espace/certificats/{uuid}/", timeout=TIMEOUT).status_code == 202

    cluster.start_object_store(port)
    cluster.run("catch-up", ["certificates_catch_up"], node="b")
    response = wait_for_pdf(learner, b, uuid)

    assert response.status_code == 200, response.text[:500]
    assert response.content.startswith(b"%PDF")
