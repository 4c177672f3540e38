"""Pages at a département's scale (`make bench-scale`; never part of the test suite).

On PostgreSQL (DATABASE_URL, by default its own database `reperes_scale` on
127.0.0.1), created, migrated, filled with the demo and with `generate_scale_data`
(100,000 learners, BENCH_SCALE_LEARNERS) when missing, reused when already there.
Data is generated only into a base whose name says « scale » (or with
BENCH_SCALE_GENERATE=1): DATABASE_URL may point at someone's working base.

For each page: p50 and p95 over BENCH_SCALE_RUNS requests (after one warm-up) through
Django's test client in this process (no HTTP server, no network: the view, its
queries and its template), the page's query count, and `EXPLAIN` of its queries on
the big tables: a page « uses index scans » when none of them reads a big table
(BIG_TABLE_ROWS rows or more) with a sequential scan. Targets: page views p50 < 50 ms,
the pilotage dashboard p50 < 500 ms. Writes `var/bench-scale.json`, one key per figure.

BENCH_SCALE_ONLY=quiz_submit,emargement_pdf (keys, comma-separated) measures only those pages
and updates their keys in `var/bench-scale.json`, leaving the others as they were
(`dashboard` is short for both dashboard keys: its figures from the cache, as most
views get them, and computed again, as the first view after a change).

The quiz submission is a failing one (the same grading, answers and completion check;
a passing one renders the certificate PDF, which in production is a task of
`db_worker`, measured by `make load`): each run is a different learner who finished
the lessons and starts the quiz (not timed), then « Valider » (timed).
"""

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/reperes_scale"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "30"))
LEARNERS = int(os.environ.get("BENCH_SCALE_LEARNERS", "100000"))
BIG_TABLE_ROWS = 10_000
PAGE_TARGET_MS = 50
DASHBOARD_TARGET_MS = 500
COORDINATION_EMAIL = "coordination@reperes.example"
OUTPUT = ROOT / "var" / "bench-scale.json"
ALIASES = {"dashboard": ("pilotage_dashboard", "pilotage_dashboard_uncached")}
ONLY = {
    name
    for key in os.environ.get("BENCH_SCALE_ONLY", "").split(",")
    if key.strip()
    for name in ALIASES.get(key.strip(), (key.strip(),))
}


def ensure_database(url):
    """Create the database named in `url` if the server does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        raise SystemExit("make bench-scale needs PostgreSQL: DATABASE_URL=postgres://…/<base>")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            print(f"Création de la base {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from certificates.models import Certificate  # noqa: E402
from courses.models import (  # noqa: E402
    Enrolment,
    LessonPage,
    ModulePage,
    QuizAttempt,
    TrainingSession,
)
from courses.modules.forms import CHOICE_PREFIX, QUESTION_FIELD  # noqa: E402
from demo.scale import (  # noqa: E402
    BIG_SESSION_TITLE,
    LONG_HISTORY_EMAIL,
    TRAINER_EMAIL,
    scale_users,
)

BACKEND = "accounts.backends.ModelBackend"
GENERATION = {}  # how long generate_scale_data took, when this run generated


def prepare():
    call_command("migrate", verbosity=0, interactive=False)
    if not ModulePage.objects.live().exists():
        print("Contenu de démonstration (load_demo)…")
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not scale_users().exists():
        name = connection.settings_dict["NAME"]
        if "scale" not in name and os.environ.get("BENCH_SCALE_GENERATE") != "1":
            # DATABASE_URL may be someone's working base: 100,000 people go only into a
            # base named for it, or where the person running the bench said so.
            raise SystemExit(
                f"La base « {name} » n'a pas de données d'échelle : utilisez une base dont "
                "le nom contient « scale » ou BENCH_SCALE_GENERATE=1."
            )
        print(f"Génération de {LEARNERS} personnes (generate_scale_data)…")
        started = time.monotonic()
        call_command("generate_scale_data", learners=LEARNERS, confirmed=True)
        GENERATION["seconds"] = round(time.monotonic() - started, 1)
        print(f"  {GENERATION['seconds']:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(request):
    """p50, p95 (ms) and the captured queries of `request(i)` (returns a response)."""
    check(request(-1))
    timings = []
    for index in range(RUNS):
        started = time.perf_counter()
        response = request(index)
        timings.append((time.perf_counter() - started) * 1000)
        check(response)
    with CaptureQueriesContext(connection) as queries:
        check(request(RUNS))
    return percentile(timings, 0.5), percentile(timings, 0.95), queries.captured_queries


def check(response):
    if response.status_code not in (200, 302) or (
        response.status_code == 302 and "tentatives" not in response["Location"]
    ):
        raise SystemExit(f"{response.request['PATH_INFO']}: HTTP {response.status_code}")


def big_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
            [BIG_TABLE_ROWS],
        )
        return {name for (name,) in cursor.fetchall()}


def sequential_scans(queries, big):
    """The big tables read with a sequential scan by the page's SELECTs."""
    found = set()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            found |= {name for name in _seq_scans(plan[0]["Plan"]) if name in big}
    return sorted(found)


def _seq_scans(node):
    if node.get("Node Type") == "Seq Scan":
        yield node["Relation Name"]
    for child in node.get("Plans", []):
        yield from _seq_scans(child)


def client_for(email):
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(email=email), backend=BACKEND)
    return client


def pages():
    """(key, label, target ms, request function) for each page measured."""
    espace = client_for(LONG_HISTORY_EMAIL)
    anonymous = Client(HTTP_HOST="localhost")
    coordination = client_for(COORDINATION_EMAIL)
    trainer = client_for(TRAINER_EMAIL)
    session = TrainingSession.objects.get(title=BIG_SESSION_TITLE)
    codes = list(
        Certificate.objects.filter(holder__in=scale_users())
        .order_by("?")
        .values_list("code", flat=True)[: RUNS + 2]
    )
    numbers = list(
        Certificate.objects.filter(holder__in=scale_users())
        .order_by("?")
        .values_list("number", flat=True)[: RUNS + 2]
    )
    names = ["Longuehistoire", "Traoré", "Dupont Camille", "Nguyen"]
    search = "/admin/certificats/"  # CertificateViewSet (certificates/wagtail_hooks.py)
    verify = [Certificate(code=code).get_verification_path() for code in codes]

    def address(index):
        index += 2
        return f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"

    return [
        (
            "espace",
            "« Mon espace » (longue histoire)",
            PAGE_TARGET_MS,
            lambda i: espace.get("/espace/"),
        ),
        (
            "verify",
            "/verifier/<code>/",
            PAGE_TARGET_MS,
            lambda i: anonymous.get(verify[i + 1], REMOTE_ADDR=address(i)),
        ),
        (
            "certificate_search_name",
            "Coordination : recherche de certificat par nom",
            PAGE_TARGET_MS,
            lambda i: coordination.get(search, {"q": names[i % len(names)]}),
        ),
        (
            "certificate_search_number",
            "Coordination : recherche de certificat par numéro",
            PAGE_TARGET_MS,
            lambda i: coordination.get(search, {"q": numbers[i + 1]}),
        ),
        (
            "trainer_session",
            "Formatrice : session de 40 participant·e·s",
            PAGE_TARGET_MS,
            lambda i: trainer.get(reverse("trainer:session", kwargs={"uuid": session.uuid})),
        ),
        (
            "emargement_pdf",
            "Feuille d'émargement (PDF) de cette session",
            PAGE_TARGET_MS,
            lambda i: trainer.get(reverse("trainer:emargement", kwargs={"uuid": session.uuid})),
        ),
        (
            "pilotage_dashboard",
            "Tableau de bord du pilotage /admin/pilotage/",
            DASHBOARD_TARGET_MS,
            lambda i: coordination.get(reverse("pilotage:dashboard")),
        ),
        (
            "pilotage_dashboard_uncached",
            "Le même, chiffres recalculés (cache écarté)",
            DASHBOARD_TARGET_MS,
            lambda i: uncached(lambda: coordination.get(reverse("pilotage:dashboard"))),
        ),
        ("quiz_submit", "Envoi d'un quiz (« Valider », échec)", PAGE_TARGET_MS, quiz_submitter()),
    ]


def uncached(request):
    """`request()` with the dashboard's cached figures dropped first (pilotage/cache.py):
    what the first view after a change costs."""
    from pilotage.cache import PILOTAGE

    PILOTAGE.publish()
    return request()


def quiz_submitter():
    """Each call: a new learner ready for the quiz starts it (untimed), then submits it.

    The learners are looked for on the first call, not before: a run that measures
    other pages only (BENCH_SCALE_ONLY) does not pay for that search."""
    found = {}

    def prepare(index):
        if not found:
            found.update(ready_for_quiz())
        module, learners = found["module"], found["learners"]
        client = client_for(learners[index + 1])
        client.post(reverse("courses:start_quiz", kwargs={"module_id": module.pk}))
        attempt = QuizAttempt.objects.filter(
            user__email=learners[index + 1], module=module, status="in_progress"
        ).first()
        data = {QUESTION_FIELD: [], "csrfmiddlewaretoken": ""}
        for question in attempt.questions:
            wrong = [c["id"] for c in question["choices"] if not c.get("correct")]
            data[QUESTION_FIELD].append(question["id"])
            data[CHOICE_PREFIX + question["id"]] = wrong[:1] or [question["choices"][0]["id"]]
        return client, reverse("courses:submit_attempt", args=[attempt.pk]), data

    return submit_with_untimed_start(prepare)


def ready_for_quiz():
    """A module with a quiz, and learners who finished its lessons but not its quiz."""
    module = ModulePage.objects.live().filter(quiz_attempts__isnull=False).distinct().first()
    lessons = LessonPage.objects.child_of(module).live().count()
    ready = (
        Enrolment.objects.filter(module=module, user__in=scale_users())
        .exclude(user__quiz_attempts__module=module)
        .annotate(
            done=Count(
                "user__lesson_progress",
                filter=Q(
                    user__lesson_progress__module=module,
                    user__lesson_progress__completed_at__isnull=False,
                ),
            )
        )
        .filter(done=lessons)
        .values_list("user__email", flat=True)
    )
    learners = list(ready[: RUNS + 2])
    if len(learners) < RUNS + 2:
        raise SystemExit("Pas assez de personnes prêtes pour le quiz : regénérez les données.")
    return {"module": module, "learners": learners}


def submit_with_untimed_start(prepare):
    """A request function whose preparation is done before the clock starts."""

    class Submit:
        def __init__(self):
            self.next = None

        def __call__(self, index):
            client, url, data = self.next or prepare(index)
            self.next = None
            return client.post(url, data)

        def get_ready(self, index):
            self.next = prepare(index)

    return Submit()


def run():
    prepare()
    big = big_tables()
    results = {"learners": scale_users().count(), "runs": RUNS, "client": "django.test.Client"}
    if GENERATION:
        results["generation_seconds"] = GENERATION["seconds"]
    print(f"\n{results['learners']} personnes générées, {RUNS} requêtes par page (client de test)")
    print(f"{'page':<52} {'p50':>8} {'p95':>8} {'req.':>5} {'SQL':>8}  cible   index")
    for key, label, target, request in pages():
        if ONLY and key not in ONLY:
            continue
        if hasattr(request, "get_ready"):
            p50, p95, queries = measure_prepared(request)
        else:
            p50, p95, queries = measure(request)
        seq = sequential_scans(queries, big)
        passed = p50 < target
        results[key] = {
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "queries": len(queries),
            # Time in the database during one request (the rest is Python: view, template).
            "sql_ms": round(sum(float(query["time"]) for query in queries) * 1000, 1),
            "target_ms": target,
            "target_met": passed,
            "index_scans": not seq,
            "sequential_scans": seq,
        }
        print(
            f"{label:<52} {p50:6.1f}ms {p95:6.1f}ms {len(queries):5d} "
            f"{results[key]['sql_ms']:6.1f}ms  "
            f"{'OK ' if passed else 'KO '}<{target:<4} {'oui' if not seq else 'non: ' + ', '.join(seq)}"
        )
    OUTPUT.parent.mkdir(exist_ok=True)
    if ONLY and OUTPUT.exists():
        # Only some pages measured: the others keep their last figures.
        results = {**json.loads(OUTPUT.read_text()), **results}
    OUTPUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nÉcrit : {OUTPUT.relative_to(ROOT)}")
    return 0


def measure_prepared(request):
    """Like `measure`, with each request's preparation outside the clock."""
    request.get_ready(-1)
    check(request(-1))
    timings = []
    for index in range(RUNS):
        request.get_ready(index)
        started = time.perf_counter()
        response = request(index)
        timings.append((time.perf_counter() - started) * 1000)
        check(response)
    request.get_ready(RUNS)
    with CaptureQueriesContext(connection) as queries:
        check(request(RUNS))
    return percentile(timings, 0.5), percentile(timings, 0.95), queries.captured_queries


if __name__ == "__main__":
    sys.exit(run())
