"""The Wagtail site of a page request, from the content cache instead of a query."""

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


class CachedSiteMiddleware:
    """Put the cached site where Wagtail looks for it (`Site.find_for_request`).

    Only for requests that Wagtail's page view serves: other views (robots.txt,
    static files, the admin) pay nothing. The host is checked against ALLOWED_HOSTS
    first, so that forged Host headers cannot fill the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve or hasattr(request, "_wagtail_site"):
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        key = f"reperes:site:{digest(host)}:{request.get_port()}"
        site = CONTENT.get_or_build(key, lambda: _site_with_home(request))
        if site is not None:
            # The attribute `Site.find_for_request` caches its answer in.
            request._wagtail_site = site
        return None
