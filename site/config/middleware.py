"""Language selection (French first) and the security headers Django does not send."""

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property


class FrenchFirstLocaleMiddleware:
    """Activate the language from the switcher's cookie, else French.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the
    platform is French first, so only an explicit choice (the switcher sets the
    cookie) changes the interface language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with Wagtail admin's own, looser policy under its URL.

    The public site gets `CONTENT_SECURITY_POLICY` (strict: our own origin only, no
    inline script or style). Wagtail's admin still needs inline styles and scripts of
    its own (measured in Chromium, see tests/browser/test_security_headers.py), so its
    pages get `CONTENT_SECURITY_POLICY_ADMIN`, which adds them but no other origin.
    A response that already carries a policy (Wagtail's document view sets
    `default-src 'none'`) or a view's `csp_*` decorator keeps its own.
    """

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    def process_response(self, request, response):
        # Wagtail renders a preview by running a dummy request for the page's public URL
        # through the middleware; the admin view that frames it sets the policy (the
        # public one would forbid the admin from framing the preview).
        if getattr(request, "is_dummy", False):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(self.admin_prefix)
        ):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def inline_style_hashes(html):
    """CSP sources (`'sha256-…'`) allowing exactly the <style> elements of `html`.

    For a page that must not depend on a static file (the 500 page): its own styles are
    allowed by hash, the policy stays free of 'unsafe-inline'.
    """
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(css.encode()).digest()).decode("ascii")
        )
        for css in _STYLE_ELEMENT.findall(html)
    ]


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy`: the browser features no page of ours uses are denied.

    Django has no setting for this header. `PERMISSIONS_POLICY` maps a feature to the
    origins allowed to use it (an empty list denies it everywhere, frames included).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
