"""One rule for who sent a request (core/client_ip.py): allauth's limits and ours."""

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from certificates.ratelimit import client_key
from core.client_ip import client_ip


def request(forwarded=None, peer="203.0.113.9"):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize("forwarded", [None, "198.51.100.7", "1.1.1.1, 198.51.100.7"])
def test_without_a_proxy_count_the_peer_address_counts(settings, forwarded):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded)) == "203.0.113.9"


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the first entry itself; our proxy appended the last one.
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer entries than proxies: it did not come through them all.
        (2, "198.51.100.7", "203.0.113.9"),
        # Not an address: the peer counts (and every such request shares its count).
        (1, "inconnu", "203.0.113.9"),
        # No header (a health probe straight to the app server).
        (1, None, "203.0.113.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_with_proxies_the_address_our_last_proxy_saw_counts(settings, proxies, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded)) == expected


@pytest.mark.parametrize("proxies, expected", [(0, "203.0.113.9"), (1, "198.51.100.7")])
def test_allauth_and_certificate_limits_follow_the_same_rule(settings, proxies, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    forged = request("6.6.6.6, 198.51.100.7")
    assert get_adapter().get_client_ip(forged) == expected
    assert client_key(forged) == expected


def test_the_count_comes_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    base = {key: value for key, value in os.environ.items() if key != "TRUSTED_PROXY_COUNT"}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", PYTHONPATH="site")
    for extra, expected in [({}, "0"), ({"TRUSTED_PROXY_COUNT": "2"}, "2")]:
        output = subprocess.run(
            [sys.executable, "-c", code],
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert output.strip().splitlines()[-1] == expected
