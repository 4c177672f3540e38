"""A per-client rate limit kept in Django's shared cache (Redis in production).

The count lives in the cache, not in the process, so that several app servers
share it. A fixed window is enough here: it bounds how fast one client can try
codes, which is all the verification page needs (60-bit codes are not guessable
at any realistic rate; the limit keeps scrapers and load away).
"""

import hashlib
import ipaddress
import time

from django.core.cache import cache

# The project's one rule (X-Forwarded-For believed only as far as our own proxies
# go), shared with allauth's rate limits.
from core.client_ip import client_ip

COUNT_ATTEMPTS = 5


def client_key(request):
    """The client as counted: one IPv4 address, or one IPv6 /64 network.

    An IPv6 subscriber usually holds a whole /64 and can change address at will
    inside it, so counting single IPv6 addresses would not limit anyone.
    """
    raw = client_ip(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hit(request, scope, *, limit, window):
    """Count one request of this client in `scope`: `(allowed, retry_after_seconds)`.

    The key holds a hash of the address, not the address itself: the cache is not a
    place to keep personal data.
    """
    return hit_key(scope, client_key(request), limit=limit, window=window)


def hit_key(scope, identity, *, limit, window):
    """Count one request of `identity` (an address, an e-mail…) in `scope`, as `hit` does.

    For limits on something other than the client: the complaint form also counts
    per e-mail address (site/quality/views.py). Hashed too.
    """
    now = time.time()
    slot = int(now // window)
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{slot}"
    count = _count(key, timeout=window + 5)
    retry_after = max(1, int((slot + 1) * window - now) + 1)
    return count <= limit, retry_after


def _count(key, *, timeout):
    """Add one to `key` and return the new count, exactly, whatever runs at once.

    `add` and `incr` are each atomic on Redis and on the embedded default's file cache
    (core/cache.py), so no two requests ever read the same count. The key outlives its
    window a little, then expires by itself; if it expires (or is culled) between
    `add` and `incr`, start again rather than `set` it (a `set` would erase a
    concurrent request's count). A cache that keeps nothing ends the loop: counted 1.
    """
    for _attempt in range(COUNT_ATTEMPTS):
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:
            continue
    cache.set(key, 1, timeout=timeout)
    return 1
