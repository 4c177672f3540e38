"""`LOAD_MODE=burst make load`: 200 people finish the same module within a minute.

Prepared by the driver (`prepare`, Django set up): `LOAD_BURST` professionals (200)
who have done every lesson of one module and stand before its quiz, and `LOAD_USERS`
others who have done every lesson of every module and keep reading them
(burstfile.py). During the run the 200 arrive at random moments of one minute, pass
the quiz in one go, and their certificates are issued; the PDFs are rendered by the
`LOAD_DB_WORKERS` task workers (2) while the readers' lesson pages are timed.

The driver watches the database every half second (`watch`): for each certificate,
the time from its issue to the moment its PDF is stored. Targets: every PDF within
30 s of its issue, and the readers' lessons with p99 under 300 ms.
"""

import os
import threading
import time
from datetime import UTC, datetime

from report import errors, read_locust_stats

BURST = int(os.environ.get("LOAD_BURST", "200"))
ARRIVAL_SECONDS = int(os.environ.get("LOAD_BURST_WINDOW", "60"))
# How long the run goes on after the last arrival (the last PDFs, the readers).
TAIL_SECONDS = int(os.environ.get("LOAD_BURST_TAIL", "45"))
PDF_TARGET_SECONDS = 30
LESSON_TARGET_MS = 300
LESSON_PAGE = "GET /formations/[module]/[leçon]/"


def burst_module():
    """The module the 200 finish: the first live one with a quiz and lessons."""
    from courses.models import ModulePage
    from courses.modules import services

    for module in ModulePage.objects.live().order_by("path").specific():
        if services.module_quiz(module) and services.module_lessons(module):
            return module
    raise SystemExit("Aucun module publié avec leçons et quiz pour la rafale.")


def _do_lessons(user, module):
    from courses.modules import positioning, services

    services.start_module(user, module)
    # The self-positioning offered before the first lesson, skipped: lesson pages then
    # show the lesson itself.
    positioning.skip_positioning(user, module)
    for lesson in services.module_lessons(module):
        services.complete_lesson(user, lesson)


def prepare(users):
    """Lessons done (through the project's services): the burst's module and people."""
    from courses.models import ModulePage
    from courses.modules import services

    module = burst_module()
    finishers, readers = users[:BURST], users[BURST:]
    for user in finishers:
        _do_lessons(user, module)
    every_module = [m for m in ModulePage.objects.live().specific() if services.module_lessons(m)]
    lessons = []
    for other in every_module:
        lessons += [lesson.url for lesson in services.module_lessons(other)]
        for user in readers:
            _do_lessons(user, other)
    print(
        f"[charge] rafale : {len(finishers)} personnes devant le quiz de « {module.title} », "
        f"{len(readers)} lectrices et lecteurs de {len(lessons)} leçons",
        flush=True,
    )
    return {
        "module": module.pk,
        "finishers": [user.email for user in finishers],
        "readers": [user.email for user in readers],
        "lessons": lessons,
    }


class PdfWatch:
    """When each certificate of the burst's people was issued, and when its PDF was stored."""

    def __init__(self, emails):
        self.emails = emails
        self.issued = {}
        self.ready = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        from django.db import connection

        from certificates.models import Certificate

        try:
            while not self._stop.wait(0.5):
                rows = Certificate.objects.filter(holder__email__in=self.emails).values_list(
                    "pk", "issued_at", "pdf"
                )
                now = datetime.now(UTC)
                for pk, issued_at, pdf in rows:
                    self.issued[pk] = issued_at
                    if pdf and pk not in self.ready:
                        self.ready[pk] = now
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def wait_for_all(self, expected, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.ready) < expected:
            time.sleep(0.5)

    def latencies(self):
        return sorted(
            (self.ready[pk] - issued).total_seconds()
            for pk, issued in self.issued.items()
            if pk in self.ready
        )


def percentile(values, share):
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(share * len(values)))]


def run(url, files, workdir, run_locust, write_figures):
    import json
    from pathlib import Path

    accounts = json.loads(Path(files["LOAD_ACCOUNTS"]).read_text(encoding="utf-8"))
    burst = accounts["burst"]
    readers = len(burst["readers"])
    watch = PdfWatch(burst["finishers"])
    with watch:
        prefix = run_locust(
            url,
            files,
            workdir,
            users=len(burst["finishers"]) + readers,
            duration=f"{ARRIVAL_SECONDS + TAIL_SECONDS}s",
            spawn_rate=100,
            classes=["Finisher", "LessonReader"],
            name="rafale",
            locustfile="burstfile.py",
            # The numbers start once everyone is there (three seconds at 100 a second):
            # a hundred readers opening their first lesson in the same second is the
            # start of the measure, not the burst.
            reset_stats=True,
            extra_env={
                "LOAD_BURST": str(len(burst["finishers"])),
                "LOAD_BURST_WINDOW": str(ARRIVAL_SECONDS),
            },
        )
        watch.wait_for_all(len(watch.issued), timeout=90)
    import verify

    stats = read_locust_stats(prefix)
    verification = verify.verify_events(verify.read_events(files["LOAD_EVENTS"]))
    latencies = watch.latencies()
    issued, ready = len(watch.issued), len(latencies)
    lesson = stats["pages"].get(LESSON_PAGE, {"p50_ms": 0, "p99_ms": 0, "requests": 0})
    all_ready = issued == len(burst["finishers"]) and ready == issued
    within = all_ready and latencies and latencies[-1] <= PDF_TARGET_SECONDS
    lessons_ok = lesson["requests"] > 0 and lesson["p99_ms"] < LESSON_TARGET_MS
    print()
    print(
        f"Rafale : {len(burst['finishers'])} personnes finissent le même module en {ARRIVAL_SECONDS} s"
    )
    print(f"  certificats délivrés : {issued}, PDF prêts : {ready}")
    print(
        f"  délai délivrance → PDF : médiane {percentile(latencies, 0.5):.1f} s, "
        f"p95 {percentile(latencies, 0.95):.1f} s, maximum {latencies[-1] if latencies else 0:.1f} s "
        f"(cible ≤ {PDF_TARGET_SECONDS} s) — {'tenu' if within else 'NON TENU'}"
    )
    print(
        f"  leçons des {readers} autres : p50 {lesson['p50_ms']:.0f} ms, p99 {lesson['p99_ms']:.0f} ms "
        f"sur {lesson['requests']} pages (cible p99 < {LESSON_TARGET_MS} ms) — "
        f"{'tenu' if lessons_ok else 'NON TENU'}"
    )
    print(
        f"  validations reçues : {verification.acknowledged}, en base : {verification.stored}, "
        f"perdues : {len(verification.lost)}"
    )
    print(f"  erreurs : {errors(stats)}")
    for line in (stats["failure_lines"] + stats["exception_lines"])[:10]:
        print(f"    {line}")
    write_figures(
        {
            "mode": "burst",
            "finishers": len(burst["finishers"]),
            "readers": readers,
            "db_workers": int(os.environ.get("LOAD_DB_WORKERS", "2")),
            "certificates_issued": issued,
            "pdfs_ready": ready,
            "pdf_delay_p50_s": round(percentile(latencies, 0.5), 2),
            "pdf_delay_p95_s": round(percentile(latencies, 0.95), 2),
            "pdf_delay_max_s": round(latencies[-1], 2) if latencies else None,
            "lesson_p50_ms": lesson["p50_ms"],
            "lesson_p99_ms": lesson["p99_ms"],
            "errors": errors(stats),
            "submissions_acknowledged": verification.acknowledged,
            "submissions_lost": len(verification.lost),
            "pages": stats["pages"],
        }
    )
    return 0 if all_ready and errors(stats) == 0 and verification.ok else 1
