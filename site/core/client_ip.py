"""Who sent a request: the one rule every rate limit uses (allauth's and ours).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as
far as our own proxies go: with `ALLAUTH_TRUSTED_PROXY_COUNT` = n (environment
variable TRUSTED_PROXY_COUNT, default 0), the address the n-th proxy from the end
saw is the client; with 0 the header is ignored and the peer address counts. A
header with fewer entries than proxies did not come through all of them (someone
reached an app server directly), so the peer address counts then too.
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address as text, or "" if the request carries none."""
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = forwarded.split(",")
        if len(hops) >= proxies:
            address = _valid(hops[-proxies])
            if address:
                return address
    return _valid(peer) or ""
