"""How the simulated people talk HTTP: as a browser would, and strict about answers.

Every request goes through `Browser.send`, which fails it (and reschedules the
journey) unless the answer is the expected one: a page that is not 200, a form post
that does not redirect where it should, a JSON save that is not `ok`. Forms are
posted with the CSRF token of the page they were read from and with the Origin and
Referer a browser sends.

One thing is retried, as browsers do: a request sent on a reused keep-alive
connection that the server closed before answering a single byte. gunicorn closes
connections idle for `keepalive` seconds (5, deploy/gunicorn.conf.py); a request
that leaves at that moment is never read. geventhttpclient sends GETs again by
itself but, per RFC 9110, not POSTs; browsers resend those too, because an
unanswered request on a reused connection was not processed. So does `send`, once,
listing the resent request under its own name (« renvoyée ») and in the events
file, so that the report counts them. Resending is safe here anyway: every action
behind these forms is idempotent, and the verification checks what was stored.
"""

import itertools
import re
from http.cookiejar import Cookie
from urllib.parse import urlencode, urlsplit

from geventhttpclient.response import HTTPConnectionClosed
from locust import FastHttpUser
from locust.exception import RescheduleTask

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_addresses = itertools.count(1)


def next_client_address():
    """A distinct private address per simulated person (10.0.0.1, 10.0.0.2…).

    In production people reach the app servers through the reverse proxy, each from
    their own address, and the rate limits count per address. The load run's server
    believes one proxy hop (TRUSTED_PROXY_COUNT=1), so each person sends the header
    the proxy would add; without it 500 people on 127.0.0.1 would share one limit.
    """
    number = next(_addresses)
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def closed_before_answering(response):
    """True when the connection closed before the first byte of an answer."""
    error = getattr(response, "error", None)
    return isinstance(error, HTTPConnectionClosed) and str(error) == "connection closed."


def csrf_token(page):
    token = CSRF_FIELD.search(page)
    return token.group(1) if token else ""


class Browser(FastHttpUser):
    abstract = True
    # Generous: under full load a page may queue, but an answer that never comes is an error.
    network_timeout = 60.0
    connection_timeout = 10.0

    def __init__(self, environment):
        super().__init__(environment)
        self.client_address = next_client_address()

    def record(self, event, **data):
        """Overridden by the locustfile: write an event for the driver."""

    def step_failed(self, step, message):
        """Count a journey that went wrong without any HTTP error (a page not as expected)."""
        self.environment.events.request.fire(
            request_type="ÉTAPE",
            name=step,
            response_time=0,
            response_length=0,
            response=None,
            context={},
            exception=AssertionError(message),
        )

    def set_session(self, cookie_name, key):
        """Be signed in with a session prepared by the driver."""
        host = urlsplit(self.host).hostname
        # The cookie jar files a dotless host such as `localhost` under `localhost.local`.
        host = host if "." in host else f"{host}.local"
        self.client.cookiejar.set_cookie(
            Cookie(0, cookie_name, key, None, False, host, False, False, "/", True,
                   False, None, False, None, None, {})
        )  # fmt: skip

    # --- requests ---------------------------------------------------------------------

    def send(self, method, path, name, check, **kwargs):
        """The response, once `check(response)` finds nothing wrong (else rescheduled)."""
        kwargs["headers"] = {"X-Forwarded-For": self.client_address, **kwargs.get("headers", {})}
        for last_try in (False, True):
            with self.client.request(
                method, path, name=name, catch_response=True, **kwargs
            ) as response:
                if not last_try and closed_before_answering(response):
                    response.request_meta["name"] = f"{name} (renvoyée)"
                    response.success()
                    self.record("resent", method=method, name=name)
                    continue
                problem = check(response)
                if problem:
                    response.failure(problem)
                    raise RescheduleTask
                return response
        raise AssertionError("unreachable")

    def page(self, path, name=None, must_contain=None):
        """GET a page that must answer 200 (and contain `must_contain`): its text."""

        def check(response):
            if response.status_code != 200:
                return f"HTTP {response.status_code}"
            if must_contain and must_contain not in (response.text or ""):
                return f"{must_contain!r} absent"
            return None

        return self.send("GET", path, name or path, check).text or ""

    def post_form(self, action, page, fields, name=None, expect=None):
        """POST a form read from `page`, with its CSRF token: the redirect's path.

        `fields` is a list of pairs (or a dict); the redirect's `Location` must match
        `expect` (a compiled regex, or a prefix), else the request counts as failed.
        """
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body = urlencode([("csrfmiddlewaretoken", csrf_token(page)), *pairs])

        def check(response):
            location = self.location(response)
            if response.status_code != 302 or not self.matches(location, expect):
                return f"HTTP {response.status_code} vers {location!r}"
            return None

        response = self.send(
            "POST",
            action,
            name or action,
            check,
            data=body,
            headers=self.form_headers(action),
            allow_redirects=False,
        )
        return urlsplit(self.location(response)).path

    def post_json(self, action, page, fields, name, referer):
        """POST as a page script does (`Accept: application/json`): must answer `ok`."""
        body = urlencode([("csrfmiddlewaretoken", csrf_token(page)), *fields])

        def check(response):
            try:
                ok = response.status_code == 200 and response.json().get("ok") is True
            except ValueError:
                ok = False
            return None if ok else f"HTTP {response.status_code} : {(response.text or '')[:200]}"

        headers = self.form_headers(referer, accept="application/json")
        return self.send("POST", action, name, check, data=body, headers=headers)

    def form_headers(self, referer, accept="text/html"):
        origin = self.host.rstrip("/")
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": origin + referer,
            "Accept": accept,
        }

    @staticmethod
    def location(response):
        return response.headers.get("Location", "") if response.headers else ""

    @staticmethod
    def matches(location, expect):
        if expect is None:
            return True
        path = urlsplit(location).path
        if isinstance(expect, re.Pattern):
            return bool(expect.search(path))
        return path.startswith(expect)
