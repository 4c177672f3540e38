"""A département's few years of training, at scale, for `make bench-scale` (issue 15).

`generate_scale_data` writes, for `learners` people (100,000 by default), about ten
lesson visits, three quiz attempts and one and a half certificates each, a session
for every 50 of them (two half-days, 20 registrations on average, marked), and the
satisfaction answers of a share of the completions. Never production data.

Rows go in with PostgreSQL's `COPY` (psycopg 3's `cursor.copy()`), or with one
`executemany` per table elsewhere (SQLite, for the tests): no ORM save per row, no
signal, no task. Primary keys are reserved from each table's sequence beforehand, so
that rows of one table can point at rows of the next without reading them back.
What the services would have stored is stored: frozen quiz snapshots, numbered
certificates with the project's verification codes (`certificates.codes`) and the
year's sequence moved past them, half-day marks.

Marked, so that `delete_scale_data` removes exactly these rows: every person has an
address at `@scale.reperes.example`, every session a title starting with
« [échelle] ». Everything else hangs off one of the two.

Three people are there for the bench: a learner with a long history (every module,
several attempts, replaced certificates, sessions), a trainer with a session of 40
participants, and learners who finished their lessons but not the quiz yet.
"""

import base64
import datetime
import json
import logging
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import Truncator

from accounts import roles
from accounts.communes import DEPARTEMENT
from accounts.mfa import add_totp_authenticator
from accounts.professions import Profession
from certificates.codes import new_code
from certificates.models import Certificate, CertificateKind, CertificateSequence
from certificates.services import (
    NUMBER_PREFIX,
    OBJECTIVES_SUMMARY_LENGTH,
    issuer_snapshot,
    objectives_text,
)
from courses.models.learning import (
    AttemptAnswer,
    AttemptStatus,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
)
from courses.models.pages import LessonPage, ModulePage, QuizPage
from courses.models.sessions import (
    Attendance,
    MarkMethod,
    Registration,
    RegistrationStatus,
    SessionSlot,
    SessionStatus,
    TrainingSession,
)
from courses.modules.services import quiz_snapshot
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyResponse
from surveys.services import answer_rows, resolve_questionnaire

from .history import (
    BUSY_COMMUNES,
    FIRST_NAMES,
    HALF_DAYS,
    LAST_NAMES,
    ORGANISATIONS,
    PROFESSION_WEIGHTS,
    SECTOR_OF,
    _answer,
)

logger = logging.getLogger(__name__)

DOMAIN = "scale.reperes.example"
SESSION_PREFIX = "[échelle] "
LONG_HISTORY_EMAIL = f"longue-histoire@{DOMAIN}"
TRAINER_EMAIL = f"formatrice@{DOMAIN}"
BIG_SESSION_TITLE = f"{SESSION_PREFIX}Session de 40 participant·e·s"
BIG_SESSION_SIZE = 40
YEARS = 4
PER_SESSION = 50  # one session for every 50 learners
REGISTRATIONS_PER_SESSION = 20
SURVEY_SHARE = 0.2  # completions answered « à chaud »
FINISHED = 0.85  # of the modules started (the demo has few modules: most people do them all)
READY_FOR_QUIZ = 0.04  # lessons done, quiz not started: the quiz submissions of the bench


class ScaleDataError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def scale_users():
    return get_user_model().objects.filter(email__endswith=f"@{DOMAIN}")


def scale_sessions():
    return TrainingSession.objects.filter(title__startswith=SESSION_PREFIX)


def scale_data_exists():
    return scale_users().exists()


# --- Writing rows ---------------------------------------------------------------------


def reserve_ids(model, count):
    """`count` consecutive primary keys nobody else will be given; the first one."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a model's table name)
        return cursor.fetchone()[0]


def write_rows(model, fields, rows):
    """Insert `rows` (tuples in the order of `fields`) into the model's table; how many.

    `fields` name model fields (`user_id` for a foreign key); JSON values arrive as
    already-dumped strings, so that one snapshot is serialised once, not per row.
    """
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in fields]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",  # noqa: S608 (model metadata)
                [tuple(_adapt(value) for value in row) for row in rows],
            )
    return len(rows)


def _adapt(value):
    if isinstance(value, uuid.UUID):
        return value.hex  # how Django stores a UUIDField without a native type
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, datetime.time):
        return connection.ops.adapt_timefield_value(value)
    return value


# --- What one run builds --------------------------------------------------------------


@dataclass
class Module:
    """A live module of the demo, with what the rows need of it."""

    page: ModulePage
    lessons: list
    quiz: QuizPage | None
    snapshot: str  # the quiz's frozen questions, dumped once
    questions: list
    objectives: str = ""
    planned_minutes: int = 0


@dataclass
class Scale:
    rng: random.Random
    now: datetime.datetime
    learners: int
    modules: list
    users: list = field(default_factory=list)  # (id, first, last, profession, organisation)
    rows: dict = field(default_factory=dict)  # model → list of tuples
    completions: list = field(default_factory=list)  # (id, user row, module, when, score)
    counts: dict = field(default_factory=dict)

    def add(self, model, row):
        self.rows.setdefault(model, []).append(row)

    def moment(self, earliest, latest=None):
        latest = latest or self.now
        span = max(int((latest - earliest).total_seconds()), 1)
        return earliest + datetime.timedelta(seconds=self.rng.randrange(span))


def load_modules():
    modules = []
    for page in ModulePage.objects.live().select_related("publisher").order_by("path"):
        if page.publisher_id is None:
            continue
        lessons = list(LessonPage.objects.child_of(page).live().order_by("path"))
        quiz = QuizPage.objects.child_of(page).live().first()
        questions = quiz_snapshot(quiz) if quiz else []
        objectives = Truncator(objectives_text(page.objectives)).chars(OBJECTIVES_SUMMARY_LENGTH)
        modules.append(
            Module(
                page,
                lessons,
                quiz,
                json.dumps(questions),
                questions,
                objectives,
                page.duration_total_minutes,
            )
        )
    return modules


def generate_scale_data(learners, *, seed=15, now=None):
    """Write the data set (in one transaction); the counts per table."""
    modules = load_modules()
    if not modules:
        raise ScaleDataError("no_modules", "Aucun module publié : lancez d'abord load_demo.")
    if scale_data_exists():
        raise ScaleDataError("exists", "Les données d'échelle existent déjà (--delete d'abord).")
    scale = Scale(random.Random(seed), now or timezone.now(), learners, modules)  # noqa: S311 (not security)
    with transaction.atomic():
        _people(scale)
        _learning(scale)
        _certificates(scale)
        _sessions(scale)
        _surveys(scale)
        for model, fields in COLUMNS.items():
            rows = scale.rows.pop(model, [])
            scale.counts[model._meta.label] = write_rows(model, fields, rows)
        _move_certificate_sequences()
        _trainer_second_factor(scale)
    logger.info("scale data: %s", scale.counts)
    return scale.counts


# Columns written per table, in the order of the tuples (and of the writes: a row only
# points at rows written before it).
USER_FIELDS = (
    "id",
    "password",
    "email",
    "first_name",
    "last_name",
    "profession",
    "organisation",
    "sector",
    "workplace_commune",
    "workplace_departement",
    "is_staff",
    "is_superuser",
    "is_active",
    "date_joined",
    "learning_reminders",
)
COLUMNS = {
    get_user_model(): USER_FIELDS,
    get_user_model().groups.through: ("user_id", "group_id"),
    Enrolment: ("user_id", "module_id", "started_at", "last_activity_at"),
    LessonProgress: (
        "user_id",
        "lesson_id",
        "module_id",
        "first_visit_at",
        "last_visit_at",
        "visits",
        "time_spent_seconds",
        "completed_at",
    ),
    QuizAttempt: (
        "id",
        "user_id",
        "module_id",
        "quiz_id",
        "number",
        "status",
        "questions",
        "started_at",
        "submitted_at",
        "score",
        "passed",
    ),
    ModuleCompletion: (
        "id",
        "user_id",
        "module_id",
        "completed_at",
        "score",
        "time_spent_seconds",
        "attempt_id",
    ),
    TrainingSession: (
        "id",
        "uuid",
        "title",
        "module_id",
        "description",
        "organiser_id",
        "is_remote",
        "venue_name",
        "address",
        "commune",
        "meeting_url",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "status",
        "starts_at",
        "ends_at",
        "planned_minutes",
        "survey_cold_delay_days",
        "created_at",
        "finished_at",
    ),
    TrainingSession.trainers.through: ("trainingsession_id", "user_id"),
    SessionSlot: ("id", "session_id", "date", "start_time", "end_time"),
    Registration: (
        "id",
        "session_id",
        "user_id",
        "email",
        "status",
        "created_at",
        "confirmed_at",
        "queued_at",
    ),
    Attendance: ("slot_id", "registration_id", "status", "marked_at", "method"),
    Certificate: (
        "id",
        "uuid",
        "kind",
        "number",
        "year",
        "sequence",
        "code",
        "holder_id",
        "module_id",
        "completion_id",
        "session_id",
        "holder_first_name",
        "holder_last_name",
        "holder_profession",
        "holder_organisation",
        "title",
        "publisher_name",
        "objectives_summary",
        "planned_minutes",
        "achieved_minutes",
        "elearning_minutes",
        "started_on",
        "completed_on",
        "score",
        "issuer_name",
        "signatory_name",
        "signatory_role",
        "signature_data",
        "logo_data",
        "accent_colour",
        "footer_text",
        "issued_at",
        "expires_on",
        "revoked_at",
        "revocation_reason",
        "replaces_id",
        "replaced_at",
        "reissue_reason",
        "pdf",
        "pdf_sha256",
        # Generated learners' certificates have no PDF, hence no signature nor badge.
        "unsigned_pdf_sha256",
        "badge_jwt",
    ),
    SurveyInvitation: (
        "id",
        "uuid",
        "user_id",
        "kind",
        "module_id",
        "publisher_id",
        "questionnaire_id",
        "created_at",
        "due_at",
        "answered_at",
    ),
    SurveyResponse: (
        "id",
        "invitation_id",
        "kind",
        "module_id",
        "publisher_id",
        "questionnaire_id",
        "questions",
        "submitted_at",
    ),
    SurveyAnswer: (
        "response_id",
        "question_id",
        "question_type",
        "is_satisfaction",
        "value",
        "choice",
        "text",
    ),
}


# --- People ---------------------------------------------------------------------------


def _people(scale):
    User = get_user_model()
    rng, first_id = scale.rng, reserve_ids(User, scale.learners + 1)
    start = scale.now - datetime.timedelta(days=365 * YEARS)
    professions, weights = zip(*PROFESSION_WEIGHTS.items(), strict=True)
    group_id = Group.objects.get_or_create(name=roles.PROFESSIONNEL)[0].pk
    for index in range(scale.learners + 1):
        profession = rng.choices(professions, weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"personne-{index:06d}@{DOMAIN}"
        if index == 0:
            email, first, last = LONG_HISTORY_EMAIL, "Dominique", "Longuehistoire"
        elif index == scale.learners:  # the trainer
            email, first, last, profession = TRAINER_EMAIL, "Aurélie", "Formatrice", ""
        organisation = ORGANISATIONS.get(profession, "")
        commune = rng.choice(BUSY_COMMUNES) if rng.random() < 0.85 else ""
        row = (
            first_id + index,
            "!scale",  # unusable: nobody logs in as a generated person with a password
            email,
            first,
            last,
            profession,
            organisation,
            SECTOR_OF.get(profession, ""),
            commune,
            DEPARTEMENT if commune else "",
            False,
            False,
            True,
            scale.moment(start),
            True,
        )
        scale.add(User, row)
        if index < scale.learners:
            scale.users.append((first_id + index, first, last, profession, organisation))
            scale.add(User.groups.through, (first_id + index, group_id))
    scale.trainer_id = first_id + scale.learners
    trainers = Group.objects.filter(name=roles.FORMATEUR).first()
    if trainers:
        scale.add(User.groups.through, (scale.trainer_id, trainers.pk))


def _trainer_second_factor(scale):
    """Staff must have a second factor (accounts/mfa.py): the trainer has an app, as in life."""
    trainer = get_user_model().objects.get(pk=scale.trainer_id)
    add_totp_authenticator(trainer, base64.b32encode(scale.rng.randbytes(20)).decode("ascii"))


# --- Modules, attempts, completions ---------------------------------------------------


def _learning(scale):
    """Each learner starts about two modules; most finish, some drop, a few stop at the quiz."""
    rng = scale.rng
    attempt_id = reserve_ids(QuizAttempt, scale.learners * 4 + 50)
    completion_id = reserve_ids(ModuleCompletion, scale.learners * 3 + 50)
    scale.next_ids = {"attempt": attempt_id, "completion": completion_id}
    start = scale.now - datetime.timedelta(days=365 * YEARS)
    for position, user in enumerate(scale.users):
        if position == 0:
            chosen = scale.modules  # the long history: every module
        else:
            count = min(len(scale.modules), rng.choice((1, 2, 2, 2)))
            chosen = rng.sample(scale.modules, k=count)
        for module in chosen:
            fate = "finished" if position == 0 else _fate(rng)
            _module_path(scale, user, module, fate, scale.moment(start))


def _fate(rng):
    roll = rng.random()
    if roll < FINISHED:
        return "finished"
    if roll < FINISHED + READY_FOR_QUIZ:
        return "ready"
    return "dropped"


def _module_path(scale, user, module, fate, started):
    rng, user_id = scale.rng, user[0]
    lessons = module.lessons
    read = len(lessons) if fate != "dropped" else rng.randint(1, max(len(lessons) - 1, 1))
    when, spent_total = started, 0
    for lesson in lessons[:read]:
        spent = rng.randint(6, 25) * 60
        done = when + datetime.timedelta(seconds=spent)
        scale.add(
            LessonProgress,
            (user_id, lesson.pk, module.page.pk, when, done, rng.randint(1, 3), spent, done),
        )
        spent_total += spent
        when = done + datetime.timedelta(minutes=rng.choice((2, 5, 60 * 24)))
    when = min(when, scale.now)
    scale.add(Enrolment, (user_id, module.page.pk, started, when))
    if fate != "finished":
        return
    attempt, score, when = _attempts(scale, user_id, module, when)
    completion = _next(scale, "completion")
    scale.add(
        ModuleCompletion,
        (completion, user_id, module.page.pk, when, score, spent_total, attempt),
    )
    scale.completions.append((completion, user, module, when, score))


def _attempts(scale, user_id, module, when):
    """Graded attempts until one passes (at most three); (passing attempt, score, when)."""
    if module.quiz is None:
        return None, None, when
    rng, threshold = scale.rng, module.page.passing_score
    tries = 3 if user_id == scale.users[0][0] else rng.choice((1, 2, 2, 3))
    for number in range(1, tries + 1):
        last = number == tries
        score = rng.randint(threshold, 100) if last else rng.randint(20, max(threshold - 1, 20))
        attempt = _next(scale, "attempt")
        submitted = min(when + datetime.timedelta(minutes=rng.randint(5, 15)), scale.now)
        scale.add(
            QuizAttempt,
            (
                attempt,
                user_id,
                module.page.pk,
                module.quiz.pk,
                number,
                AttemptStatus.SUBMITTED,
                module.snapshot,
                when,
                submitted,
                score,
                last,
            ),
        )
        when = submitted + datetime.timedelta(hours=rng.choice((0, 1, 24)))
    return attempt, score, min(submitted, scale.now)


def _next(scale, key):
    value = scale.next_ids[key]
    scale.next_ids[key] += 1
    return value


# --- Certificates ---------------------------------------------------------------------


def _certificates(scale):
    """One per completion, numbered in its year after the numbers already given.

    The long-history learner's are each re-issued once, so their list shows replaced
    certificates beside the ones in force.
    """
    sequences = dict(CertificateSequence.objects.values_list("year", "last_number"))
    scale.sequences = sequences
    certificate_id = reserve_ids(Certificate, len(scale.completions) * 2 + 10)
    issuers = _issuers(scale)
    long_history = scale.users[0][0]
    for completion, user, module, when, score in sorted(scale.completions, key=lambda c: c[3]):
        replaced_at = None
        if user[0] == long_history:
            replaced_at = min(when + datetime.timedelta(days=30), scale.now)
            _certificate(scale, certificate_id, completion, user, module, when, score, issuers)
            old, certificate_id = certificate_id, certificate_id + 1
            _certificate(
                scale, certificate_id, completion, user, module, replaced_at, score, issuers, old
            )
            _replace(scale, old, replaced_at)
        else:
            _certificate(scale, certificate_id, completion, user, module, when, score, issuers)
        certificate_id += 1


def _issuers(scale):
    issuers = {}
    for module in scale.modules:
        publisher = module.page.publisher
        if publisher.pk not in issuers:
            snapshot = issuer_snapshot(publisher)
            issuers[publisher.pk] = snapshot
    return issuers


def _certificate(scale, pk, completion, user, module, when, score, issuers, replaces=None):
    year = timezone.localtime(when).year
    sequence = scale.sequences.get(year, 0) + 1
    scale.sequences[year] = sequence
    issuer, page = issuers[module.page.publisher_id], module.page
    profession = str(Profession(user[3]).label) if user[3] else ""
    started_on = timezone.localdate(when - datetime.timedelta(days=scale.rng.randint(0, 30)))
    scale.add(
        Certificate,
        [
            pk,
            _uuid(scale),
            CertificateKind.COMPLETION,
            f"{NUMBER_PREFIX}-{year}-{sequence:06d}",
            year,
            sequence,
            new_code(),
            user[0],
            page.pk,
            completion,
            None,
            user[1],
            user[2],
            profession,
            user[4],
            page.title,
            page.publisher.name,
            module.objectives,
            module.planned_minutes,
            module.planned_minutes + scale.rng.randint(-20, 40),
            0,
            started_on,
            timezone.localdate(when),
            score,
            issuer.get("issuer_name", page.publisher.name),
            issuer.get("signatory_name", ""),
            issuer.get("signatory_role", ""),
            issuer.get("signature_data", ""),
            issuer.get("logo_data", ""),
            issuer.get("accent_colour", "#7a2e5c"),
            issuer.get("footer_text", ""),
            when,
            None,
            None,
            "",
            replaces,
            None,
            "Correction du nom" if replaces else "",
            "",
            "",
            "",
            "",
        ],
    )


def _replace(scale, old, replaced_at):
    """Mark the certificate `old` (just added) as replaced."""
    row = scale.rows[Certificate][-2]
    assert row[0] == old  # noqa: S101 (an invariant of the loop above)
    row[COLUMNS[Certificate].index("replaced_at")] = replaced_at


def _uuid(scale):
    return uuid.UUID(int=scale.rng.getrandbits(128), version=4)


def _move_certificate_sequences():
    """The year's sequence continues after the generated numbers, as issuing would."""
    for year, last in Certificate.objects.values_list("year").annotate(last=Max("sequence")):
        CertificateSequence.objects.update_or_create(year=year, defaults={"last_number": last})


# --- Sessions -------------------------------------------------------------------------


def _sessions(scale):
    """One session for every 50 learners, two half-days each, 20 registrations on average.

    The first one is the bench's: 40 participants, run by the generated trainer, on its
    second half-day today (so its attendance page and émargement are those of a
    running session).
    """
    rng = scale.rng
    count = max(scale.learners // PER_SESSION, 1)
    session_id = reserve_ids(TrainingSession, count)
    slot_id = reserve_ids(SessionSlot, count * 2)
    registration_id = reserve_ids(Registration, count * REGISTRATIONS_PER_SESSION + 100)
    today = timezone.localdate(scale.now)
    people = scale.users[1:] or scale.users
    for index in range(count):
        big = index == 0
        day = today - datetime.timedelta(days=1 if big else rng.randrange(-60, 365 * YEARS))
        module = rng.choice(scale.modules).page
        pk = session_id + index
        starts = timezone.make_aware(datetime.datetime.combine(day, HALF_DAYS[0][0]))
        ends = timezone.make_aware(datetime.datetime.combine(day, HALF_DAYS[1][1]))
        if big:
            day = today
            starts = timezone.make_aware(datetime.datetime.combine(today, HALF_DAYS[0][0]))
            ends = timezone.make_aware(datetime.datetime.combine(today, HALF_DAYS[1][1]))
        finished = ends < scale.now and not big
        capacity = BIG_SESSION_SIZE if big else 25
        scale.add(
            TrainingSession,
            (
                pk,
                _uuid(scale),
                BIG_SESSION_TITLE if big else f"{SESSION_PREFIX}{module.title} — n° {index}",
                module.pk,
                "",
                module.publisher_id,
                False,
                "Bourse départementale du travail",
                "1 place de la Libération, 93000 Bobigny",
                "Bobigny",
                "",
                capacity,
                starts - datetime.timedelta(days=60),
                starts - datetime.timedelta(days=1),
                SessionStatus.FINISHED if finished else SessionStatus.PLANNED,
                starts,
                ends,
                420,
                90,
                starts - datetime.timedelta(days=60),
                ends if finished else None,
            ),
        )
        if big or index % 40 == 1:
            scale.add(TrainingSession.trainers.through, (pk, scale.trainer_id))
        slots = []
        for offset, (begin, end) in enumerate(HALF_DAYS):
            slots.append((slot_id + 2 * index + offset, begin, end))
            scale.add(SessionSlot, (slot_id + 2 * index + offset, pk, day, begin, end))
        size = BIG_SESSION_SIZE if big else rng.randint(10, 2 * REGISTRATIONS_PER_SESSION - 10)
        registrants = rng.sample(people, k=min(size, len(people)))
        if index % 97 == 3:  # the long history also went to a few sessions
            registrants = [scale.users[0], *registrants[1:]]
        for user in registrants:
            _registration(scale, registration_id, pk, user, starts, slots, day, big)
            registration_id += 1


def _registration(scale, pk, session, user, starts, slots, day, big):
    rng = scale.rng
    waiting = not big and rng.random() < 0.05
    status = RegistrationStatus.WAITING if waiting else RegistrationStatus.CONFIRMED
    created = starts - datetime.timedelta(days=rng.randint(2, 50))
    scale.add(
        Registration,
        (
            pk,
            session,
            user[0],
            _email(scale, user[0]),
            status,
            created,
            None if waiting else created,
            created if waiting else None,
        ),
    )
    if waiting:
        return
    for slot, begin, _end in slots:
        slot_start = timezone.make_aware(datetime.datetime.combine(day, begin))
        if slot_start > scale.now:
            continue
        mark = rng.choices(("present", "late", "absent", "excused"), (85, 5, 7, 3))[0]
        scale.add(Attendance, (slot, pk, mark, slot_start, MarkMethod.TRAINER))


def _email(scale, user_id):
    index = user_id - scale.users[0][0]
    return LONG_HISTORY_EMAIL if index == 0 else f"personne-{index:06d}@{DOMAIN}"


# --- Satisfaction ---------------------------------------------------------------------


def _surveys(scale):
    """« À chaud » answers for a share of the completions, from each questionnaire."""
    rng = scale.rng
    questionnaires = {}
    for module in scale.modules:
        questionnaire = resolve_questionnaire(SurveyKind.HOT, module.page, None)
        if questionnaire is not None:
            questions = questionnaire.snapshot()
            questionnaires[module.page.pk] = (questionnaire, questions, json.dumps(questions))
    answered = [c for c in scale.completions if c[2].page.pk in questionnaires]
    answered = [c for c in answered if rng.random() < SURVEY_SHARE]
    invitation_id = reserve_ids(SurveyInvitation, len(answered))
    response_id = reserve_ids(SurveyResponse, len(answered))
    for offset, (_completion, user, module, when, _score) in enumerate(answered):
        questionnaire, questions, dumped = questionnaires[module.page.pk]
        answered_at = min(when + datetime.timedelta(hours=rng.randint(0, 48)), scale.now)
        page = module.page
        scale.add(
            SurveyInvitation,
            (
                invitation_id + offset,
                _uuid(scale),
                user[0],
                SurveyKind.HOT,
                page.pk,
                page.publisher_id,
                questionnaire.pk,
                when,
                when,
                answered_at,
            ),
        )
        scale.add(
            SurveyResponse,
            (
                response_id + offset,
                invitation_id + offset,
                SurveyKind.HOT,
                page.pk,
                page.publisher_id,
                questionnaire.pk,
                dumped,
                answered_at,
            ),
        )
        for question in questions:
            values = _answer(rng, question)
            for row in answer_rows(question, values) if values else []:
                scale.add(
                    SurveyAnswer,
                    (
                        response_id + offset,
                        row["question_id"],
                        row["question_type"],
                        row["is_satisfaction"],
                        row.get("value"),
                        row.get("choice", ""),
                        row.get("text", ""),
                    ),
                )


# --- Deleting -------------------------------------------------------------------------


def delete_scale_data():
    """Remove the generated rows and only them; how many people were removed.

    The big tables go with one `DELETE` each (no per-row collection of 100,000
    people). The people the bench acted as (a quiz submitted, a session page opened)
    may have rows written by the services since (answers, log entries): they go
    through the ORM's cascade, like any account deletion.
    """
    users, sessions = scale_users(), scale_sessions()
    on_users, on_sessions = users.values("pk"), sessions.values("pk")
    with transaction.atomic():
        count = users.count()
        acted = users.filter(
            Q(email__in=(LONG_HISTORY_EMAIL, TRAINER_EMAIL))
            | Q(pk__in=AttemptAnswer.objects.values("attempt__user_id"))
        )
        acted_ids = list(acted.values_list("pk", flat=True))
        for queryset in (
            SurveyAnswer.objects.filter(response__invitation__user__in=on_users),
            SurveyResponse.objects.filter(invitation__user__in=on_users),
            SurveyInvitation.objects.filter(user__in=on_users),
            Certificate.objects.filter(Q(holder__in=on_users) | Q(session__in=on_sessions)),
            Attendance.objects.filter(slot__session__in=on_sessions),
            Registration.objects.filter(session__in=on_sessions),
            SessionSlot.objects.filter(session__in=on_sessions),
            TrainingSession.trainers.through.objects.filter(trainingsession__in=on_sessions),
            ModuleCompletion.objects.filter(user__in=on_users),
            QuizAttempt.objects.filter(user__in=on_users).exclude(user__in=acted_ids),
            LessonProgress.objects.filter(user__in=on_users),
            Enrolment.objects.filter(user__in=on_users),
            get_user_model().groups.through.objects.filter(user__in=on_users),
        ):
            queryset._raw_delete(queryset.db)
        sessions.delete()
        users.exclude(pk__in=acted_ids)._raw_delete(users.db)
        get_user_model().objects.filter(pk__in=acted_ids).delete()
    return count
