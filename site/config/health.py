"""/healthz: whether this app server can reach its database and its cache.

For the load balancer and the monitoring: 200 `{"status": "ok", …}` when both answer,
503 with the part that failed otherwise. No personal data, never cached. The probe
must send a Host header listed in ALLOWED_HOSTS; over plain HTTP it is exempt from
the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so a probe inside the network can call
the app server directly.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A key of its own per probe: concurrent probes from several servers never collide.
CACHE_KEY_PREFIX = "reperes:healthz:"
CACHE_TIMEOUT = 10


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    key = CACHE_KEY_PREFIX + secrets.token_hex(8)
    token = secrets.token_hex(8)
    cache.set(key, token, CACHE_TIMEOUT)
    try:
        return cache.get(key) == token
    finally:
        cache.delete(key)


CHECKS = {"database": database_answers, "cache": cache_answers}


def run_check(name, check):
    """ "ok" or "error"; the exception goes to the log, never to the response."""
    try:
        if check():
            return "ok"
        logger.error("health.%s_mismatch: the check read back a wrong value", name)
    except Exception:
        logger.exception("health.%s_unreachable", name)
    return "error"


@never_cache
@require_GET
def healthz(request):
    checks = {name: run_check(name, check) for name, check in CHECKS.items()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
