"""The content version a page is built with, for the service worker's staleness check."""

from django import template
from django.utils.html import format_html

from core.content_cache import CONTENT

register = template.Library()


@register.simple_tag
def content_version_meta():
    """`<meta name="reperes-content-version" content="…">`: the CONTENT generation.

    The same for every reader of the same content, so the page cache keeps working: a
    cached page is served only while the generation it was built under is current
    (core/page_cache.py), which is the one written here. Read once per request with
    the other generations (one cache round trip, no query). When it differs from
    /hors-ligne/version.json, something was published since the page was saved.
    """
    return format_html('<meta name="reperes-content-version" content="{}">', CONTENT.token())
