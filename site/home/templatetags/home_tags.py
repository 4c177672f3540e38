"""Template tags for the site shell: footer links, breadcrumbs, active navigation.

Header and footer are on every page, so nothing here may run queries that grow with
the content: the settings (with their three legal pages joined) are read once per
request, and breadcrumbs cost one query for the ancestors.
"""

from django import template
from django.utils.translation import gettext as _

from home.models import AccessibilityStatus, SiteSettings

register = template.Library()


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
        items += [{"label": a.title, "url": a.get_url(request)} for a in ancestors]
        items.append({"label": page.title, "url": ""})
    elif context.get("breadcrumbs"):
        items += [{"label": label, "url": url} for label, url in context["breadcrumbs"]]
    else:
        return {"items": []}
    items[-1]["current"] = True
    return {"items": items}


@register.filter
def is_under(path, prefix):
    """True when the request path is in the section `prefix` ("/guides/")."""
    return bool(path) and str(path).startswith(prefix)


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
