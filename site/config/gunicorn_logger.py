"""Gunicorn's logs: secrets redacted, one time zone, and with `LOG_FORMAT=json`, JSON.

Paths can carry secrets (a certificate's verification code, a calendar-feed or
check-in token, a password-reset key): the request line, path, query string and
referrer are passed through `config.logs.redact_path` before anything is written.

Times: Django sets the process's time zone to `TIME_ZONE` when its settings load,
which happens in the workers only (they import the application; the master does
not). The master would log in the machine's zone and the workers in Europe/Paris,
a line apart. The logger loads the settings in the master too, so that every line
has the same zone, with its offset (`+0100`), and the time in the same format.

Selected by `logger_class` in deploy/gunicorn.conf.py.
"""

import json
import logging
import os

from gunicorn.glogging import Logger

from config.logs import redact_path

REDACTED_ATOMS = ("r", "U", "q", "f")
#: gunicorn's error log format; access lines and Django's lines get the same time.
DATE_FORMAT = "[%Y-%m-%d %H:%M:%S %z]"


def use_site_time_zone():
    """Set this process's time zone as Django does in the workers (settings.TIME_ZONE)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    # Reading a setting loads them; loading them sets TZ and calls time.tzset().
    return settings.TIME_ZONE


class RedactingLogger(Logger):
    datefmt = DATE_FORMAT

    def setup(self, cfg):
        use_site_time_zone()
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT") != "json":
            # The access log format has no time of its own (%(t)s is left out):
            # each line starts with the same time as the error log's lines.
            for handler in self.access_log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", DATE_FORMAT))

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in REDACTED_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_path(atoms[key])
        # Request and response headers (`{name}i`, `{name}o`) hold cookies, and the
        # environment (`{name}e`) may hold anything: none of them is ever logged.
        return {key: value for key, value in atoms.items() if not key.startswith("{")}

    def access(self, resp, req, environ, request_time):
        if os.environ.get("LOG_FORMAT") != "json":
            return super().access(resp, req, environ, request_time)
        if not self.access_log_enabled:
            return None
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "logger": "gunicorn.access",
            "client": atoms["h"],
            "method": atoms["m"],
            "path": atoms["U"],
            "query": atoms["q"],
            "status": atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "referrer": atoms["f"],
            "user_agent": atoms["a"],
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))
        return None
