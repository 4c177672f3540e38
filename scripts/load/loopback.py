"""Loopback only: `make load` never sends traffic beyond this machine.

Used by the driver (run.py) and by the locustfile, so that neither `make load` nor a
hand-typed `locust -f scripts/load/locustfile.py --host …` can load another server.
"""

import ipaddress
import socket
from urllib.parse import urlsplit


def is_loopback_host(hostname):
    """True when every address the name resolves to is a loopback address."""
    if not hostname:
        return False
    try:
        infos = socket.getaddrinfo(hostname, None)
    except OSError:
        return False
    addresses = {info[4][0].split("%")[0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def require_loopback(url):
    """The URL itself when its host is loopback, else SystemExit with the reason."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not is_loopback_host(parts.hostname):
        raise SystemExit(
            f"Refusé : la charge ne vise que cette machine (127.0.0.1, ::1, localhost), pas {url!r}."
        )
    return url
