"""The dashboard's figures, kept a few minutes in the shared cache (issue 15).

At a département's scale (100,000 learners, `make bench-scale`) computing every table
takes about a second of database time; Coordination opens the page, changes a
filter, comes back to it. So the computed sections (every cell already through the
small-cell rule, charts drawn) are cached per set of filters, and the page says when
they were computed.

What makes them be computed again:
- a record the figures count is saved or deleted (post_save / post_delete, `watch`):
  enrolments, completions, quiz attempts, self-positioning answers, sessions, their
  half-days, registrations and attendance, survey invitations, responses and
  answers, complaints and improvement actions, and a person's profile (the
  profession, sector and commune the tables break down by);
- content (`CONTENT`: a module or a guide renamed, published or deleted, a publisher
  changed) and sessions (`SESSIONS`);
- the clock: an entry lasts until the end of its CACHE_SECONDS window, so whatever
  changes without a signal (guides' daily counters, which are incremented in SQL, an
  enrolment's last activity set with `update()`, a dropout that becomes one after 21
  days, bulk imports) shows at most CACHE_SECONDS late.

The key holds the filters, the publishers they cover (read afresh on each request,
so a person who leaves a publisher stops seeing its figures at once), the language
(cells are formatted text) and whether every row is wanted (XLSX). The PDF bilan is
rendered by a task from fresh figures.
"""

import dataclasses
import time

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language

from core.content_cache import CONTENT, SESSIONS, Generation, digest

from .privacy import Cell

#: The longest an entry is used: what changes without a signal is at most this late.
CACHE_SECONDS = 600
#: Profile fields the tables break down by: a person saved with none of them (a login
#: sets `last_login`) changes no figure.
PROFILE_FIELDS = {"profession", "sector", "workplace_commune", "workplace_departement"}

PILOTAGE = Generation("pilotage")


def figures_changed(sender, **kwargs):
    PILOTAGE.changed(using=kwargs.get("using") or "default")


def profile_saved(sender, created, update_fields=None, **kwargs):
    if not created and (update_fields is None or PROFILE_FIELDS & set(update_fields)):
        figures_changed(sender, **kwargs)


def watch(*models):
    """Drop the cached figures whenever a row of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label
        post_save.connect(figures_changed, sender=model, dispatch_uid=f"pilotage-save-{label}")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=f"pilotage-delete-{label}")


def connect():
    """Called from PilotageConfig.ready(): every record the figures read."""
    from courses.models import (
        Attendance,
        Enrolment,
        ModuleCompletion,
        PositioningAnswer,
        QuizAttempt,
        Registration,
        SessionSlot,
        TrainingSession,
    )
    from quality.models import Complaint, ImprovementAction
    from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse

    watch(
        Enrolment,
        ModuleCompletion,
        QuizAttempt,
        PositioningAnswer,
        TrainingSession,
        SessionSlot,
        Registration,
        Attendance,
        SurveyInvitation,
        SurveyResponse,
        SurveyAnswer,
        Complaint,
        ImprovementAction,
    )
    user_model = get_user_model()
    post_save.connect(profile_saved, sender=user_model, dispatch_uid="pilotage-profile-save")
    post_delete.connect(figures_changed, sender=user_model, dispatch_uid="pilotage-user-delete")


def current_window():
    """The number of the current CACHE_SECONDS window: part of the key, so an entry
    (and each process's memory copy of it) is used within one window only."""
    return int(time.time() // CACHE_SECONDS)


def cache_key(filters, *, full):
    publishers = sorted(filters.publishers.values_list("pk", flat=True))
    parts = (
        get_language(),
        filters.start,
        filters.end,
        publishers,
        getattr(filters.module, "pk", None),
        getattr(filters.session, "pk", None),
        filters.people,
        filters.all_publishers,
        full,
        CONTENT.token(),
        SESSIONS.token(),
        current_window(),
    )
    return f"reperes:pilotage:dashboard:{digest(repr(parts))}"


def cached_sections(filters, build, *, full=False):
    """(sections, computed_at): `build()`'s sections, from the cache when fresh."""
    return PILOTAGE.get_or_build(
        cache_key(filters, full=full),
        lambda: (plain_text(build()), timezone.now()),
        timeout=CACHE_SECONDS,
    )


def plain_text(value):
    """`value` with its lazy translations (titles, column labels, notes) made text.

    The language is part of the key. And unpickling a lazy string builds a class
    (`django.utils.functional.lazy`): the hundred or so of a dashboard cost more than
    a tenth of a second on every cached view, plain strings nothing."""
    if isinstance(value, Promise):
        return str(value)
    if type(value) is Cell:  # thousands of them: only a label's value may be lazy
        lazy = isinstance(value.value, Promise)
        return dataclasses.replace(value, value=str(value.value)) if lazy else value
    if isinstance(value, list | tuple):
        return type(value)(plain_text(item) for item in value)
    if isinstance(value, dict):
        return {key: plain_text(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: plain_text(getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value
