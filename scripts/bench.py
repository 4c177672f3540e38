"""Benchmarks (run with `make bench`; never part of the test suite).

Prints the median warm render time of a guide PDF through the project's helper
(shared FontConfiguration, cached stylesheets), next to a plain
`HTML(string=...).write_pdf()` of the same HTML with the same stylesheets parsed each
time, and the SQL queries of the main public pages.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from guides.models import GuidePage  # noqa: E402
from guides.pdf import GUIDE_STYLESHEETS, guide_pdf_html, render_guide_pdf_bytes  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def median_seconds(function):
    function()  # warm-up: fonts, stylesheets, templates
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def plain_render(html):
    sheets = [CSS(filename=str(settings.PDF_ASSET_ROOT / name)) for name in GUIDE_STYLESHEETS]
    HTML(string=html).write_pdf(stylesheets=sheets)


def main():
    guide = GuidePage.objects.live().order_by("-path").first()
    if guide is None:
        print("Aucun guide publié : lancez d'abord `manage.py load_demo`.")
        return 1
    html = guide_pdf_html(guide)
    helper = median_seconds(lambda: render_guide_pdf_bytes(guide))
    plain = median_seconds(lambda: plain_render(html))
    print(f"Guide PDF « {guide.title} » — médiane sur {RUNS} rendus à chaud")
    print(f"  helper du projet : {helper * 1000:7.1f} ms")
    print(f"  HTML().write_pdf : {plain * 1000:7.1f} ms   (ratio {helper / plain:.2f})")
    client = Client(HTTP_HOST="localhost")
    for path in ["/", "/guides/", guide.url, "/recherche/?q=signalement"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        print(f"  {path:<45} HTTP {response.status_code}  {len(queries)} requêtes SQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
