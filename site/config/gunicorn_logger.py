"""Gunicorn's access log, with secrets redacted and, with `LOG_FORMAT=json`, as JSON.

Paths can carry secrets (a certificate's verification code, a calendar-feed or
check-in token, a password-reset key): the request line, path, query string and
referrer are passed through `config.logs.redact_path` before anything is written.
Selected by `logger_class` in deploy/gunicorn.conf.py.
"""

import json
import os

from gunicorn.glogging import Logger

from config.logs import redact_path

REDACTED_ATOMS = ("r", "U", "q", "f")


class RedactingLogger(Logger):
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
