"""The printable version of a guide, rendered through the project's PDF helper."""

import re

from django.template.loader import render_to_string
from django.utils import timezone

from core.links import absolute_url
from core.pdf import render_pdf

GUIDE_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/guide.css")

# Links in the body are site-relative (`/guides/…`, `/documents/…`); a PDF lives
# outside the site, so its links and the URLs printed after them must be absolute.
RELATIVE_HREF = re.compile(r'(<a\b[^>]*?\bhref=")/(?!/)')


def absolutize_links(html: str, site_url: str) -> str:
    return RELATIVE_HREF.sub(lambda match: f"{match.group(1)}{site_url}/", html)


def guide_pdf_html(page) -> str:
    # The platform's public address (core/links.py), not the Wagtail Site's root URL:
    # that record says http://localhost (port 80) after a fresh install or the demo,
    # wherever the site is actually served.
    site_url = absolute_url()
    # (site id, site root URL, path); None for a page outside every site's tree.
    url_parts = page.get_url_parts()
    html = render_to_string(
        "guides/guide_pdf.html",
        {
            "page": page,
            "toc": page.table_of_contents(),
            "site_url": site_url,
            "page_url": absolute_url(url_parts[2]) if url_parts else site_url,
            "generated_at": timezone.localtime(),
        },
    )
    return absolutize_links(html, site_url)


def render_guide_pdf_bytes(page, *, url_fetcher=None) -> bytes:
    authors = [page.publisher.name] if page.publisher_id else None
    return render_pdf(
        guide_pdf_html(page),
        stylesheets=GUIDE_STYLESHEETS,
        title=page.title,
        authors=authors,
        url_fetcher=url_fetcher,
    )
