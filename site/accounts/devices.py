"""Browsers that signed in to an account before: strangers cannot lock their owner out.

allauth counts failed logins per address (10 a minute) and per account (5 in 5
minutes, the key being the e-mail): the second stops a slow guess spread over many
addresses, but it also lets anyone who knows a professional's e-mail keep them out,
five wrong passwords at a time. OWASP's answer (« Slow Brute Force Attacks: device
cookies »): after a successful login the browser gets a signed cookie that binds it
to the account; a login from a browser presenting it is counted per address and per
cookie instead of per account. Strangers (no cookie) stay counted per address and
per account; someone who stole a cookie gets 5 tries before that cookie is locked,
and never locks the others.

The cookie holds up to `MAX_ACCOUNTS` entries (a computer shared in a school),
each « nonce.tag »: the nonce names this browser's entry for its own limit, the tag is
a keyed hash of the account id and its password hash, so a new password forgets
every browser. Signed with SECRET_KEY (Django's signed cookies), HttpOnly, Secure
and `__Host-` under HTTPS. It names no one: the account is the one the person types.
"""

import secrets

from allauth.account import app_settings as account_settings
from allauth.account.utils import filter_users_by_email
from allauth.core.internal import ratelimit
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "accounts.devices"
COOKIE_AGE = 365 * 24 * 3600
MAX_ACCOUNTS = 5
TAG_LENGTH = 32
# allauth's failed-login action and ours for a known browser (ACCOUNT_RATE_LIMITS).
FAILED_LOGIN = "login_failed"
FAILED_LOGIN_ON_DEVICE = "login_failed_device"


def cookie_name():
    # `__Host-`: only a Secure cookie for the whole host, set by no subdomain.
    return (
        "__Host-reperes_login_device" if settings.SESSION_COOKIE_SECURE else "reperes_login_device"
    )


def account_tag(user):
    """Changes with the account's password: a password change forgets every browser."""
    value = f"{user.pk}:{user.password}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:TAG_LENGTH]


def _entries(request):
    """[(nonce, tag)] from this browser's cookie, or [] if absent, altered or too old."""
    raw = request.get_signed_cookie(cookie_name(), default="", salt=SALT, max_age=COOKIE_AGE)
    entries = []
    for entry in raw.split(",")[:MAX_ACCOUNTS]:
        nonce, _, tag = entry.partition(".")
        if nonce and len(tag) == TAG_LENGTH:
            entries.append((nonce, tag))
    return entries


def remember(request, response, user):
    """After a successful login: this browser is known to `user`'s account from now on."""
    tag = account_tag(user)
    others = [(nonce, other) for nonce, other in _entries(request) if other != tag]
    entries = [(secrets.token_urlsafe(12), tag), *others][:MAX_ACCOUNTS]
    response.set_signed_cookie(
        cookie_name(),
        ",".join(f"{nonce}.{entry_tag}" for nonce, entry_tag in entries),
        salt=SALT,
        max_age=COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def recognised(request, email):
    """This browser's nonce for the account of `email`, or None (a stranger).

    Looks the account up only when the browser shows a cookie: strangers cost no query.
    """
    entries = _entries(request)
    if not entries or not email:
        return None
    users = filter_users_by_email(email, is_active=True, prefer_verified=True)
    if len(users) != 1:
        return None
    tag = account_tag(users[0])
    for nonce, entry_tag in entries:
        if constant_time_compare(tag, entry_tag):
            return nonce
    return None


def per_address_rates():
    """The per-address part of allauth's failed-login limit, written as configured
    (the counts are kept under the rate as written: the same key as for strangers).
    """
    configured = account_settings.RATE_LIMITS.get(FAILED_LOGIN) or ""
    parts = [part.strip() for part in configured.split(",") if part.strip()]
    return ",".join(part for part in parts if ratelimit.parse_rate(part).per == "ip")


def consume_failed_login(request, nonce):
    """Count a login attempt from a known browser: per address, as for anyone, then per
    browser instead of per account. The usage (to roll back on success), or None.
    """
    per_address = ratelimit.consume(
        request,
        app="allauth.account",
        action=FAILED_LOGIN,
        config={FAILED_LOGIN: per_address_rates()},
    )
    if per_address is None:
        return None
    per_browser = ratelimit.consume(
        request, app="allauth.account", action=FAILED_LOGIN_ON_DEVICE, key=nonce
    )
    if per_browser is None:
        return None
    return ratelimit.RateLimitUsage(usage=per_address.usage + per_browser.usage)
