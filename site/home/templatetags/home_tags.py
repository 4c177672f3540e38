"""Template tags for the site shell: footer links, breadcrumbs, active navigation.

Header and footer are on every page, so nothing here may run queries that grow with
the content: the footer (settings and their three legal pages) is rendered once into
the content cache (`content_cache`), and breadcrumbs cost one query for the
ancestors.
"""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.content_cache import ACCESS, CONTENT, digest, fragment_prefix
from core.models import AccessibilityStatus, SiteSettings

register = template.Library()


# Content (guides, lessons, quizzes, modules, pages, sessions…) is written in French by
# editors and trainers and never translated; only the interface is. With the interface
# in another language, each part of the content carries its own language, or screen
# readers read it with an English voice (WCAG 3.1.2).
CONTENT_LANGUAGE = settings.LANGUAGE_CODE


def _interface_is_in_content_language():
    return (translation.get_language() or CONTENT_LANGUAGE).split("-")[0] == CONTENT_LANGUAGE


@register.simple_tag
def content_lang():
    """` lang="fr"` for an element holding content, when the interface is in another
    language (`<li{% content_lang %}>`); nothing when `<html lang>` already says it."""
    if _interface_is_in_content_language():
        return ""
    return format_html(' lang="{}"', CONTENT_LANGUAGE)


@register.filter
def content_span(value):
    """A piece of content inside an interface sentence: `{{ page.title|content_span }}`
    is the escaped value, in a `<span lang="fr">` when the interface is in another language."""
    if _interface_is_in_content_language():
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, value)


def _site_settings(request):
    if request is None:
        return None
    try:
        # Same per-request cache as {% get_settings %} / the settings context processor.
        return SiteSettings.for_request(request)
    except SiteSettings.DoesNotExist:  # no Site matches (e.g. a bare database)
        return None


def _live_url(site_settings, field_name, request):
    page = site_settings.live_page(field_name)
    return page.get_url(request) if page is not None else ""


@register.simple_tag(takes_context=True)
def footer_links(context):
    """What the footer shows: legal links (only to live pages), RGAA status, contact.

    Returns a dict: legal_notice_url, accessibility_url, privacy_url,
    accessibility_label (« Accessibilité : partiellement conforme »), contact_email.
    """
    request = context.get("request")
    site_settings = _site_settings(request)
    status = site_settings.accessibility_status if site_settings else AccessibilityStatus.NON
    links = {
        "accessibility_label": _("Accessibilité : %(status)s")
        % {"status": AccessibilityStatus(status).label},
        "legal_notice_url": "",
        "accessibility_url": "",
        "privacy_url": "",
        "contact_email": "",
    }
    if site_settings is not None:
        links["legal_notice_url"] = _live_url(site_settings, "legal_notice_page", request)
        links["accessibility_url"] = _live_url(site_settings, "accessibility_page", request)
        links["privacy_url"] = _live_url(site_settings, "privacy_page", request)
        links["contact_email"] = site_settings.contact_email
    return links


@register.tag("content_cache")
def do_content_cache(parser, token):
    """`{% content_cache "name" value… %}…{% endcontent_cache %}`: the fragment is
    rendered once per site, language, name and values, and kept until content
    changes (`core.content_cache`).

    Only for what is the same for every visitor of a page: nothing about the user,
    no form (its CSRF token), nothing from the query string. An editor's preview is
    never cached (it shows a draft).
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("content_cache needs a fragment name")
    nodelist = parser.parse(("endcontent_cache",))
    parser.delete_first_token()
    return ContentCacheNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        prefix = fragment_prefix(request)
        if prefix is None:
            return self.nodelist.render(context)
        parts = [prefix, *(str(value.resolve(context)) for value in self.vary_on)]
        key = f"reperes:fragment:{digest(chr(31).join(parts))}"
        html = CONTENT.get_or_build(key, lambda: self.nodelist.render(context))
        return mark_safe(html)  # noqa: S308 (this template's own output)


@register.filter
def may_use_admin(user):
    """Whether `user` may open the Wagtail admin (for the userbar), cached per user.

    Wagtail's userbar asks the permission backend on every page (two queries); a
    professional never has admin access, so the answer is kept until groups or
    permissions change (`core.content_cache.ACCESS`).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ACCESS.get_or_build(
        f"reperes:admin-access:{user.pk}",
        lambda: user.has_perm("wagtailadmin.access_admin"),
    )


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Breadcrumb items for the current Wagtail page, or from a view's `breadcrumbs`.

    A view that is not a page may put `breadcrumbs` in its context: a list of
    (label, url) pairs, the last one being the current page (its url may be empty).
    """
    request = context.get("request")
    page = context.get("page")
    items = [{"label": _("Accueil"), "url": "/"}]
    if page is not None and getattr(page, "depth", 0) > 2:
        ancestors = page.get_ancestors().filter(depth__gt=2)
        items += [{"label": a.title, "url": a.get_url(request), "content": True} for a in ancestors]
        items.append({"label": page.title, "url": "", "content": True})
    elif context.get("breadcrumbs"):
        items += [{"label": label, "url": url} for label, url in context["breadcrumbs"]]
    else:
        return {"items": []}
    items[-1]["current"] = True
    return {"items": items}


# Sections of the main navigation whose pages are under a path prefix.
NAV_SECTIONS = [
    ("guides", "/guides/"),
    ("que-faire", "/que-faire/"),
    ("ressources", "/ressources/"),
    ("formations", "/formations/"),
    ("sessions", "/sessions/"),
]


@register.filter
def main_nav_section(path):
    """The main navigation's current entry for a request path: « guides »,
    « que-faire », « ressources », « formations », « sessions », « search » or ""."""
    path = str(path or "")
    for section, prefix in NAV_SECTIONS:
        if path.startswith(prefix):
            return section
    return "search" if path == reverse("search") else ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced: `?q=…&page=3`.

    Pagination links keep the search terms and filters; a value of None drops the key.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params else "?"


@register.simple_tag
def elided_page_range(page_obj):
    """Page numbers around the current one, with « … » gaps (for includes/pagination.html)."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
