"""The Wagtail site of a page request, from the content cache instead of a query."""

import functools

from django.core.exceptions import DisallowedHost
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from core.content_cache import CONTENT, digest


def _site_with_home(request):
    """The request's site with its home page already specific (routing starts there)."""
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def _site_root_paths():
    return Site.get_site_root_paths()


def attach_cached_site(request):
    """Give `request` its site and the sites' root paths from the content cache.

    Where Wagtail looks for them (`Site.find_for_request`, `Page.get_url`): a page's
    URL then costs no query and no read of Wagtail's own cache entry. The host is
    checked against ALLOWED_HOSTS first, so that forged Host headers cannot fill the
    cache.
    """
    if hasattr(request, "_wagtail_site"):
        return
    try:
        host = request.get_host()
    except DisallowedHost:
        return
    key = f"reperes:site:{digest(host)}:{request.get_port()}"
    site = CONTENT.get_or_build(key, lambda: _site_with_home(request))
    if site is not None:
        # The attribute `Site.find_for_request` caches its answer in.
        request._wagtail_site = site
        # The one `Page._get_site_root_paths` caches Wagtail's list in.
        request._wagtail_cached_site_root_paths = CONTENT.get_or_build(
            "reperes:site-root-paths", _site_root_paths
        )


def with_cached_site(view):
    """For views outside Wagtail's page view that link pages (`{% pageurl %}`)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        attach_cached_site(request)
        return view(request, *args, **kwargs)

    return wrapper


class CachedSiteMiddleware:
    """Put the cached site where Wagtail looks for it (`Site.find_for_request`).

    Only for requests that Wagtail's page view serves: other views (robots.txt,
    static files, the admin) pay nothing; a view of ours that links pages asks for
    it with `with_cached_site`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            attach_cached_site(request)
        return None
