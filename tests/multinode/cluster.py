"""A small deployment on this machine: two app servers, a task worker, and their services.

What docs/deployment.md describes, started for real: each « node » is a copy of the
code in a folder of its own, with its own VAR_DIR (no disk is shared: a file written
by one node is invisible to the other), serving through gunicorn with the production
settings (DEBUG off, a SECRET_KEY shared by the nodes, HTTPS off as `make run` does).
They share only what a deployment shares: a PostgreSQL database created for the run,
a Redis database under a key prefix of the run, and an S3-compatible object store
(moto's server) holding media and certificates. One `db_worker` runs the tasks.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parents[2]

POSTGRES_URL = os.environ.get("MULTINODE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("MULTINODE_REDIS_URL", "redis://127.0.0.1:6379/11")
S3_KEYS = {"S3_ACCESS_KEY_ID": "multinode", "S3_SECRET_ACCESS_KEY": "multinode-secret"}
MEDIA_BUCKET = "reperes-media"
PRIVATE_BUCKET = "reperes-private"
# What a deployment does not copy to its servers.
NOT_DEPLOYED = shutil.ignore_patterns(
    ".git", ".venv", "var", "node_modules", "__pycache__", ".pytest_cache", "*.pyc"
)
STARTUP_TIMEOUT = 120


def services_missing():
    """Why the cluster cannot run here (no PostgreSQL, no Redis), or None."""
    try:
        with psycopg.connect(f"{POSTGRES_URL}/postgres", connect_timeout=3):
            pass
    except psycopg.Error as error:
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({error})".strip()
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis not reachable at {REDIS_URL} ({error})"
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dead_redis_url():
    """A Redis address where nothing listens (a port just freed)."""
    return f"redis://127.0.0.1:{free_port()}/0"


class Cluster:
    """The processes, their folders and logs; `close()` stops and removes everything."""

    def __init__(self, base):
        self.base = Path(base)
        self.run_id = secrets.token_hex(4)
        self.database = f"multinode_{self.run_id}"
        self.cache_prefix = f"multinode-{self.run_id}"
        self.processes = {}
        self.logs = {}
        self.urls = {}
        self.seed = {}
        self.s3_url = ""
        self.database_created = False
        self.started_at = time.monotonic()
        self.timings = []

    def mark(self, step):
        """How long each step of the set-up took (printed with the logs)."""
        self.timings.append(f"{time.monotonic() - self.started_at:6.1f}s {step}")

    # --- Environment ----------------------------------------------------------------------

    def app_dir(self, node):
        return self.base / node / "app"

    def var_dir(self, node):
        return self.base / node / "var"

    def signing_key_file(self):
        """One issuer key for every node (certificates are signed before being stored)."""
        from certificates.signing_keys import create_demo_key

        path = self.base / "signing" / "issuer.p12"
        if not path.exists():
            create_demo_key(path, self.signing_passphrase)
        return path

    @property
    def signing_passphrase(self):
        return f"multinode-{self.run_id}-signing"

    def env(self, node, **overrides):
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST_", "AWS_", "S3_", "MULTINODE_"))
            and key not in {"DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "DEBUG", "VAR_DIR"}
            and not key.startswith("SIGNING_")
        }
        return {
            **inherited,
            # The node's own copy of the code before anything the virtualenv points at.
            "PYTHONPATH": str(self.app_dir(node)),
            "DATABASE_URL": f"{POSTGRES_URL}/{self.database}",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": self.cache_prefix,
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DEBUG": "0",
            "HTTPS": "0",
            "SERVE_MEDIA_IMAGES": "1",
            "SECRET_KEY": f"multinode-{self.run_id}-shared-secret-key-0123456789abcdef",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VAR_DIR": str(self.var_dir(node)),
            "S3_BUCKET": MEDIA_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_ENDPOINT_URL": self.s3_url,
            "S3_REGION": "us-east-1",
            **S3_KEYS,
            "AWS_EC2_METADATA_DISABLED": "true",
            "WAGTAILADMIN_BASE_URL": self.urls.get("a", "http://127.0.0.1"),
            "SIGNING_KEY_FILE": str(self.signing_key_file()),
            "SIGNING_KEY_PASSPHRASE": self.signing_passphrase,
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            "LOG_LEVEL": "INFO",
            **overrides,
        }

    # --- Processes ------------------------------------------------------------------------

    def start(self, name, argv, *, cwd, env):
        log_path = self.base / f"{name}.log"
        self.logs[name] = log_path
        with open(log_path, "ab") as log:
            self.processes[name] = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        return self.processes[name]

    def run(self, name, argv, *, node="a", **overrides):
        """A management command on `node`, to the end; its output (stdout)."""
        process = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=self.app_dir(node),
            env=self.env(node, **overrides),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        (self.base / f"{name}.log").write_text(process.stdout + process.stderr)
        self.logs[name] = self.base / f"{name}.log"
        if process.returncode:
            raise RuntimeError(f"manage.py {' '.join(argv)} failed:\n{process.stderr[-4000:]}")
        return process.stdout

    def stop(self, *names):
        """Stop these processes, all at once.

        SIGINT: gunicorn's quick shutdown (SIGTERM waits out its graceful timeout), the
        worker's and moto's Ctrl-C; killed after a few seconds.
        """
        stopping = [self.processes.pop(name) for name in names if name in self.processes]
        for process in stopping:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in stopping:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # nothing here needs a clean exit
                process.kill()
                process.wait(timeout=10)

    def wait_until_healthy(self, name, url, expect=200):
        """/healthz answers `expect`: the node reaches its database (and its cache for 200)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/healthz", timeout=5).status_code == expect:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not start:\n{self.log_tail(name)}")

    def start_node(self, node, *, wait=True, **overrides):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        self.urls[node] = url
        self.start(
            f"node-{node}",
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
            cwd=self.app_dir(node),
            env=self.env(node, BIND=f"127.0.0.1:{port}", **overrides),
        )
        if wait:
            expect = 503 if "REDIS_URL" in overrides else 200
            self.wait_until_healthy(f"node-{node}", url, expect=expect)
        return url

    def start_worker(self, node="a"):
        self.start(
            "worker",
            [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay"],
            cwd=self.app_dir(node),
            env=self.env(node),
        )

    def start_object_store(self, port=None):
        """moto's S3 server, with the two buckets (empty: moto keeps nothing on disk)."""
        port = port or free_port()
        self.s3_url = f"http://127.0.0.1:{port}"
        self.start(
            "s3",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            cwd=self.base,
            env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"},
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                requests.get(self.s3_url, timeout=2)
                break
            time.sleep(0.2)
        for bucket in (MEDIA_BUCKET, PRIVATE_BUCKET):
            self.s3().create_bucket(Bucket=bucket)

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            region_name="us-east-1",
            aws_access_key_id=S3_KEYS["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["S3_SECRET_ACCESS_KEY"],
        )

    # --- Set-up and tear-down -------------------------------------------------------------

    def deploy_code(self, node):
        shutil.copytree(ROOT, self.app_dir(node), ignore=NOT_DEPLOYED, symlinks=True)
        self.var_dir(node).mkdir(parents=True)

    def create_database(self):
        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        self.database_created = True

    def set_up(self):
        """Everything, in the order a first deployment follows; about a minute and a half."""
        self.start_object_store()
        self.create_database()
        for node in ("a", "b"):
            self.deploy_code(node)
        self.mark("object store, database, code")
        # Migrations and static files at once: the two longest steps, on two cores.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
            cwd=self.app_dir("a"),
            env=self.env("a"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.run("migrate", ["migrate", "--no-input", "--verbosity", "0"])
        self.mark("migrated")
        if static.wait(timeout=300):
            raise RuntimeError(f"collectstatic failed: {static.stderr.read().decode()[-4000:]}")
        # Static files are part of the build shipped to every server: collected once,
        # copied to each node's own folder (whitenoise serves them from there).
        shutil.copytree(self.var_dir("a") / "static", self.var_dir("b") / "static")
        self.mark("static files")
        # The servers start while the content is written: they need only the schema.
        for node in ("a", "b"):
            self.start_node(node, wait=False)
        self.start_worker()
        output = self.run(
            "seed", ["shell", "--command", "from tests.multinode.seed import main; main()"]
        )
        self.seed = json.loads(output.strip().splitlines()[-1])
        self.mark("seeded")
        for node in ("a", "b"):
            self.wait_until_healthy(f"node-{node}", self.urls[node])
        self.mark("nodes up")

    def close(self):
        self.stop(*self.processes)
        self.mark("processes stopped")
        with contextlib.suppress(redis.RedisError):
            shared = redis.Redis.from_url(REDIS_URL)
            keys = list(shared.scan_iter(f"{self.cache_prefix}:*", count=1000))
            if keys:
                shared.delete(*keys)
        if self.database_created:
            with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.mark("database dropped")
        shutil.rmtree(self.base, ignore_errors=True)

    # --- Diagnostics ----------------------------------------------------------------------

    def log_tail(self, name, lines=80):
        path = self.logs.get(name)
        if path is None or not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def all_logs(self):
        return "\n".join(
            [
                "----- set-up -----",
                *self.timings,
                *(
                    f"----- {name} ({path}) -----\n{self.log_tail(name)}"
                    for name, path in self.logs.items()
                ),
            ]
        )

    def files_under(self, node, suffix):
        return sorted(
            str(path.relative_to(self.var_dir(node)))
            for path in self.var_dir(node).rglob(f"*{suffix}")
            if "static" not in path.relative_to(self.var_dir(node)).parts
        )
