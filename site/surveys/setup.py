"""The platform's default questionnaires, created when missing (idempotent).

Migration 0002 creates them on every database; this puts them back where they were
removed (a test database flushed between tests, a demo database) from the same
data (`surveys/defaults.py`).
"""

from .defaults import PLATFORM_DEFAULTS
from .models import Questionnaire


def ensure_platform_defaults():
    """{kind: questionnaire} of the platform's defaults; creates those missing."""
    defaults = {}
    for kind, (title, intro, questions) in PLATFORM_DEFAULTS.items():
        defaults[kind], _ = Questionnaire.objects.get_or_create(
            publisher=None,
            kind=kind,
            is_default=True,
            defaults={"title": title, "intro": intro, "questions": questions},
        )
    return defaults
