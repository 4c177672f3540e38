"""`make load`: simulated people against gunicorn on PostgreSQL, loopback only.

Modes (`LOAD_MODE`): `journey` (default) runs the whole mix of locustfile.py for
`LOAD_DURATION`; `capacity` (capacity.py) the professionals' journey at rising numbers
of people; `burst` (burst.py) 200 people finishing one module within a minute. Every
mode writes its figures under its name in var/load.json.

1. Prepares a throwaway PostgreSQL database (`LOAD_DATABASE`, default `load`: dropped
   and created again, so its name must start with `load`): migrate, `load_demo
   --force`, then the professionals' accounts and signed-in sessions in bulk, the
   trainers with a session of 40 each (dataset.py), and the
   quizzes' answer key (dataset.py). Static files are collected into a temporary
   STATIC_ROOT (whitenoise's manifest is needed without DEBUG).
2. Starts gunicorn with deploy/gunicorn.conf.py on 127.0.0.1 (DEBUG off, HTTPS off,
   Redis `LOAD_REDIS_URL` for cache and sessions) and `LOAD_DB_WORKERS` (2)
   `manage.py db_worker` for the certificate PDFs and e-mails, as in production
   (TASKS_BACKEND=django_tasks_db). Their memory is sampled all along (memory.py).
3. Runs locust headless (locustfile.py): `LOAD_USERS` people (200) arriving
   `LOAD_SPAWN_RATE` a second (20) for `LOAD_DURATION` (5m).
4. Checks that every quiz submission and every roll the server acknowledged is stored
   (verify.py) and prints p50/p99 per page, the workers' memory, requests/s, errors,
   acknowledged and stored submissions. Exit status 1 on any error or any loss.
5. Stops the servers, drops the database, empties its Redis database and removes the
   temporary folder (`LOAD_KEEP=1` keeps database and folder for a look afterwards).

Every address is loopback (the app server, PostgreSQL, Redis): nothing leaves the
machine. Never part of `make test`: it takes minutes.
"""

import multiprocessing
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from loopback import require_loopback

HERE = Path(__file__).resolve().parent
# The platform under load: this checkout, or another one (LOAD_APP_DIR) to measure an
# earlier commit with today's load scripts (the capacity figure « before »).
ROOT = Path(os.environ.get("LOAD_APP_DIR") or HERE.parents[1]).resolve()
BIN = Path(sys.executable).parent

USERS = int(os.environ.get("LOAD_USERS", "200"))
DURATION = os.environ.get("LOAD_DURATION", "5m")
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "20")
# allauth allows 30 logins a minute from one address: a few go through the form.
FORM_LOGINS = int(os.environ.get("LOAD_FORM_LOGINS", "10"))
POSTGRES = os.environ.get("LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("LOAD_DATABASE", "load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
KEEP = os.environ.get("LOAD_KEEP", "") == "1"
# journey: the mix below for LOAD_DURATION; capacity: the professionals' journey at
# rising numbers of people (capacity.py); burst: 200 people finishing one module
# within a minute while others read lessons (burst.py).
MODE = os.environ.get("LOAD_MODE", "journey")
# Task workers for the certificate PDFs and e-mails, as a small production would run.
DB_WORKERS = int(os.environ.get("LOAD_DB_WORKERS", "2"))
# Trainers marking a roll of 40 (one in ten people by default).
TRAINERS = int(os.environ.get("LOAD_TRAINERS", str(max(1, USERS // 10))))
# Who is simulated in the journey mode (locustfile.py's classes).
CLASSES = os.environ.get("LOAD_CLASSES", "Professional AnonymousReader Verifier Trainer").split()
OUTPUT = HERE.parents[1] / "var" / "load.json"
DATABASE_NAME = re.compile(r"^load(_[a-z0-9_]+)?$")


def say(message):
    print(f"[charge] {message}", flush=True)


def check_configuration():
    """Loopback everywhere, a database name that is plainly ours to drop."""
    if not DATABASE_NAME.match(DATABASE):
        raise SystemExit(f"LOAD_DATABASE={DATABASE!r} : le nom doit commencer par « load ».")
    for url in (
        POSTGRES.replace("postgres://", "http://", 1),
        REDIS_URL.replace("redis://", "http://", 1),
    ):
        require_loopback(url)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(workdir, port):
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LOAD_", "SIGNING_"))
    }
    # Certificates are signed before being stored: a demo key made by `prepare_site`
    # (`create_signing_key` reads this passphrase file).
    signing = workdir / "signing"
    signing.mkdir(parents=True, exist_ok=True)
    passphrase = secrets.token_urlsafe(24)
    (signing / "demo.passphrase").write_text(passphrase + "\n")
    return {
        **keep,
        "DATABASE_URL": f"{POSTGRES.rstrip('/')}/{DATABASE}",
        "REDIS_URL": REDIS_URL,
        "DEBUG": "0",
        "SIGNING_DEMO_KEY": "1",  # certificates are signed with the demo key
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # One proxy hop believed: each simulated person sends its own X-Forwarded-For,
        # as the reverse proxy would (browsing.py), so rate limits count per person.
        "TRUSTED_PROXY_COUNT": "1",
        "VAR_DIR": str(workdir / "var"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "STATIC_ROOT": str(workdir / "static"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "BIND": f"127.0.0.1:{port}",
        # Links in e-mails and PDFs point to this server, not to 127.0.0.1:8000.
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "SIGNING_KEY_FILE": str(signing / "demo.p12"),
        "SIGNING_KEY_PASSPHRASE": passphrase,
        # As in production (worker restarts, timeouts): the log is shown if the run fails.
        "GUNICORN_LOG_LEVEL": "info",
    }


# --- Database and Redis -----------------------------------------------------------------


def postgres_admin(statement):
    import psycopg

    with psycopg.connect(f"{POSTGRES.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def recreate_database():
    postgres_admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    postgres_admin(f'CREATE DATABASE "{DATABASE}"')


def drop_database():
    postgres_admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def manage(env, *args, log):
    with open(log, "a", encoding="utf-8") as output:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=output
        )


def prepare_site(env, workdir):
    log = workdir / "setup.log"
    say("clé de signature de démonstration…")
    key = env["SIGNING_KEY_FILE"]
    passphrase_file = str(workdir / "signing" / "demo.passphrase")
    manage(env, "create_signing_key", key, "--passphrase-file", passphrase_file, "--demo", log=log)
    say("base de données : migrate…")
    manage(env, "migrate", "--no-input", "--verbosity", "0", log=log)
    say("contenu de démo : load_demo --force…")
    manage(env, "load_demo", "--force", log=log)
    say("fichiers statiques : collectstatic…")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0", log=log)


def prepare_people(env, workdir):
    """Accounts, sessions and answer key, written by Django in this process."""
    import json

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    import dataset

    users = dataset.create_professionals(people_needed())
    files = {
        "LOAD_ACCOUNTS": workdir / "accounts.json",
        "LOAD_ANSWER_KEY": workdir / "answer_key.json",
        "LOAD_EVENTS": workdir / "events.jsonl",
    }
    # The burst's people are signed in already: their minute is about the quiz.
    accounts = dataset.open_sessions(users, FORM_LOGINS if MODE != "burst" else 0)
    if MODE == "journey" and "Trainer" in CLASSES:
        trainers, sessions = dataset.create_trainers(TRAINERS, users)
        accounts["trainers"] = [
            {**session, "session": dataset.open_session(trainer)}
            for trainer, session in zip(trainers, sessions, strict=True)
        ]
    accounts["codes"] = dataset.verification_codes()
    if MODE == "burst":
        import burst

        accounts["burst"] = burst.prepare(users)
    files["LOAD_ACCOUNTS"].write_text(json.dumps(accounts))
    files["LOAD_ANSWER_KEY"].write_text(json.dumps(dataset.answer_key()))
    files["LOAD_EVENTS"].touch()
    say(f"{len(users)} comptes de professionnel·le·s et leurs sessions prêts")
    if accounts.get("trainers"):
        say(f"{len(accounts['trainers'])} formateur·rice·s, chacun·e une session de 40 aujourd'hui")
    return {name: str(path) for name, path in files.items()}


# --- Servers ----------------------------------------------------------------------------


def start(command, env, log):
    output = open(log, "ab")  # noqa: SIM115 — closed with the process (stop_all)
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
    )
    process.log = output
    return process


def start_servers(env, workdir):
    gunicorn = start(
        [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py"], env, workdir / "gunicorn.log"
    )
    workers = [
        start(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
            env,
            workdir / f"db_worker-{number}.log",
        )
        for number in range(1, DB_WORKERS + 1)
    ]
    return [gunicorn, *workers]


def wait_until_up(url, processes, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise SystemExit("gunicorn ou db_worker s'est arrêté au démarrage (voir les journaux).")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} ne répond pas après {timeout} s")


def stop_all(processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.log.close()


ACCESS_LINE = re.compile(r'^\S+ "[A-Z]+ ')


def tail(path, lines=30):
    """The end of a server's log, without its access lines (one per request)."""
    if Path(path).exists():
        text = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        print(f"--- {Path(path).name} (fin, sans le journal d'accès) ---")
        print("\n".join([line for line in text if not ACCESS_LINE.match(line)][-lines:]))


# --- The run ----------------------------------------------------------------------------


def people_needed():
    """Professionals' accounts to prepare: each capacity step has its own newcomers."""
    if MODE == "capacity":
        import capacity

        return sum(capacity.STEPS)
    if MODE == "burst":
        import burst

        return burst.BURST + USERS  # the 200 who finish, and USERS readers
    return USERS


def run_locust(url, files, workdir, *, users=USERS, duration=DURATION, spawn_rate=SPAWN_RATE,
               classes=None, name="locust", extra_env=None, locustfile="locustfile.py",
               reset_stats=False):  # fmt: skip
    """One headless locust run; the prefix of its CSV files."""
    require_loopback(url)
    classes = CLASSES if classes is None else classes
    say(f"locust : {users} personnes, {spawn_rate}/s, pendant {duration}, sur {url}")
    prefix = str(workdir / name)
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / locustfile),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "--run-time",
        duration,
        "--host",
        url,
        "--csv",
        prefix,
        "--only-summary",
        "--loglevel",
        "WARNING",
        *(["--reset-stats"] if reset_stats else []),
        *classes,
    ]
    env = {**os.environ, **files, "LOAD_TRAINERS": str(TRAINERS), **(extra_env or {})}
    # Locust's exit status says « some request failed »: the report below says which.
    subprocess.run(command, cwd=HERE.parents[1], env=env, check=False)  # noqa: S603
    return prefix


def verify_and_report(files, stats_prefix, memory):
    import dataset
    import verify
    from report import print_memory, print_pages, print_report, read_locust_stats

    stats = read_locust_stats(stats_prefix)
    verification = verify.verify_events(verify.read_events(files["LOAD_EVENTS"]))
    counts = verify.server_counts(dataset.EMAIL_DOMAIN)
    print_pages(stats)
    print_memory(memory)
    status = print_report(stats, verification, counts, setup_line())
    write_figures(
        {
            "mode": MODE,
            "users": USERS,
            "duration": DURATION,
            "requests": stats["requests"],
            "requests_per_second": stats["requests_per_second"],
            "p50_ms": stats["p50"],
            "p99_ms": stats["p99"],
            "errors": stats["failures"] + stats["exceptions"],
            "submissions_acknowledged": verification.acknowledged,
            "submissions_lost": len(verification.lost),
            "rolls_acknowledged": verification.rolls_acknowledged,
            "rolls_lost": len(verification.rolls_lost),
            "pages": stats["pages"],
            "memory_mb": memory.summary(),
        }
    )
    return status


def setup_line(users=USERS, duration=DURATION):
    workers = os.environ.get("WEB_CONCURRENCY") or str(multiprocessing.cpu_count() * 2 + 1)
    threads = os.environ.get("GUNICORN_THREADS", "2")
    return (
        f"{users} personnes × {duration}, gunicorn {workers} workers × {threads} threads "
        f"(deploy/gunicorn.conf.py), {DB_WORKERS} db_worker, PostgreSQL, Redis, "
        f"{os.cpu_count()} cœurs"
    )


def write_figures(figures):
    """var/load.json: one entry per mode, the newest run of each kept."""
    import json

    OUTPUT.parent.mkdir(exist_ok=True)
    try:
        everything = json.loads(OUTPUT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        everything = {}
    everything[figures["mode"]] = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **figures}
    OUTPUT.write_text(json.dumps(everything, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"chiffres écrits dans {OUTPUT.relative_to(HERE.parents[1])}")


def main():
    check_configuration()
    workdir = Path(tempfile.mkdtemp(prefix="reperes-load-"))
    port = free_port()
    url = require_loopback(f"http://127.0.0.1:{port}")
    env = server_env(workdir, port)
    processes = []
    status = 1
    try:
        recreate_database()
        flush_redis()
        prepare_site(env, workdir)
        files = prepare_people(env, workdir)
        say(f"gunicorn (deploy/gunicorn.conf.py) et {DB_WORKERS} db_worker…")
        processes = start_servers(env, workdir)
        wait_until_up(url, processes)
        from memory import MemoryWatch

        memory = MemoryWatch(processes[0], processes[1:])
        with memory:
            if MODE == "capacity":
                import capacity

                status = capacity.run(url, files, workdir, run_locust, write_figures)
            elif MODE == "burst":
                import burst

                status = burst.run(url, files, workdir, run_locust, write_figures)
            else:
                stats_prefix = run_locust(url, files, workdir)
        stop_all(processes)
        if MODE == "journey":
            status = verify_and_report(files, stats_prefix, memory)
    finally:
        stop_all(processes)
        if status:
            tail(workdir / "gunicorn.log")
            for log in sorted(workdir.glob("db_worker-*.log")):
                tail(log)
        clean_up(workdir)
    return status


def clean_up(workdir):
    if KEEP:
        say(f"conservés : base {DATABASE}, dossier {workdir}")
        return
    django_db = sys.modules.get("django.db")
    if django_db is not None:
        django_db.connections.close_all()
    drop_database()
    flush_redis()
    shutil.rmtree(workdir, ignore_errors=True)
    say(
        f"nettoyé : base {DATABASE} supprimée, Redis {urlsplit(REDIS_URL).path} vidé, {workdir} effacé"
    )


if __name__ == "__main__":
    sys.exit(main())
