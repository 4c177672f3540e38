"""Whole responses of public pages for anonymous readers, from the shared cache.

A public guide is the same bytes for every anonymous reader until an editor publishes,
so it should cost what a constant view costs. `PublicPageCacheMiddleware` sits high in
MIDDLEWARE (under the security headers, above the session): a hit is answered before
the session, the user or the database is touched.

What is cached
- GET and HEAD of Wagtail's pages and of the views named in `PAGE_CACHE_VIEWS`
  (sessions, /resultats/, the empty search form), without a query string (filters,
  pagination, a search query, tracking parameters go to the view: an unbounded number
  of URLs must not fill the cache), per scheme, host, path and interface language.
- Only responses to a request that carried no session cookie, with status 200, no
  `Set-Cookie`, no CSRF token in the body (`{% csrf_token %}` also sets the cookie),
  no CSP nonce, no message, no `Cache-Control: private / no-store / no-cache`
  (Wagtail's previews and password forms), no per-view CSP decorator, and for nobody
  logged in. So previews, restricted pages (a password form or a redirect to the
  login page) and every page rendered for a person are never stored.

Who gets a cached page
- A request without a session cookie: nobody is logged in, nothing is read but the
  cache. A request with one may be a logged-in person: its session is read (from the
  cache, `cached_db`) and the page is served only if the session holds no user and no
  message. A request with a messages cookie is never served from the cache.

What drops it
- Entries are stored with the tokens of CONTENT and SESSIONS (`core.content_cache`)
  they were built under, read once, in the same cache round trip as the entry, before
  the view runs; an entry is served only while both are current (and only by the
  release that built it). So whatever drops the content cache (publish, unpublish,
  move, delete, settings, images, documents…) and whatever changes a session or its
  seats (`core.signals.watch_sessions`) drops every cached page at once, on every app
  server: there is no per-process copy. A change during a render leaves an entry
  stored under the old tokens, never served.
- Entries also expire after `PAGE_CACHE_TIMEOUT`: what depends on the clock alone
  (a session whose registrations close, the hourly results) is at most that late.
  A view that knows when its page goes stale says so with `Cache-Control: max-age=N`
  (the directory of contacts: its next opening or closing, « Ouvert maintenant »): the
  entry is then kept min(N, PAGE_CACHE_TIMEOUT) seconds, and never with N = 0; hits
  tell browsers and proxies what is left of it, without stale-while-revalidate.

Readings counted
- A view that counts its readings (a guide's views per day) marks its response
  (`count_on_hit`); each hit then calls the counter its app registered
  (`register_hit_counter`), which applies the view's own rule to the request. The one
  write a hit may cost; a failure is logged and the page served.

Headers
- `ETag` (strong, one per content coding) with `If-None-Match` → 304;
  `Cache-Control: public, max-age, stale-while-revalidate` so a proxy or CDN may keep
  the page briefly; `Vary: Cookie, Accept-Encoding` (the language comes from a cookie,
  never from Accept-Language, French first). The same URL rendered for a person gets
  `Cache-Control: private`.
- The HTML is stored gzip- (and brotli-, when the module is installed) compressed
  beside the plain bytes: a hit costs no compression. Only these pages are compressed,
  which is safe from BREACH: their bodies hold no secret (no CSRF token, nothing
  personal), unlike what Django's GZipMiddleware would compress.
- Security headers set above this middleware (HSTS, nosniff, Referrer-Policy, CSP,
  Permissions-Policy) are added to hits as to any response; those set below it
  (X-Frame-Options, Content-Language) are stored with the page. CSP's `script-src`
  allows a per-request nonce: a page whose render asked for one is not stored (a
  cached body would carry a nonce the next response's header does not name); the
  public templates use none.
"""

import functools
import gzip
import hashlib
import logging
import time
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from wagtail.views import serve as wagtail_serve

from core.content_cache import CONTENT, SESSIONS, digest, read_with_tokens, release

try:  # A dependency of fontTools (WeasyPrint's fonts), not of ours: used when present.
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

logger = logging.getLogger(__name__)

# What a cached page was built from (see « What drops it »).
GENERATIONS = (CONTENT, SESSIONS)
# Django's cookie message storage (the default FallbackStorage writes it first).
MESSAGES_COOKIE = "messages"
# The session keys of a logged-in person and of pending messages.
SESSION_USER_KEY = "_auth_user_id"
SESSION_MESSAGES_KEY = "_messages"
# The hidden field `{% csrf_token %}` writes.
CSRF_FIELD = b'name="csrfmiddlewaretoken"'
# Headers the cache sets itself on every answer, or that must not be replayed.
OWN_HEADERS = {"content-length", "etag", "cache-control", "expires", "set-cookie"}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
# Smaller bodies gain nothing from compression.
MIN_COMPRESSED_LENGTH = 512


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def is_candidate(request):
    """A GET/HEAD of a public page without a query string (URL properties only)."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if getattr(request, "is_dummy", False):  # Wagtail's preview of a draft
        return False
    return _public_view(settings.ROOT_URLCONF, tuple(settings.PAGE_CACHE_VIEWS), request.path_info)


@functools.lru_cache(maxsize=4096)
def _public_view(urlconf, names, path):
    """Whether `path` goes to Wagtail's pages or to a view named in `names`.

    Remembered per process: URL patterns do not change while it runs, and resolving
    costs more than the rest of a hit (Wagtail's catch-all comes last). Bounded, so
    that made-up paths cannot grow it.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return match.func is wagtail_serve or match.view_name in names


def language(request):
    """The interface language as `config.middleware.FrenchFirstLocaleMiddleware`
    chooses it: the switcher's cookie, else French (never Accept-Language)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    languages = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def cache_key(request):
    """The entry's key, or None when the host is not allowed (no entry for forged hosts)."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    where = digest(f"{request.scheme}://{host}{request.path}")
    return f"reperes:page:{where}:{language(request)}"


def session_is_anonymous(request):
    """True if the request's session, if any, holds neither a user nor a message.

    Without a session cookie nothing is read. With one, the session is loaded from the
    session cache (the database when the cache lost it), as SessionMiddleware would.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return True
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return SESSION_USER_KEY not in session and SESSION_MESSAGES_KEY not in session


# --- Readings counted on a hit ------------------------------------------------------------

#: What a hit counts: a name → function(request, *args), registered by the app that counts
#: readings (guides: a guide's views per day). core imports no app, hence the registry.
HIT_COUNTERS = {}


def register_hit_counter(name, function):
    HIT_COUNTERS[name] = function


def count_on_hit(response, name, *args):
    """Mark `response`: each time the cache answers with it, `HIT_COUNTERS[name]` is
    called with the request and `args` (the view counted the reading that built it).

    Without this a cached page would count only its first reader: the view does not run
    on a hit. The function decides whether the request is a person's reading (not a
    robot, not a HEAD) and counts it; a failure is logged, the page served all the same.
    """
    response.page_cache_counter = (name, args)


def count_hit(request, entry):
    counter = entry.get("counter")
    function = HIT_COUNTERS.get(counter[0]) if counter else None
    if function is None:
        return
    try:
        function(request, *counter[1])
    except Exception:  # the reader gets the page; only the count is lost
        logger.exception("page cache: could not count a reading (%s)", counter[0])


def current_tokens():
    return tuple(generation.token() for generation in GENERATIONS)


# --- Storing ------------------------------------------------------------------------------


def may_store(request, response):
    """Whether this response is the same for every anonymous reader (see the docstring)."""
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if response.has_header("Content-Encoding") or "*" in response.get("Vary", ""):
        return False
    if any(name.startswith("_csp") for name in vars(response)):  # a view's own policy
        return False
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    return not (request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or CSRF_FIELD in response.content)


def compressed(body, content_type):
    """{coding: bytes} of the body's compressed variants worth sending."""
    if len(body) < MIN_COMPRESSED_LENGTH or not content_type.startswith(COMPRESSIBLE):
        return {}
    # mtime=0: the same page gives the same bytes (and ETag) on every server.
    variants = {"gzip": gzip.compress(body, compresslevel=9, mtime=0)}
    if brotli is not None:
        variants["br"] = brotli.compress(body, quality=11)
    return {coding: data for coding, data in variants.items() if len(data) < len(body)}


def lifetime(response):
    """Seconds to keep this response: `PAGE_CACHE_TIMEOUT`, or less when the view set
    `Cache-Control: max-age` (0 for a malformed one: not stored)."""
    timeout = settings.PAGE_CACHE_TIMEOUT
    for directive in response.get("Cache-Control", "").split(","):
        name, _sep, value = directive.strip().partition("=")
        if name.strip().lower() == "max-age":
            try:
                return max(0, min(int(value.strip().strip('"')), timeout))
            except ValueError:
                return 0
    return timeout


def build_entry(response, tokens, seconds=None):
    """The stored entry; `seconds` (a view's shorter lifetime) sets its expiry time."""
    body = response.content
    # What the page's middleware varies on (Cookie: the language), and the coding.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    headers = [(name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS]
    bodies = compressed(body, response.get("Content-Type", ""))
    # The plain body only when nothing smaller is kept: browsers all accept gzip, and
    # the rare client that does not gets it decompressed (a hit then reads, and the file
    # cache inflates, the compressed bytes only).
    if "gzip" not in bodies:
        bodies["identity"] = body
    return {
        "tokens": tokens,
        "release": release(),
        "headers": headers,
        "etag": hashlib.blake2b(body, digest_size=16).hexdigest(),
        "length": len(body),
        "bodies": bodies,
        "expires": None if seconds is None else time.time() + seconds,
        "counter": getattr(response, "page_cache_counter", None),
    }


def is_shared_cache_decided(response):
    """Whether the view said who may keep the response (public, private, no-store…)."""
    cache_control = response.get("Cache-Control", "").lower()
    return any(word in cache_control for word in ("public", "private", "no-store", "no-cache"))


# --- Answering ----------------------------------------------------------------------------


def accepted_codings(request):
    """Content codings the client accepts (q > 0), e.g. {"gzip", "br"}."""
    accepted = set()
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _sep, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            if float(quality) > 0:
                accepted.add(coding.strip().lower())
        except ValueError:
            continue
    return accepted


def choose_coding(request, bodies):
    accepted = accepted_codings(request)
    for coding in ("br", "gzip"):
        if coding in bodies and (coding in accepted or "*" in accepted):
            return coding
    return "identity"


def cache_control(entry=None):
    expires = (entry or {}).get("expires")
    if expires is not None:
        # What is left of the entry's life: past it, the page is wrong (a status).
        left = max(0, min(settings.PAGE_CACHE_MAX_AGE, int(expires - time.time())))
        return f"public, max-age={left}"
    return (
        f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )


def plain_or(entry, coding):
    """The body in `coding`; the plain one is decompressed when only gzip is kept."""
    if coding != "identity":
        return entry["bodies"][coding]
    if "identity" in entry["bodies"]:
        return entry["bodies"]["identity"]
    return gzip.decompress(entry["bodies"]["gzip"])


def answer(request, entry):
    """The response for `entry`: 304 if the client has it, else the best-coded body."""
    coding = choose_coding(request, entry["bodies"])
    etag = f'"{entry["etag"]}"' if coding == "identity" else f'"{entry["etag"]}-{coding}"'
    has = [tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))]
    if etag in has or "*" in has:
        response = HttpResponseNotModified()
        response["Vary"] = dict(entry["headers"])["Vary"]
    else:
        body = plain_or(entry, coding) if request.method != "HEAD" else b""
        response = HttpResponse(body)
        for name, value in entry["headers"]:
            response[name] = value
        if coding != "identity":
            response["Content-Encoding"] = coding
        response["Content-Length"] = str(
            entry["length"] if coding == "identity" else len(entry["bodies"][coding])
        )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control(entry)
    return response


class PublicPageCacheMiddleware:
    """Answer anonymous readers of public pages from the shared cache (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not is_candidate(request) or MESSAGES_COOKIE in request.COOKIES:
            return self.get_response(request)
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        tokens = self.lookup(request, key) if session_is_anonymous(request) else None
        if isinstance(tokens, HttpResponse):
            return tokens
        response = self.get_response(request)
        seconds = lifetime(response)
        if tokens is not None and seconds > 0 and may_store(request, response):
            limited = seconds if seconds < settings.PAGE_CACHE_TIMEOUT else None
            entry = build_entry(response, tokens, limited)
            self.store(key, entry, seconds)
            return answer(request, entry)
        if not is_shared_cache_decided(response):
            # Possibly someone's own page at a public URL: no shared cache keeps it
            # (a view's bare `max-age` is kept, for the browser alone).
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def lookup(request, key):
        """The cached answer, or the tokens to store a fresh one under (None: don't)."""
        try:
            entry = read_with_tokens(key)
            tokens = current_tokens()
        except Exception:  # an unreachable cache: the view answers, as without this cache
            logger.exception("page cache: could not read %s", key)
            return None
        if (
            entry
            and entry["tokens"] == tokens
            and entry["release"] == release()
            and (entry.get("expires") is None or entry["expires"] > time.time())
        ):
            count_hit(request, entry)
            return answer(request, entry)
        return tokens

    @staticmethod
    def store(key, entry, seconds=None):
        try:
            cache.set(key, entry, seconds or settings.PAGE_CACHE_TIMEOUT)
        except Exception:  # the page is served anyway; the next reader tries again
            logger.exception("page cache: could not store %s", key)
