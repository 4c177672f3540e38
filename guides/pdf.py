"""The printable version of a guide, rendered through the project's PDF helper."""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import render_pdf

GUIDE_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/guide.css")

# Links in the body are site-relative (`/guides/…`, `/documents/…`); a PDF lives
# outside the site, so its links and the URLs printed after them must be absolute.
RELATIVE_HREF = re.compile(r'(<a\b[^>]*?\bhref=")/(?!/)')


def site_url_for(page) -> str:
    site = page.get_site()
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def absolutize_links(html: str, site_url: str) -> str:
    return RELATIVE_HREF.sub(lambda match: f"{match.group(1)}{site_url}/", html)


def guide_pdf_html(page) -> str:
    site_url = site_url_for(page)
    html = render_to_string(
        "guides/guide_pdf.html",
        {
            "page": page,
            "toc": page.table_of_contents(),
            "site_url": site_url,
            "page_url": page.get_full_url(),
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
