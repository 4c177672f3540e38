"""Structured logs: one JSON object per line when `LOG_FORMAT=json`.

A log collector (journald, Loki, an ELK stack…) indexes fields instead of parsing
prose. Each line carries the time (UTC, ISO 8601), level, logger, message and the
`extra={...}` fields the code passes (e.g. `pdf_refusal`, `certificate_number`),
never the request body: services log ids and codes, not what people typed.

Secrets must never reach a log line (issue « Security, privacy and production »):
keys that name one (`password`, `token`, `secret`, `code`…) are replaced by
« [redacted] » whatever the caller passed.
"""

import json
import logging
import re
from datetime import UTC, datetime

#: Attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime"}
)
#: A field (`extra=` key, query parameter) whose name contains one of these is secret.
SECRET_WORDS = ("password", "passwd", "token", "secret", "otp", "recovery", "code", "key")
REDACTED = "[redacted]"
#: Not secrets although their names contain a secret word above.
PUBLIC_FIELDS = frozenset({"status_code", "error_code"})


#: URL segments that are secrets themselves: verification codes, calendar-feed and
#: check-in tokens, allauth's e-mail confirmation and password-reset keys.
SECRET_PATH_PATTERNS = [
    re.compile(r"(/verifier/)[^/?#\s]+"),
    re.compile(r"(/calendrier/)[^/?#\s]+(?=\.ics)"),
    re.compile(r"(/pointage/)(?!demi-journees/)[^/?#\s]+"),
    re.compile(r"(/confirm-email/)[^/?#\s]+"),
    re.compile(r"(/password/reset/key/)(?!done/)[^/?#\s]+"),
]
SECRET_QUERY = re.compile(
    rf"((?:^|[?&])[^=&#\s/]*(?:{'|'.join(SECRET_WORDS)})[^=&#\s]*=)[^&#\s]*", re.I
)


def redact_path(text: str) -> str:
    """`text` (a path, a request line, a message) with secret URL parts replaced."""
    for pattern in SECRET_PATH_PATTERNS:
        text = pattern.sub(rf"\1{REDACTED}", text)
    return SECRET_QUERY.sub(rf"\1{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Redacts secret URL parts in every record's message and arguments.

    Django's request logger writes « Not Found: /verifier/<code>/ », and a path may
    reach any message; the filter sits on the handlers so that no formatter, plain
    or JSON, ever sees the secret.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # The message as it will be written: arguments of any type (a mapping, a
        # request, a path object) are redacted once interpolated.
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: the handler reports it as usual
            return True
        record.msg, record.args = redact_path(message), None
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "get_full_path"):
            record.request = f"{request.method} {redact_path(request.get_full_path())}"
        return True


def is_secret(key: str) -> bool:
    lowered = key.lower()
    return lowered not in PUBLIC_FIELDS and any(word in lowered for word in SECRET_WORDS)


def plain(value):
    """A JSON-safe form of an `extra` value (repr for anything exotic)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): REDACTED if is_secret(str(key)) else plain(v) for key, v in value.items()}
    return repr(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = REDACTED if is_secret(key) else plain(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
