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
6. Requests per second of the learner's other pages under gunicorn, each against
   `/robots.txt` in the same run: « Mon espace » (target ≥ 0.2), a lesson (≥ 0.3), a
   module page and the quiz page (≥ 0.2), a certificate PDF and a guide PDF served
   from storage (≥ 0.5), with their query counts. `--only logged-in` runs this part.
"""

import http.client
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
    if sys.argv[1:] == ["--only", "certificate"]:
        bench_certificate_pdf()
        return 0
    if sys.argv[1:] == ["--only", "lesson"]:
        return bench_lesson()
    if sys.argv[1:] == ["--only", "pilotage"]:
        return bench_pilotage()
    if sys.argv[1:] == ["--only", "logged-in"]:
        return bench_logged_in_pages()
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
    bench_certificate_pdf()
    client = Client(HTTP_HOST="localhost")
    print("Requêtes SQL par page")
    for path in ["/", "/guides/", guide.url, "/recherche/?q=signalement", "/formations/"]:
        print_queries(client, path)
    bench_pilotage()
    bench_lesson()
    return bench_logged_in_pages()


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


def learner():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email=LEARNER_EMAIL).first()


def learner_client():
    user = learner()
    if user is None:
        return None
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
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


def requests_per_second(port, path, cookie, seconds=LOAD_SECONDS):
    """Requests/s from LOAD_CLIENTS keep-alive clients over `seconds`."""
    counts = [0] * LOAD_CLIENTS
    errors = []
    deadline = time.monotonic() + seconds

    def hammer(slot):
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": cookie, "Host": "localhost"}
        while time.monotonic() < deadline:
            connection_.request("GET", path, headers=headers)
            response = connection_.getresponse()
            response.read()
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


def bench_lesson_throughput(lesson):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY},
        check=True,
    )
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
        ("« Mon espace »", reverse("courses:dashboard"), 0.2),
        ("leçon", lesson.url, 0.3),
        ("page de module", module.url, 0.2),
        ("page du quiz", reverse("courses:quiz", args=[module.pk]), 0.2),
        ("PDF d'un certificat", reverse("certificates:download", args=[certificate.uuid]), 0.5),
        ("PDF d'un guide", guide.url + "pdf/", 0.5),
    ]
    client = learner_client()
    print("Requêtes SQL des pages de l'apprenant·e")
    for _label, path, _target in pages:
        print_queries(client, path, "(connecté·e)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY},
        check=True,
    )
    port, cookie = free_port(), session_cookie()
    server = start_gunicorn(port)
    rounds, seconds = max(LOAD_ROUNDS, 1), LOAD_SECONDS / max(LOAD_ROUNDS, 1)
    try:
        requests_per_second(port, "/robots.txt", cookie, 1)  # warm-up every worker
        rates = []
        for _label, path, _target in pages:
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
    for (label, _path, target), (constant, rate) in zip(pages, rates, strict=True):
        print(
            f"  {label:<22}: {rate:8.1f} req/s  /robots.txt {constant:8.1f} req/s"
            f"   (ratio {rate / constant:.2f}, cible ≥ {target})"
        )
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
    client.force_login(coordination, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("pilotage:dashboard")

    def dashboard():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"/admin/pilotage/: HTTP {response.status_code}")

    median = median_seconds(dashboard)
    with CaptureQueriesContext(connection) as queries:
        dashboard()
    milliseconds = median * 1000
    print(
        f"Tableau de bord /admin/pilotage/ ({PILOTAGE_LEARNERS} personnes générées, "
        f"12 derniers mois) — médiane sur {RUNS} affichages"
    )
    print(
        f"  {milliseconds:7.1f} ms, {len(queries)} requêtes SQL   "
        f"(ratio {milliseconds / PILOTAGE_TARGET_MS:.2f} de la cible, cible < {PILOTAGE_TARGET_MS} ms)"
    )
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


if __name__ == "__main__":
    sys.exit(main())
