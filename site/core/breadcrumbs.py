"""Breadcrumbs for the shell's `includes/breadcrumbs.html`, built without queries."""

from django.utils.translation import gettext as _


def breadcrumb_items(request, *pages):
    """Home, then `pages` (already loaded, in order); the last one is the current page."""
    items = [{"label": _("Accueil"), "url": "/"}]
    # Page titles are content (`content`: marked with its language in the template).
    items += [
        {"label": page.title, "url": page.get_url(request), "content": True}
        for page in pages
        if page
    ]
    items[-1].update(url="", current=True)
    return items
