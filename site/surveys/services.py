"""Satisfaction surveys: who is asked what, when, and their one answer.

- `invite` creates (once) the invitation of one person to one kind of questionnaire
  about one module or one session they followed; the receivers (`receivers.py`) call
  it when a module is completed and when a session is closed.
- `submit_response` stores the one answer to an invitation, checked against the
  questions as asked, with a snapshot of those questions.

Both run in a transaction, are idempotent (a repeated invitation returns the first;
a second answer is refused with `already_answered` and stores nothing), log to the
application log and Wagtail's audit log, and raise `SurveyError` with a stable code.
Free text never goes to the logs.
"""

import logging
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import log_entries
from core.prepared import DATETIME, INT, PreparedQuery
from courses.models import Attendance, ModuleCompletion
from courses.models.sessions import ATTENDED, RegistrationStatus

from .blocks import FREE_TEXT_MAX_LENGTH
from .errors import SurveyError
from .models import (
    Questionnaire,
    QuestionType,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
)

logger = logging.getLogger("reperes.surveys")

#: A session's « à chaud » e-mail leaves the evening of its last half-day.
SESSION_EVENING = time(18, 0)
#: Invitations shown on « Mon espace » this long after they fell due (the e-mail
#: link's lifetime, `surveys.tokens.MAX_AGE`).
OPEN_FOR = timedelta(days=120)

#: The course's field naming its own questionnaire of a kind (`survey_hot`…).
KIND_FIELD = {SurveyKind.HOT: "hot", SurveyKind.COLD: "cold"}

ERRORS = {
    "required": _("Répondez à cette question."),
    "out_of_range": _("Choisissez une des valeurs proposées."),
    "not_a_choice": _("Choisissez parmi les réponses proposées."),
    "one_choice": _("Une seule réponse est possible."),
    "too_long": _("Votre réponse dépasse 2 000 caractères : raccourcissez-la."),
}


def record(action, invitation, **data):
    logger.info(action, extra={"invitation_id": invitation.pk, **data})
    log_entries([(invitation, action, invitation.user, data)])


# --- Which questionnaire ----------------------------------------------------------------


def resolve_questionnaire(kind, module=None, session=None):
    """The course's own questionnaire, else its publisher's default, else the platform's.

    A default with no `kind` serves both kinds, after one made for the kind. One query
    at most; None when there is none at all.
    """
    return resolve_questionnaires(module, session)[kind]


def resolve_questionnaires(module=None, session=None):
    """`resolve_questionnaire` of both kinds, {kind: questionnaire or None}, in one query.

    The course's own questionnaires and every default that may apply are read
    together; the choice among the defaults is made here: the publisher's before the
    platform's, one made for the kind before one serving both, the oldest first.
    """
    course = module if module is not None else session
    own = {kind: getattr(course, f"survey_{KIND_FIELD[kind]}_id") for kind in SurveyKind.values}
    wanted = Q(pk__in=[pk for pk in own.values() if pk])
    if not all(own.values()):
        publisher_id = course_publisher_id(module, session)
        wanted |= Q(is_default=True) & (Q(publisher_id=publisher_id) | Q(publisher__isnull=True))
    rows = list(Questionnaire.objects.filter(wanted))
    by_pk = {row.pk: row for row in rows}
    defaults = sorted(
        (row for row in rows if row.is_default),
        key=lambda row: (row.publisher_id is None, row.kind == "", row.pk),
    )
    return {
        kind: by_pk.get(own[kind])
        if own[kind]
        else next((row for row in defaults if row.kind in (kind, "")), None)
        for kind in SurveyKind.values
    }


def course_publisher_id(module, session):
    return module.publisher_id if module is not None else session.organiser_id


# --- When it is due ---------------------------------------------------------------------


def module_due_at(kind, module, completed_at):
    """À chaud at once (offered on the result page); à froid after the module's delay."""
    if kind == SurveyKind.HOT:
        return completed_at
    return completed_at + timedelta(days=module.survey_cold_delay_days)


def session_evening(session):
    """18:00 (Europe/Paris) on the day of the last half-day, or its end if later."""
    ends_at = timezone.localtime(session.ends_at)
    evening = timezone.make_aware(datetime.combine(ends_at.date(), SESSION_EVENING))
    return max(evening, session.ends_at)


def session_due_at(kind, session):
    evening = session_evening(session)
    if kind == SurveyKind.HOT:
        return evening
    return evening + timedelta(days=session.survey_cold_delay_days)


# --- Inviting -----------------------------------------------------------------------------


def has_followed(user, module=None, session=None):
    """A completed module, or at least one half-day attended (present or late)."""
    if module is not None:
        return ModuleCompletion.objects.filter(user=user, module=module).exists()
    return Attendance.objects.filter(
        registration__session=session,
        registration__user=user,
        registration__status=RegistrationStatus.CONFIRMED,
        status__in=ATTENDED,
    ).exists()


def invite(
    user,
    kind,
    module=None,
    session=None,
    *,
    due_at=None,
    now=None,
    followed=False,
    questionnaires=None,
):
    """The person's invitation to the `kind` questionnaire about the course, created once.

    Refused for a course the person has not followed (`not_followed`) and when no
    questionnaire applies (`no_questionnaire`). `due_at` defaults to the course's
    timing (`module_due_at`, `session_due_at`). Returns the invitation.

    A caller that holds the proof the course was followed (the completion it has
    just created) says so with `followed`; one inviting to both kinds passes their
    `resolve_questionnaires` once as `questionnaires`. Refusals are all raised before
    anything is written, so a caller may catch them inside its own transaction.
    """
    if kind not in SurveyKind.values:
        raise SurveyError("invalid_kind")
    if (module is None) == (session is None):
        raise SurveyError("course_required")
    course_filter = {"module": module} if module is not None else {"session": session}
    existing = SurveyInvitation.objects.filter(user=user, kind=kind, **course_filter).first()
    if existing is not None:
        return existing
    if not followed and not has_followed(user, module, session):
        raise SurveyError("not_followed")
    if course_publisher_id(module, session) is None:
        raise SurveyError("no_questionnaire")  # a module without its publisher yet
    if questionnaires is None:
        questionnaires = {kind: resolve_questionnaire(kind, module, session)}
    questionnaire = questionnaires[kind]
    if questionnaire is None:
        raise SurveyError("no_questionnaire")
    if due_at is None:
        due_at = (
            module_due_at(kind, module, now or timezone.now())
            if module is not None
            else session_due_at(kind, session)
        )
    try:
        # One savepoint (or the transaction) for the row and its log entry. The
        # conditional unique constraints settle two creations at once: the later
        # one returns the first (it was not there when `existing` was read).
        with transaction.atomic():
            invitation = SurveyInvitation.objects.create(
                user=user,
                kind=kind,
                **course_filter,
                publisher_id=course_publisher_id(module, session),
                questionnaire=questionnaire,
                due_at=due_at,
            )
            record_invitations([invitation])
    except IntegrityError:
        return SurveyInvitation.objects.get(user=user, kind=kind, **course_filter)
    return invitation


def invite_completed(completion):
    """Both invitations (« à chaud », « à froid ») of a module just completed.

    What `invite` does for each kind, with the completion as the proof the module
    was followed, in six queries for both instead of ten: the invitations already
    there and the questionnaires are each read once, the missing invitations are
    written in one INSERT and their log entries in another, in one savepoint. Should
    one have been created at the same time (the unique constraints refuse the INSERT),
    each kind goes through `invite`, which returns it.

    Returns ({kind: invitation}, {kind: refusal code}); nothing is written for a
    refused kind, and the refusals are left to the caller to log.
    """
    user, module, completed_at = completion.user, completion.module, completion.completed_at
    invitations = {
        invitation.kind: invitation
        for invitation in SurveyInvitation.objects.filter(user=user, module=module)
    }
    missing = [kind for kind in SurveyKind.values if kind not in invitations]
    if not missing:
        return invitations, {}
    if module.publisher_id is None:  # a module without its publisher yet
        return invitations, dict.fromkeys(missing, "no_questionnaire")
    questionnaires = resolve_questionnaires(module)
    refused = {kind: "no_questionnaire" for kind in missing if questionnaires[kind] is None}
    rows = [
        SurveyInvitation(
            user=user,
            kind=kind,
            module=module,
            publisher_id=module.publisher_id,
            questionnaire=questionnaires[kind],
            due_at=module_due_at(kind, module, completed_at),
        )
        for kind in missing
        if kind not in refused
    ]
    if not rows:
        return invitations, refused
    try:
        with transaction.atomic():
            SurveyInvitation.objects.bulk_create(rows)
            record_invitations(rows)
    except IntegrityError:
        for row in rows:
            invitations[row.kind] = invite(
                user,
                row.kind,
                module=module,
                due_at=row.due_at,
                followed=True,
                questionnaires=questionnaires,
            )
        return invitations, refused
    invitations.update({row.kind: row for row in rows})
    return invitations, refused


def record_invitations(invitations):
    """`record` of newly created invitations, their log entries in one INSERT."""
    entries = []
    for invitation in invitations:
        data = {
            "kind": invitation.kind,
            "module_id": invitation.module_id,
            "session_id": invitation.session_id,
            "questionnaire_id": invitation.questionnaire_id,
        }
        logger.info("reperes.survey_invite", extra={"invitation_id": invitation.pk, **data})
        entries.append((invitation, "reperes.survey_invite", invitation.user, data))
    log_entries(entries)


# --- Answering ----------------------------------------------------------------------------


def submit_response(invitation, data, now=None):
    """Store the one answer to `invitation`; returns the `SurveyResponse`.

    `data` maps question ids to the list of posted values (strings). Every answer is
    checked against the questions as asked (`invalid_answers`, with a message per
    question); an invitation already answered refuses (`already_answered`) and
    nothing is stored. The invitation row is locked, and the one-to-one response
    settles two submits at once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("questionnaire")
            .filter(pk=invitation.pk)
            .first()
        )
        if locked is None:
            raise SurveyError("invalid_token")
        if locked.answered_at is not None:
            raise SurveyError("already_answered")
        questions = locked.questionnaire.snapshot()
        answers = clean_answers(questions, data)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    invitation=locked,
                    kind=locked.kind,
                    module_id=locked.module_id,
                    session_id=locked.session_id,
                    publisher_id=locked.publisher_id,
                    questionnaire=locked.questionnaire,
                    questions=questions,
                    submitted_at=now,
                )
        except IntegrityError:
            raise SurveyError("already_answered") from None
        SurveyAnswer.objects.bulk_create(
            [SurveyAnswer(response=response, **answer) for answer in answers]
        )
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
        record("reperes.survey_answer", locked, kind=locked.kind, answers=len(answers))
    invitation.answered_at = now
    return response


def clean_answers(questions, data):
    """SurveyAnswer fields for each answered question; `invalid_answers` otherwise."""
    rows, errors = [], {}
    for question in questions:
        values = [str(value) for value in data.get(question["id"], []) if str(value).strip()]
        if not values:
            if question["required"]:
                errors[question["id"]] = ERRORS["required"]
            continue
        try:
            rows += answer_rows(question, values)
        except ValueError as error:
            errors[question["id"]] = ERRORS[str(error)]
    if errors:
        raise SurveyError("invalid_answers", errors=errors)
    return rows


def answer_rows(question, values):
    """The rows of one answered question; ValueError(<key of ERRORS>) when it is wrong."""
    kind = question["type"]
    base = {
        "question_id": question["id"],
        "question_type": kind,
        "is_satisfaction": bool(question.get("is_satisfaction")),
    }
    if kind == QuestionType.CHOICE:
        picked = list(dict.fromkeys(values))
        if any(value not in question["choices"] for value in picked):
            raise ValueError("not_a_choice")
        if len(picked) > 1 and not question["multiple"]:
            raise ValueError("one_choice")
        return [{**base, "choice": value} for value in picked]
    if len(values) > 1:
        raise ValueError("one_choice")
    if kind == QuestionType.FREE_TEXT:
        text = values[0].strip()
        if len(text) > FREE_TEXT_MAX_LENGTH:
            raise ValueError("too_long")
        return [{**base, "text": text}]
    bounds = {QuestionType.SCALE: (1, 5), QuestionType.RECOMMEND: (0, 10)}.get(kind, (0, 1))
    try:
        value = int(values[0])
    except ValueError:
        raise ValueError("out_of_range") from None
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError("out_of_range")
    return [{**base, "value": value}]


# --- Reading -------------------------------------------------------------------------------


# What « Mon espace » reads of an open invitation (surveys/includes/espace_section.html):
# the course's title, not the module's page row. Compiled once per process
# (core.prepared): the page runs it on every visit.
_OPEN_INVITATIONS = PreparedQuery(
    lambda user, now, since: (
        SurveyInvitation.objects.filter(
            user_id=user, answered_at__isnull=True, due_at__lte=now, due_at__gte=since
        )
        .only("uuid", "kind", "user_id", "module_id", "session_id", "due_at", "answered_at")
        .annotate(module_title=F("module__title"), session_title=F("session__title"))
        .order_by("-due_at", "-pk")
    ),
    user=INT,
    now=DATETIME,
    since=DATETIME,
)
_KIND_LABELS = dict(SurveyKind.choices)


def open_invitations(user, now=None):
    """The person's due, unanswered invitations, newest first (one query): « Mon espace ».

    Each carries `shown_title` (its course's title) and `kind_label`, read with it.
    """
    now = now or timezone.now()
    invitations = _OPEN_INVITATIONS.instances(user=user.pk, now=now, since=now - OPEN_FOR)
    for invitation in invitations:
        title = invitation.module_title if invitation.module_id else invitation.session_title
        invitation.shown_title = title or ""
        invitation.kind_label = _KIND_LABELS.get(invitation.kind, invitation.kind)
    return invitations


def open_module_invitation(user, module, now=None):
    """The person's open « à chaud » invitation for the module, or None (one query)."""
    now = now or timezone.now()
    return (
        SurveyInvitation.objects.filter(
            user=user,
            module=module,
            kind=SurveyKind.HOT,
            answered_at__isnull=True,
            due_at__lte=now,
        )
        .only("uuid")
        .first()
    )
