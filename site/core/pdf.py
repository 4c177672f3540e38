"""The project's one PDF helper: HTML in, PDF bytes out, through WeasyPrint.

Every PDF of Repères (guides, certificates…) goes through `render_pdf`, so that one
URL fetcher decides what a document may load. It serves only bundled files under
`settings.PDF_ASSET_ROOT` (the `static/` folder) and `data:` URLs; anything else —
`file:`, `http(s):`, another host, a path that climbs out of the asset root — is
refused, logged on the `reperes.pdf` logger and recorded on the fetcher, so a
template or an editor's link can never make the server read a local file or call
an internal service (SSRF). There is deliberately no `base_url` pointing at the
site: relative `/static/...` paths resolve against a private scheme instead.

WeasyPrint documentation: https://doc.courtbouillon.org/weasyprint/stable/
(URL fetchers, `pdf_variant`, font configuration).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit, uses_netloc, uses_relative

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("reperes.pdf")

#: The private scheme under which bundled assets are addressed, e.g.
#: `reperes-asset:///static/fonts/pdf/Inter-Regular.woff`. Templates may also write
#: the plain relative path `/static/fonts/pdf/Inter-Regular.woff`.
ASSET_SCHEME = "reperes-asset"
ASSET_BASE_URL = f"{ASSET_SCHEME}:///static/"
STATIC_PREFIX = "/static/"

# urllib only resolves relative references against schemes it knows; registering
# ours lets WeasyPrint join `/static/…` and `../fonts/…` onto the private base URL.
for _registry in (uses_relative, uses_netloc):
    if ASSET_SCHEME not in _registry:
        _registry.append(ASSET_SCHEME)

CONTENT_TYPES = {
    ".css": "text/css",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}

#: The PDF variant asked of WeasyPrint: tagged PDF/UA-1 (structure tags, language,
#: title shown in the window) — WeasyPrint 70 writes it from ordinary HTML.
PDF_VARIANT = "pdf/ua-1"
#: What documents meant to be kept for years (certificates) use instead: PDF/A-3
#: level A, tagged too (structure, language, Unicode text) and archival (every font
#: embedded, an sRGB output intent, no encryption or script), and the one PDF/A part
#: that allows associated files of any type (the certificate's Open Badge).
PDF_ARCHIVAL_VARIANT = "pdf/a-3a"


class AssetRefused(ValueError):
    """A URL the PDF fetcher will not load; `.code` is stable for tests and logs."""

    def __init__(self, url: str, code: str):
        super().__init__(f"PDF asset refused ({code}): {url[:200]}")
        self.url = url
        self.code = code


@dataclass(frozen=True)
class Refusal:
    url: str
    code: str


class BundledAssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that only reads bundled files and `data:` URLs.

    `refused` lists every URL it turned down during its lifetime (tests assert on
    it); each refusal is also logged as a warning on `reperes.pdf` with the URL and
    the reason in `extra` (`pdf_url`, `pdf_refusal`).
    """

    def __init__(self, asset_root: Path | str | None = None):
        # No redirects, no network handler will ever be reached: `fetch` below never
        # delegates anything but `data:` to urllib.
        super().__init__(allowed_protocols={"data", ASSET_SCHEME}, allow_redirects=False)
        self.asset_root = Path(asset_root or settings.PDF_ASSET_ROOT).resolve()
        self.refused: list[Refusal] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        try:
            return self._fetch(url, headers)
        except AssetRefused as refusal:
            self.refused.append(Refusal(refusal.url, refusal.code))
            logger.warning(
                "PDF asset refused: %s (%s)",
                refusal.url[:200],
                refusal.code,
                extra={"pdf_url": refusal.url, "pdf_refusal": refusal.code},
            )
            raise

    def _fetch(self, url, headers):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return decode_data_url(url)
        if scheme != ASSET_SCHEME:
            raise AssetRefused(url, "scheme_not_allowed")
        path = self.resolve(url)
        self.served.append(str(path))
        content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def resolve(self, url: str) -> Path:
        """Map `reperes-asset:///static/<path>` onto a file under the asset root."""
        return resolve_asset(url, self.asset_root)


def resolve_asset(url: str, asset_root: Path) -> Path:
    """The file under `asset_root` that `reperes-asset:///static/<path>` names, or AssetRefused."""
    parts = urlsplit(url)
    if parts.netloc:
        raise AssetRefused(url, "host_not_allowed")
    path = unquote(parts.path)
    if not path.startswith(STATIC_PREFIX) or "\x00" in path:
        raise AssetRefused(url, "outside_asset_root")
    relative = path.removeprefix(STATIC_PREFIX)
    if any(segment in {"..", "."} for segment in relative.split("/")):
        raise AssetRefused(url, "path_traversal")
    candidate = (asset_root / relative).resolve()
    if not candidate.is_relative_to(asset_root):
        raise AssetRefused(url, "path_traversal")
    if not candidate.is_file():
        raise AssetRefused(url, "not_found")
    return candidate


def decode_data_url(url: str) -> URLFetcherResponse:
    """The bytes and media type of a `data:` URL (RFC 2397), decoded here.

    WeasyPrint's default would hand it to urllib, which builds a whole opener for
    each image: decoding it directly is both faster and one code path less.
    """
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise AssetRefused(url, "invalid_data_url")
    media_type, *parameters = header.split(";")
    body = unquote_to_bytes(payload)
    if parameters and parameters[-1].strip().lower() == "base64":
        parameters.pop()
        try:
            body = base64.b64decode(body)
        except (binascii.Error, ValueError):
            raise AssetRefused(url, "invalid_data_url") from None
    content_type = ";".join([media_type.strip() or "text/plain", *parameters])
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


# One font configuration for the process: @font-face rules register their files in
# it once, and every later render reuses them (WeasyPrint's documented pattern).
FONT_CONFIG = FontConfiguration()
_css_cache: dict[tuple[str, float], CSS] = {}

# Renders are serialised: the shared FontConfiguration wraps a Pango font map and a
# Fontconfig configuration, which are not thread-safe (parsing a stylesheet adds its
# @font-face files to them, rendering reads them). A gunicorn worker runs a few
# threads; a PDF render takes tens of milliseconds and downloads are served from
# storage, so waiting for the lock costs little, whereas two threads in Pango at once
# can crash the worker. Re-entrant: `render_pdf` holds it while `stylesheet` takes
# it again.
_render_lock = threading.RLock()


def _stylesheet_file(relative_path: str) -> tuple[str, Path, tuple[str, float]]:
    """(its URL, its file, its version): a stylesheet is the same while its file is."""
    url = f"{ASSET_BASE_URL}{relative_path.lstrip('/')}"
    path = resolve_asset(url, Path(settings.PDF_ASSET_ROOT).resolve())
    return url, path, (str(path), path.stat().st_mtime)


def stylesheet(relative_path: str) -> CSS:
    """The parsed stylesheet `static/<relative_path>`, cached until the file changes."""
    url, path, key = _stylesheet_file(relative_path)
    with _render_lock:
        css = _css_cache.get(key)
        if css is None:
            css = CSS(
                string=path.read_text(encoding="utf-8"),
                base_url=url,
                url_fetcher=BundledAssetFetcher(),
                font_config=FONT_CONFIG,
            )
            _css_cache[key] = css
        return css


def render_pdf(
    html: str,
    *,
    stylesheets: tuple[str, ...] | list[str] = (),
    title: str | None = None,
    authors: list[str] | None = None,
    lang: str = "fr",
    url_fetcher: BundledAssetFetcher | None = None,
    variant: str = PDF_VARIANT,
    attachments: tuple | list = (),
) -> bytes:
    """Render `html` to PDF bytes with only bundled assets.

    `stylesheets` are paths under `static/` (e.g. ``("pdf/guide.css",)``), parsed
    once per process. `title`/`authors` go to the PDF metadata (the HTML `<title>`
    is used when `title` is omitted). Pass your own `url_fetcher` to inspect what
    was refused (`fetcher.refused`). `variant`: `PDF_VARIANT` (tagged PDF/UA-1) or
    `PDF_ARCHIVAL_VARIANT` (PDF/A-3a); `attachments`: `weasyprint.Attachment`s
    embedded in the file (with PDF/A-3, as associated files of the document).

    One render at a time per process (see `_render_lock`); parsing the HTML, pure
    Python, happens before taking the lock.
    """
    fetcher = url_fetcher or BundledAssetFetcher()
    parsed = HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=fetcher)
    with _render_lock:
        document = parsed.render(
            stylesheets=[stylesheet(path) for path in stylesheets],
            font_config=FONT_CONFIG,
            pdf_variant=variant,
        )
        if title:
            document.metadata.title = title
        if authors:
            document.metadata.authors = list(authors)
        document.metadata.lang = document.metadata.lang or lang
        return document.write_pdf(
            pdf_variant=variant,
            attachments=list(attachments) or None,
            finisher=_associated_files_once,
        )


def _associated_files_once(document, pdf) -> None:
    """List each associated file once in the catalog's /AF.

    WeasyPrint 70's PDF/A-3 pass adds every attachment twice (from the embedded
    files' name tree and again from the file specifications it finds).
    """
    associated = pdf.catalog.get("AF")
    if associated:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


def render_pdf_cached(
    html: str,
    *,
    timeout: int,
    stylesheets: tuple[str, ...] | list[str] = (),
    title: str | None = None,
    authors: list[str] | None = None,
    lang: str = "fr",
) -> bytes:
    """`render_pdf`, or the PDF the same inputs gave within `timeout` seconds.

    For a document built from data that changes now and then and is downloaded again
    in between (the émargement sheet): the HTML is cheap, WeasyPrint is not. The key
    is a hash of everything the PDF is made from — the HTML itself (so any change of
    what it shows is a new key, nothing to invalidate), the stylesheets' versions, the
    metadata, WeasyPrint's version and the code's release (templates, static files'
    manifest, `content_cache.release`) — so an entry is only ever the PDF this call
    would render. Kept in the shared cache (Redis across servers); a cache that does
    not answer renders, as before. The bytes may hold personal data: `timeout` bounds
    how long an entry outlives a change (the old key is never asked again).
    """
    import weasyprint
    from django.core.cache import cache

    from core.content_cache import release

    hashed = hashlib.sha256()
    for part in (release(), weasyprint.__version__, title or "", lang, *(authors or ())):
        hashed.update(part.encode() + b"\0")
    for path in stylesheets:
        # The same version rule as the parsed stylesheets (`stylesheet`): no file read.
        hashed.update(repr(_stylesheet_file(path)[2]).encode())
    hashed.update(html.encode())
    key = f"reperes:pdf:{hashed.hexdigest()}"
    payload = cache.get(key)
    if payload is None:
        payload = render_pdf(html, stylesheets=stylesheets, title=title, authors=authors, lang=lang)
        cache.set(key, payload, timeout)
    return payload


def image_data_url(field_file, content_type: str | None = None) -> str:
    """A `data:` URL for an uploaded file (e.g. a publisher logo in media storage).

    Media files are not under the asset root; inlining them keeps the fetcher's rule
    simple (bundled files and `data:` only) and works with any storage backend.
    """
    with field_file.open("rb") as handle:
        payload = handle.read()
    suffix = Path(field_file.name).suffix.lower()
    content_type = content_type or CONTENT_TYPES.get(suffix, "application/octet-stream")
    return f"data:{content_type};base64,{base64.b64encode(payload).decode('ascii')}"
