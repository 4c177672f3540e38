"""Site shell views: search, robots.txt, error pages."""

from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language
from wagtail.models import Page

from config.middleware import inline_style_hashes

# A longer query is not a search a person types; capping it bounds the database work.
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def search_pages(query):
    """Live, public pages matching `query`, as their specific types, best first.

    `.specific()` fetches the specific pages with one query per page type on the
    results page, whatever the number of results.
    """
    return Page.objects.live().public().specific().search(query)


def result_summary(page):
    """The text under a search result; page types name their summary differently."""
    for attribute in ("search_description", "summary", "intro"):
        if text := getattr(page, attribute, ""):
            return text
    return ""


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page_obj = None
    if query:
        paginator = Paginator(search_pages(query), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        for result in page_obj.object_list:
            result.result_summary = result_summary(result)
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "max_query_length": MAX_QUERY_LENGTH,
            "breadcrumbs": [(_("Rechercher"), "")],
        },
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    # The header's forms need a CSRF token even though no view ran.
    return render(request, "404.html", status=404)


def server_error(request):
    """A standalone page: no database, no context processor, nothing that may fail again."""
    html = loader.get_template("500.html").render()
    response = HttpResponseServerError(html)
    # Its styles are inline: allowed by their hash (what django-csp's @csp_update sets).
    response._csp_update = {"style-src": inline_style_hashes(html)}
    return response


ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /comptes/
Disallow: /apprendre/
Disallow: /espace/
Disallow: /recherche/
"""


@require_GET
def robots_txt(request):
    """Keep crawlers out of accounts, learners' pages and the admin.

    A constant response with no database access: `make bench` also uses it as the
    baseline that other pages are compared with.
    """
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@cache
def _favicon_bytes():
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        return icon.read()


@require_GET
@cache_control(public=True, max_age=30 * 24 * 3600)
def favicon(request):
    """The icon browsers ask for at /favicon.ico whatever the page says (PDF viewers,
    feed readers, the 500 page): served, not a 404 and its warning on every first visit.
    Pages link to the SVG icon and to this one (base.html)."""
    return HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")


@require_http_methods(["GET", "HEAD", "POST"])
def choose_language(request):
    """The language switcher: remember the chosen language in its cookie, go back.

    The switcher is a GET form (`?language=en&next=/guides/`): a CSRF token in every
    page's header would keep public pages out of the page cache (core/page_cache.py)
    and set a cookie on every reader. Choosing a language changes nothing on the
    server, only a cookie that says how this browser wants the interface, so it is no
    cross-site request forgery target. POST still goes to Django's `set_language`
    (CSRF-checked). `next` must stay on this site, and the Referer is not followed.
    """
    if request.method == "POST":
        return set_language(request)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    chosen = request.GET.get("language")
    if chosen in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
