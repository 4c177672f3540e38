"""The printable version of a guide, rendered through the project's PDF helper."""

import re

from django.template.loader import render_to_string
from django.utils import timezone

from core.links import absolute_url
from core.pdf import render_pdf

GUIDE_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/guide.css")

# Links in the body are site-relative (`/guides/…`, `/documents/…`); a PDF lives
# outside the site, so its links and the URLs printed after them must be absolute,
# on the platform's public address (core/links.py) — not the Wagtail Site's
# hostname, which is « localhost » unless someone edits it in the admin.
RELATIVE_HREF = re.compile(r'(<a\b[^>]*?\bhref=")/(?!/)')


def absolutize_links(html: str) -> str:
    return RELATIVE_HREF.sub(lambda match: f"{match.group(1)}{absolute_url('/')}", html)


def page_url(page) -> str:
    """The guide's public address: its path within its site, on the platform's address."""
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else page.url or "/")


def guide_pdf_html(page) -> str:
    html = render_to_string(
        "guides/guide_pdf.html",
        {
            "page": page,
            "toc": page.table_of_contents(),
            "page_url": page_url(page),
            "generated_at": timezone.localtime(),
        },
    )
    return absolutize_links(html)


def render_guide_pdf_bytes(page, *, url_fetcher=None) -> bytes:
    authors = [page.publisher.name] if page.publisher_id else None
    return render_pdf(
        guide_pdf_html(page),
        stylesheets=GUIDE_STYLESHEETS,
        title=page.title,
        authors=authors,
        url_fetcher=url_fetcher,
    )
