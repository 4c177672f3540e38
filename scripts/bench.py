"""Benchmarks (run with `make bench`; never part of the test suite).

1. The median warm render time of a guide PDF through the project's helper (shared
   FontConfiguration, cached stylesheets), next to a plain `HTML(string=...).write_pdf()`
   of the same HTML with the same stylesheets parsed each time.
2. The SQL queries of the main pages.
3. The median warm render time of a certificate PDF (unsaved certificates with
   realistic fields: nothing is written to the database), and beside it WeasyPrint's
   default call on the same HTML with the system's stock fonts, for reference (no
   target). `--only certificate` runs this part alone. See `bench_certificate_pdf`
   for what exactly is compared.
4. Requests per second of a lesson page for a logged-in learner under gunicorn, against
   the constant `/robots.txt` view in the same run (target ratio ≥ 0.12), the two
   measured in alternation. Gunicorn as in production: DEBUG off, one sync worker per
   core. Each lesson request records the visit, as always. Traffic goes to 127.0.0.1
   only, for a bounded time. `--only lesson` runs this part (and the learner's
   pages' queries) alone.
5. The pilotage dashboard (/admin/pilotage/) for Coordination, median time through the
   test client on generated data (`generate_pilotage_data`, 10,000 learners by
   default, BENCH_LEARNERS), against the target of 300 ms, with its query count.
   `--only pilotage` runs this part alone.
6. Requests per second of each public page an anonymous reader gets from the page
   cache (core/page_cache.py: home, guide index, a guide, module index, a module, the
   sessions list, a session), each against `/robots.txt` in alternation under the same
   gunicorn as 4 (target ratio ≥ 0.8), with their SQL queries once cached (0). Both
   sides send `Accept-Encoding: gzip, deflate, br`, as browsers do.
   `--only pages` runs this part alone.
7. Requests per second of the learner's other pages under gunicorn, each against
   `/robots.txt` in the same run: « Mon espace » (target ≥ 0.2), a lesson (≥ 0.3), a
   module page and the quiz page (≥ 0.2), a certificate PDF and a guide PDF served
   from storage (≥ 0.5), with their query counts. `--only logged-in` runs this part.

Every figure printed is also written to var/bench.json (one key per figure: ratios,
requests/s, milliseconds, query counts), so that runs can be compared.
"""

import datetime
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
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
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
LOAD_CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
# Production-like gunicorn: one worker process per core; the pages are CPU-bound, so a
# worker runs one request at a time (threads would only contend for the GIL).
SERVER_WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
SERVER_THREADS = int(os.environ.get("BENCH_THREADS", "1"))
# The two pages are measured in alternation, so that a burst of load from elsewhere on
# the machine does not fall on one of them only.
LOAD_ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
LEARNER_EMAIL = "professionnelle@reperes.example"
PAGES_TARGET = 0.8
# What every browser sends with a page request: the cached pages come compressed.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
BENCH_JSON = ROOT / "var" / "bench.json"
# The figures of this run, written to BENCH_JSON at the end.
FIGURES = {}
# Requests that failed without an answer (timeouts on a busy machine), reported.
TIMEOUTS = []


def figure(key, value):
    """Keep a printed figure for var/bench.json."""
    FIGURES[key] = round(value, 3) if isinstance(value, float) else value


def write_figures(only=None):
    if TIMEOUTS:
        print(
            f"Requêtes restées sans réponse pendant les mesures : {len(TIMEOUTS)} ({TIMEOUTS[0]}…)"
        )
    figure("requests_without_answer", len(TIMEOUTS))
    BENCH_JSON.parent.mkdir(exist_ok=True)
    run = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "only": only,
        "workers": SERVER_WORKERS,
        "clients": LOAD_CLIENTS,
        "seconds_per_page": LOAD_SECONDS,
    }
    BENCH_JSON.write_text(json.dumps({**run, **FIGURES}, indent=2, ensure_ascii=False) + "\n")
    print(f"Chiffres écrits dans {BENCH_JSON.relative_to(ROOT)}")


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
    only = sys.argv[2] if sys.argv[1:2] == ["--only"] and len(sys.argv) == 3 else None
    parts = {
        "certificate": bench_certificate_pdf,
        "lesson": bench_lesson,
        "pilotage": bench_pilotage,
        "pages": bench_pages,
        "logged-in": bench_logged_in_pages,
    }
    status = (parts[only]() or 0) if only in parts else bench_everything()
    write_figures(only)
    return status


def bench_everything():
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
    figure("guide_pdf_helper_ms", helper * 1000)
    figure("guide_pdf_plain_ms", plain * 1000)
    figure("guide_pdf_ratio", helper / plain)
    bench_certificate_pdf()
    client = Client(HTTP_HOST="localhost")
    print("Requêtes SQL par page")
    for path in ["/", "/guides/", guide.url, "/recherche/?q=signalement", "/formations/"]:
        print_queries(client, path)
    bench_pilotage()
    bench_lesson()
    status = bench_pages()
    return bench_logged_in_pages() or status


def bench_lesson():
    """The learner's pages' queries, then the lesson's throughput (`--only lesson`)."""
    learner = learner_client()
    lesson = first_lesson()
    if not (learner and lesson):
        print("Pas de module ou de compte de démo : débit des leçons non mesuré.")
        return 0
    for path in [lesson.url, "/espace/"]:
        print_queries(learner, path, "(connecté·e)")
    bench_lesson_throughput(lesson)
    return 0


def print_queries(client, path, note=""):
    client.get(path)  # warm caches as a running server would have them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    print(f"  {path:<70} HTTP {response.status_code}  {len(queries):>3} requêtes {note}")
    figure(f"queries {path}{' ' + note if note else ''}", len(queries))


def learner():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=LEARNER_EMAIL).first()


def learner_client():
    user = learner()
    if user is None:
        return None
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="accounts.backends.ModelBackend")
    return client


def first_lesson():
    from courses.models import LessonPage

    return LessonPage.objects.live().order_by("path").first()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie():
    """A real logged-in session for the demo learner, stored where gunicorn reads it."""
    client = learner_client()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def requests_per_second(port, path, cookie, seconds=LOAD_SECONDS, extra_headers=None):
    """Requests/s from LOAD_CLIENTS keep-alive clients over `seconds`."""
    counts = [0] * LOAD_CLIENTS
    errors = []
    deadline = time.monotonic() + seconds

    def hammer(slot):
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": cookie, "Host": "localhost"} if cookie else {"Host": "localhost"}
        headers.update(extra_headers or {})
        while time.monotonic() < deadline:
            try:
                connection_.request("GET", path, headers=headers)
                response = connection_.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                # A busy shared machine can stall a request: count it, reconnect, go on.
                TIMEOUTS.append(f"{path}: {type(error).__name__}")
                connection_.close()
                continue
            if response.status != 200:
                errors.append(response.status)
                return
            counts[slot] += 1
        connection_.close()

    threads = [threading.Thread(target=hammer, args=(slot,)) for slot in range(LOAD_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{path}: HTTP {errors[0]} pendant la mesure")
    return sum(counts) / seconds


def start_gunicorn(port):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SIGNING_DEMO_KEY": "1",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        # Links in e-mails and PDFs point to this server, not to 127.0.0.1:8000.
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        "--chdir",
        str(ROOT / "site"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(SERVER_WORKERS),
        "--threads",
        str(SERVER_THREADS),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn n'a pas démarré")


def collect_static():
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SIGNING_DEMO_KEY": "1",
            "SECRET_KEY": settings.SECRET_KEY,
        },
        check=True,
    )


def bench_lesson_throughput(lesson):
    collect_static()
    port = free_port()
    cookie = session_cookie()
    server = start_gunicorn(port)
    rounds = max(LOAD_ROUNDS, 1)
    try:
        requests_per_second(port, "/robots.txt", cookie, 1)  # warm-up every worker
        requests_per_second(port, lesson.url, cookie, 1)
        constant = lesson_rate = 0
        for _ in range(rounds):
            constant += requests_per_second(port, "/robots.txt", cookie, LOAD_SECONDS / rounds)
            lesson_rate += requests_per_second(port, lesson.url, cookie, LOAD_SECONDS / rounds)
        constant, lesson_rate = constant / rounds, lesson_rate / rounds
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"Débit sous gunicorn ({SERVER_WORKERS} workers × {SERVER_THREADS} thread, "
        f"{LOAD_CLIENTS} clients, {LOAD_SECONDS:.0f} s par page en {rounds} fois)"
    )
    print(f"  vue constante /robots.txt : {constant:8.1f} req/s")
    print(
        f"  leçon (connecté·e)        : {lesson_rate:8.1f} req/s   (ratio {lesson_rate / constant:.2f}, cible ≥ 0.12)"
    )
    figure("lesson_robots_rps", constant)
    figure("lesson_rps", lesson_rate)
    figure("lesson_ratio", lesson_rate / constant)


def public_pages():
    """(name, path) of each page an anonymous reader gets from the page cache."""
    from courses.models import ModulePage, TrainingSession

    guide = GuidePage.objects.live().public().order_by("path").first()
    module = ModulePage.objects.live().public().order_by("path").first()
    session = TrainingSession.objects.upcoming().order_by("starts_at").first()
    pages = [("home", "/"), ("guide_index", "/guides/")]
    pages += [("guide", guide.url)] if guide else []
    pages += [("module_index", "/formations/")]
    pages += [("module", module.url)] if module else []
    pages += [("sessions", "/sessions/")]
    pages += [("session", session.get_absolute_url())] if session else []
    return pages


def bench_pages():
    """Each cached public page against /robots.txt, anonymous (`--only pages`)."""
    pages = public_pages()
    if len(pages) < 7:
        print("Contenu de démo incomplet : lancez d'abord `manage.py load_demo`.")
    anonymous = Client(HTTP_HOST="localhost")
    print("Requêtes SQL par page publique, lecteur·rice anonyme, page en cache")
    for _name, path in pages:
        print_queries(anonymous, path, "(anonyme)")
    collect_static()
    port = free_port()
    server = start_gunicorn(port)
    rounds = max(LOAD_ROUNDS, 1)
    rates = {}
    try:
        requests_per_second(port, "/robots.txt", None, 1)  # warm-up every worker
        for name, path in pages:
            requests_per_second(port, path, None, 1)  # the first render fills the cache
            constant = page_rate = 0
            for _ in range(rounds):
                slice_ = LOAD_SECONDS / rounds
                constant += requests_per_second(port, "/robots.txt", None, slice_, BROWSER)
                page_rate += requests_per_second(port, path, None, slice_, BROWSER)
            rates[name] = (path, constant / rounds, page_rate / rounds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"Pages publiques en cache, anonyme, sous gunicorn ({SERVER_WORKERS} workers × "
        f"{SERVER_THREADS} thread, {LOAD_CLIENTS} clients, {LOAD_SECONDS:.0f} s par page en "
        f"{rounds} fois, chacune en alternance avec /robots.txt)"
    )
    below = 0
    for name, (path, constant, page_rate) in rates.items():
        ratio = page_rate / constant
        below += ratio < PAGES_TARGET
        print(
            f"  {name:<13} {path[:44]:<44} {page_rate:8.1f} req/s, /robots.txt "
            f"{constant:8.1f} req/s   (ratio {ratio:.2f}, cible ≥ {PAGES_TARGET})"
        )
        figure(f"page_{name}_rps", page_rate)
        figure(f"page_{name}_robots_rps", constant)
        figure(f"page_{name}_ratio", ratio)
    figure("pages_below_target", below)
    return 0


def bench_logged_in_pages():
    """The learner's pages and downloads against /robots.txt (`--only logged-in`).

    Each page is measured in alternation with the constant view, as the lesson is.
    The PDFs are rendered once beforehand (a download serves the stored file).
    """
    from django.urls import reverse

    from certificates.models import Certificate
    from courses.models import ModulePage
    from guides.services import get_or_render_guide_pdf

    user, lesson = learner(), first_lesson()
    module = ModulePage.objects.live().order_by("path").first()
    guide = GuidePage.objects.live().order_by("-path").first()
    certificate = (
        Certificate.objects.filter(holder=user, revoked_at=None, replaced_at=None)
        .exclude(pdf="")
        .first()
        if user
        else None
    )
    if not (user and lesson and module and guide and certificate):
        print("Pas de compte, de module, de guide ou de certificat de démo : pages non mesurées.")
        return 0
    get_or_render_guide_pdf(guide)
    pages = [
        ("« Mon espace »", reverse("courses:dashboard"), 0.2, "espace"),
        ("leçon", lesson.url, 0.3, "lesson"),
        ("page de module", module.url, 0.2, "module"),
        ("page du quiz", reverse("courses:quiz", args=[module.pk]), 0.2, "quiz"),
        (
            "PDF d'un certificat",
            reverse("certificates:download", args=[certificate.uuid]),
            0.5,
            "certificate_pdf",
        ),
        ("PDF d'un guide", guide.url + "pdf/", 0.5, "guide_pdf"),
    ]
    client = learner_client()
    print("Requêtes SQL des pages de l'apprenant·e")
    for _label, path, _target, _key in pages:
        print_queries(client, path, "(connecté·e)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "0",
            "SIGNING_DEMO_KEY": "1",
            "SECRET_KEY": settings.SECRET_KEY,
        },
        check=True,
    )
    port, cookie = free_port(), session_cookie()
    server = start_gunicorn(port)
    rounds, seconds = max(LOAD_ROUNDS, 1), LOAD_SECONDS / max(LOAD_ROUNDS, 1)
    try:
        requests_per_second(port, "/robots.txt", cookie, 1)  # warm-up every worker
        rates = []
        for _label, path, _target, _key in pages:
            requests_per_second(port, path, cookie, 1)
            constant = rate = 0
            for _ in range(rounds):
                constant += requests_per_second(port, "/robots.txt", cookie, seconds)
                rate += requests_per_second(port, path, cookie, seconds)
            rates.append((constant / rounds, rate / rounds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"Débit des pages de l'apprenant·e sous gunicorn ({SERVER_WORKERS} workers, {LOAD_CLIENTS} clients)"
    )
    below = 0
    for (label, _path, target, key), (constant, rate) in zip(pages, rates, strict=True):
        ratio = rate / constant if constant else 0.0
        below += ratio < target
        print(
            f"  {label:<22}: {rate:8.1f} req/s  /robots.txt {constant:8.1f} req/s"
            f"   (ratio {ratio:.2f}, cible ≥ {target})"
        )
        figure(f"learner_{key}_rps", rate)
        figure(f"learner_{key}_robots_rps", constant)
        figure(f"learner_{key}_ratio", ratio)
    figure("learner_pages_below_target", below)
    return 0


PILOTAGE_LEARNERS = int(os.environ.get("BENCH_LEARNERS", "10000"))
PILOTAGE_TARGET_MS = 300
COORDINATION_EMAIL = "coordination@reperes.example"


def bench_pilotage():
    """The dashboard's median time on generated learners (target under 300 ms)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.urls import reverse

    coordination = get_user_model().objects.filter(email=COORDINATION_EMAIL).first()
    if coordination is None:
        print("Pas de compte Coordination de démo : tableau de bord non mesuré.")
        return 0
    call_command(
        "generate_pilotage_data",
        learners=PILOTAGE_LEARNERS,
        confirmed=True,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(coordination, backend="accounts.backends.ModelBackend")
    url = reverse("pilotage:dashboard")

    def dashboard():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"/admin/pilotage/: HTTP {response.status_code}")

    def recomputed():
        # The figures computed again, as on the first view after a change (pilotage/cache.py).
        from pilotage.cache import PILOTAGE

        PILOTAGE.publish()
        dashboard()

    median = median_seconds(dashboard)
    uncached = median_seconds(recomputed) * 1000
    with CaptureQueriesContext(connection) as queries:
        recomputed()
    milliseconds = median * 1000
    print(
        f"Tableau de bord /admin/pilotage/ ({PILOTAGE_LEARNERS} personnes générées, "
        f"12 derniers mois) — médiane sur {RUNS} affichages"
    )
    print(
        f"  {milliseconds:7.1f} ms, {len(queries)} requêtes SQL   "
        f"(ratio {milliseconds / PILOTAGE_TARGET_MS:.2f} de la cible, cible < {PILOTAGE_TARGET_MS} ms)"
    )
    print(f"  {uncached:7.1f} ms chiffres recalculés (cache écarté, requêtes ci-dessus)")
    figure("pilotage_ms", milliseconds)
    figure("pilotage_uncached_ms", uncached)
    figure("pilotage_queries", len(queries))
    figure("pilotage_ratio", milliseconds / PILOTAGE_TARGET_MS)
    return 0


def bench_certificate(sequence=123):
    """An unsaved attestation with realistic fields and images drawn in memory.

    Each `sequence` gets its own number and verification code, hence its own QR code,
    as two real certificates would; the logo and signature are those of one publisher.
    """
    import base64
    import io
    import math
    from datetime import date, datetime

    from django.utils import timezone
    from PIL import Image, ImageDraw

    from certificates.codes import ALPHABET
    from certificates.models import Certificate, CertificateKind

    def png_data_url(image):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    logo = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((10, 10, 190, 190), fill=(122, 46, 92, 255))
    draw.rectangle((220, 60, 580, 90), fill=(26, 63, 139, 255))
    draw.rectangle((220, 110, 480, 135), fill=(120, 120, 120, 255))
    signature = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    points = [(30 + x * 4, 90 + 28 * math.sin(x / 6) - x * 0.12) for x in range(105)]
    ImageDraw.Draw(signature).line(points, fill=(25, 35, 80, 255), width=4, joint="curve")
    # A code that differs in every group from one sequence to the next.
    suffix = "".join(ALPHABET[(sequence * 7 + i * 11) % len(ALPHABET)] for i in range(4))
    return Certificate(
        kind=CertificateKind.COMPLETION,
        number=f"RP-2026-{sequence:06d}",
        year=2026,
        sequence=sequence,
        code=f"7KQ2{suffix}4H{suffix[:2]}",
        holder_first_name="Camille",
        holder_last_name="Martin-Durand",
        holder_profession="Infirmier·ère scolaire",
        title="Repérer et protéger : la prostitution des mineur·e·s",
        publisher_name="Observatoire départemental des violences faites aux femmes",
        objectives_summary=(
            "Connaître le cadre légal de la prostitution des mineur·e·s ; repérer les "
            "signaux d'alerte chez un·e adolescent·e ; savoir à qui signaler et comment "
            "orienter une victime vers les dispositifs d'accompagnement du département."
        ),
        planned_minutes=150,
        achieved_minutes=172,
        started_on=date(2026, 1, 5),
        completed_on=date(2026, 1, 19),
        score=85,
        issuer_name="Amicale du Nid",
        signatory_name="Dominique Exemple",
        signatory_role="Responsable de la formation",
        signature_data=png_data_url(signature),
        logo_data=png_data_url(logo),
        accent_colour="#7a2e5c",
        footer_text=(
            "Amicale du Nid — organisme de formation, déclaration d'activité enregistrée "
            "sous le numéro 00 00 00000 00 (exemple). Plan départemental de lutte contre "
            "la prostitution des mineur·e·s."
        ),
        issued_at=timezone.make_aware(datetime(2026, 1, 19, 10, 0)),
    )


def plain_certificate_render(html):
    """WeasyPrint's default call on the certificate's HTML, with the system's stock fonts.

    `HTML(string=html).write_pdf()` with default options (no font configuration kept
    between renders, no PDF/UA tagging, WeasyPrint's own URL fetcher). The HTML links
    no stylesheet (the helper passes them), so the layout stylesheet is given as a
    `CSS(filename=...)`; the project's font files (fonts/pdf/fonts.css) are left
    out, so the text is set in whatever fonts the system provides.
    """
    HTML(string=html).write_pdf(
        stylesheets=[CSS(filename=str(settings.PDF_ASSET_ROOT / "pdf/certificate.css"))]
    )


def bench_certificate_pdf():
    """The helper's warm render time, and WeasyPrint's default call beside it.

    Run i renders certificate i through the helper (`render_certificate_pdf_bytes`:
    template, QR code, PDF/UA-1 tagging and metadata included), then renders the very
    HTML string the helper produced for it with `plain_certificate_render`. Every
    certificate has its own code, hence its own QR code, as in production: no render
    can reuse the previous one's document. Alternating the two keeps a busy machine
    from favouring either side. Medians of wall-clock time and of process CPU time
    (less sensitive to other processes on the machine), after one warm-up of each.
    The default call is printed for reference only: it sets the text in other fonts
    and writes an untagged PDF, so there is no target ratio between the two.
    """
    from certificates.pdf import certificate_pdf_html, render_certificate_pdf_bytes

    certificates = [bench_certificate(sequence) for sequence in range(100, 101 + RUNS)]
    htmls = [certificate_pdf_html(certificate) for certificate in certificates]
    timings = {"helper": ([], []), "plain": ([], [])}

    def timed(side, function, record):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        if record:
            timings[side][0].append(time.perf_counter() - wall)
            timings[side][1].append(time.process_time() - cpu)

    for index, (certificate, html) in enumerate(zip(certificates, htmls, strict=True)):
        warm = index > 0  # the first pair warms fonts, stylesheets and templates up
        timed("helper", lambda c=certificate: render_certificate_pdf_bytes(c), warm)
        timed("plain", lambda h=html: plain_certificate_render(h), warm)
    helper_wall, helper_cpu = (statistics.median(values) for values in timings["helper"])
    plain_wall, plain_cpu = (statistics.median(values) for values in timings["plain"])
    print(f"Attestation PDF (certificats non enregistrés) — médiane sur {RUNS} rendus à chaud")
    print(
        f"  helper du projet : {helper_wall * 1000:7.1f} ms   (CPU {helper_cpu * 1000:6.1f} ms)"
        "   HTML et QR code compris"
    )
    print(
        f"  HTML().write_pdf : {plain_wall * 1000:7.1f} ms   (CPU {plain_cpu * 1000:6.1f} ms)"
        "   appel par défaut de WeasyPrint, polices du système"
    )
    figure("certificate_pdf_helper_ms", helper_wall * 1000)
    figure("certificate_pdf_helper_cpu_ms", helper_cpu * 1000)
    figure("certificate_pdf_plain_ms", plain_wall * 1000)
    figure("certificate_pdf_plain_cpu_ms", plain_cpu * 1000)


if __name__ == "__main__":
    sys.exit(main())
