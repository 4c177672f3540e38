"""Gunicorn settings for Repères in production (docs/deployment.md).

    gunicorn -c deploy/gunicorn.conf.py config.wsgi

`make run` uses it too, with its own `--bind HOST:PORT` and `--workers 2`.

Everything is read from the environment so that one file serves every app server:
`BIND` (default 127.0.0.1:8000 — the reverse proxy is in front), `WEB_CONCURRENCY`
(worker processes), `GUNICORN_THREADS`, `GUNICORN_TIMEOUT`, `FORWARDED_ALLOW_IPS`
(the proxy's address: only it may set X-Forwarded-Proto). Nothing here keeps state
in a process that another would need: sessions, cache and rate limits live in
Redis and PostgreSQL, so any number of servers can sit behind the proxy.
"""

import multiprocessing
import os
from pathlib import Path

chdir = str(Path(__file__).resolve().parent.parent / "site")
wsgi_app = "config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Pages are short, mostly served from the shared cache; PDFs and e-mails are tasks
# run by `manage.py db_worker`, so no request legitimately needs long.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounded memory whatever a library caches.
max_requests = 2000
max_requests_jitter = 200

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request size limits (gunicorn's defaults, stated): oversized lines or headers get a 400.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "config.gunicorn_logger.RedactingLogger"
# Plain format without the query string's secrets (redacted by the logger class).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
