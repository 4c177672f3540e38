"""Eighteen months of example training history, so that every figure of the pilotage shows something.

About 300 fictitious professionals (`@historique.reperes.example`, organisations « (exemple) »)
enrolled in the demo modules, some finished, some dropped; past in-person sessions with
their registrations and half-day attendance; satisfaction answers, self-positioning and
guide reading counts. None of them can log in (unusable passwords).

Rows are written in bulk, not through the services: replaying 300 learning paths through
`complete_module` would issue and render 200 certificate PDFs and queue their e-mails,
which the pilotage does not read. What the services would have stored is stored here:
frozen quiz snapshots graded the same way, completions, half-day marks.

Deterministic (a fixed random seed, dates relative to today) and idempotent: once the
history's learners exist, a second run adds nothing.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.communes import COMMUNES, DEPARTEMENT
from accounts.professions import Profession
from accounts.sectors import Sector
from courses.models.learning import (
    AttemptAnswer,
    AttemptStatus,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    PositioningAnswer,
    QuizAttempt,
)
from courses.models.pages import LessonPage, ModulePage, QuizPage
from courses.models.sessions import (
    Attendance,
    AttendanceStatus,
    MarkMethod,
    Registration,
    RegistrationStatus,
    SessionSlot,
    SessionStatus,
    TrainingSession,
)
from courses.modules.positioning import statements
from courses.modules.services import quiz_snapshot, store_graded_answers
from guides.models import Publisher
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyResponse
from surveys.services import answer_rows, course_publisher_id, resolve_questionnaire

logger = logging.getLogger(__name__)

DOMAIN = "historique.reperes.example"
LEARNERS = 300
MONTHS = 18
SEED = 14  # the issue that asked for it: any fixed number keeps the demo stable

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Lina",
    "Aïcha",
    "Fatou",
    "Nora",
    "Sofia",
    "Amandine",
    "Hélène",
    "Mélanie",
    "Laetitia",
    "Karima",
    "Samia",
    "Marion",
    "Lucas",
    "Hugo",
    "Nathan",
    "Karim",
    "Mamadou",
    "Yanis",
    "Julien",
    "Mathieu",
    "Sébastien",
    "Nicolas",
    "Olivier",
    "Rachid",
    "Bilal",
    "Thomas",
    "Vincent",
    "Didier",
    "Franck",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Diallo",
    "Traoré",
    "Benali",
    "Haddad",
    "Nguyen",
]
ORGANISATIONS = {
    Profession.ENSEIGNANT: "Collège (exemple)",
    Profession.CPE: "Lycée (exemple)",
    Profession.INFIRMIER_SCOLAIRE: "Collège (exemple)",
    Profession.ASSISTANT_SOCIAL: "Service social départemental (exemple)",
    Profession.EDUCATEUR: "Foyer de l'enfance (exemple)",
    Profession.MEDECIN: "Centre de santé (exemple)",
    Profession.PSYCHOLOGUE: "Centre médico-psychologique (exemple)",
    Profession.POLICE_GENDARMERIE: "Brigade de protection des familles (exemple)",
    Profession.MAGISTRAT: "Tribunal judiciaire (exemple)",
    Profession.ASSOCIATIF: "Association (exemple)",
    Profession.AUTRE: "Structure (exemple)",
}
# How often each trade appears: schools and child welfare first, as in the plan's audience.
PROFESSION_WEIGHTS = {
    Profession.ENSEIGNANT: 18,
    Profession.CPE: 8,
    Profession.INFIRMIER_SCOLAIRE: 10,
    Profession.ASSISTANT_SOCIAL: 14,
    Profession.EDUCATEUR: 20,
    Profession.MEDECIN: 4,
    Profession.PSYCHOLOGUE: 5,
    Profession.POLICE_GENDARMERIE: 7,
    Profession.MAGISTRAT: 2,
    Profession.ASSOCIATIF: 8,
    Profession.AUTRE: 4,
}
HALF_DAYS = ((time(9, 0), time(12, 30)), (time(13, 30), time(17, 0)))
SESSION_TITLE_PREFIX = "Repérer et protéger — session n° "


def history_learners():
    return get_user_model().objects.filter(email__endswith=f"@{DOMAIN}")


def history_sessions():
    return TrainingSession.objects.filter(title__startswith=SESSION_TITLE_PREFIX)


def history_exists():
    return get_user_model().objects.filter(email__endswith=f"@{DOMAIN}").exists()


@dataclass
class History:
    """What one run writes, kept to link rows written later in the same run."""

    rng: random.Random
    now: datetime
    learners: list = field(default_factory=list)
    completions: list = field(default_factory=list)  # (user, module, completed_at)
    attended: list = field(default_factory=list)  # (user, session, last half-day end)
    unfinished: list = field(default_factory=list)  # (user, module, started at)
    started: dict = field(default_factory=dict)  # (user id, module id) → started at

    def moment(self, earliest, latest=None):
        """A random instant between two datetimes, on a working day during office hours."""
        latest = latest or self.now
        span = max(int((latest - earliest).total_seconds()), 1)
        when = timezone.localtime(earliest + timedelta(seconds=self.rng.randrange(span)))
        when = when.replace(hour=self.rng.randint(9, 17))
        if when.weekday() >= 5:
            when -= timedelta(days=when.weekday() - 4)
        return min(when, latest)


def ensure_demo_history(now=None):
    """Write the history once; how many learners were created (0 when it exists)."""
    if history_exists():
        return 0
    modules = list(ModulePage.objects.live().select_related("publisher").order_by("path"))
    if not modules:
        return 0
    history = History(rng=random.Random(SEED), now=now or timezone.now())  # noqa: S311 (demo data)
    _learners(history)
    for module in modules:
        _module_history(history, module)
    _sessions(history, modules)
    _positioning(history, modules)
    _surveys(history)
    logger.info("demo history: %d learners", len(history.learners))
    return len(history.learners)


def _learners(history):
    User = get_user_model()
    rng, start = history.rng, history.now - timedelta(days=30 * MONTHS)
    professions, weights = zip(*PROFESSION_WEIGHTS.items(), strict=True)
    users = []
    for number in range(1, LEARNERS + 1):
        profession = rng.choices(professions, weights)[0]
        user = User(
            email=f"historique-{number:03d}@{DOMAIN}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            profession=profession,
            organisation=ORGANISATIONS[profession],
            date_joined=history.moment(start),
        )
        user.set_unusable_password()
        _profile(history, user)
        users.append(user)
    User.objects.bulk_create(users)
    history.learners = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email"))
    group = Group.objects.get(name=roles.PROFESSIONNEL)
    group.user_set.add(*history.learners)


#: The sector most people of a trade work in (a few differ, as in life).
SECTOR_OF = {
    Profession.ENSEIGNANT: Sector.EDUCATION_NATIONALE,
    Profession.CPE: Sector.EDUCATION_NATIONALE,
    Profession.INFIRMIER_SCOLAIRE: Sector.EDUCATION_NATIONALE,
    Profession.ASSISTANT_SOCIAL: Sector.ASE,
    Profession.EDUCATEUR: Sector.ASE,
    Profession.MEDECIN: Sector.SANTE,
    Profession.PSYCHOLOGUE: Sector.SANTE,
    Profession.POLICE_GENDARMERIE: Sector.POLICE,
    Profession.MAGISTRAT: Sector.JUSTICE,
    Profession.ASSOCIATIF: Sector.ASSOCIATION,
    Profession.AUTRE: Sector.COLLECTIVITE,
}
#: Bigger towns first: they weigh more in who is trained.
BUSY_COMMUNES = ("93066", "93008", "93048", "93001", "93005", "93007", "93029", "93055")
NEIGHBOUR_DEPARTEMENTS = ("75", "77", "94", "95")


def _profile(history, user):
    """Sector and workplace; about one person in eight left them blank."""
    rng = history.rng
    if rng.random() < 0.12:
        return
    user.sector = SECTOR_OF[user.profession] if rng.random() < 0.85 else Sector.ASSOCIATION
    roll = rng.random()
    if roll < 0.07:
        user.workplace_departement = rng.choice(NEIGHBOUR_DEPARTEMENTS)
        return
    busy = roll < 0.6
    user.workplace_commune = rng.choice(BUSY_COMMUNES if busy else tuple(COMMUNES))
    user.workplace_departement = DEPARTEMENT


def _module_history(history, module):
    """Enrol a share of the learners; most finish, some drop, a few are still going."""
    rng = history.rng
    lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
    quiz = QuizPage.objects.child_of(module).live().first()
    enrolments, progress, completions = [], [], []
    attempts_for = []
    for user in history.learners:
        if rng.random() > 0.55:
            continue
        started = history.moment(max(user.date_joined, history.now - timedelta(days=30 * MONTHS)))
        fate = rng.choices(("finished", "dropped", "going"), (70, 22, 8))[0]
        if fate == "going" and history.now - started > timedelta(days=20):
            started = history.now - timedelta(days=rng.randint(1, 20))
        read = len(lessons) if fate == "finished" else rng.randint(1, max(len(lessons) - 1, 1))
        when = started
        for lesson in lessons[:read]:
            spent = rng.randint(6, 25) * 60
            progress.append(
                LessonProgress(
                    user=user,
                    lesson=lesson,
                    module=module,
                    last_visit_at=when + timedelta(seconds=spent),
                    visits=rng.randint(1, 3),
                    time_spent_seconds=spent,
                    completed_at=when + timedelta(seconds=spent),
                )
            )
            when += timedelta(seconds=spent, minutes=rng.choice((2, 5, 60 * 24)))
        history.started[(user.pk, module.pk)] = started
        enrolments.append(
            (Enrolment(user=user, module=module, last_activity_at=when), started, when)
        )
        if fate == "finished":
            attempts_for.append((user, when))
        else:
            history.unfinished.append((user, module, started))
    Enrolment.objects.bulk_create([enrolment for enrolment, _, _ in enrolments])
    LessonProgress.objects.bulk_create(progress)
    _backdate_learning(module, enrolments, progress)
    for user, when in attempts_for:
        completed_at, attempt, score = _quiz_attempts(history, module, quiz, user, when)
        completions.append(
            ModuleCompletion(
                user=user,
                module=module,
                completed_at=completed_at,
                score=score,
                time_spent_seconds=sum(
                    p.time_spent_seconds for p in progress if p.user_id == user.pk
                ),
                attempt=attempt,
            )
        )
        history.completions.append((user, module, completed_at))
    ModuleCompletion.objects.bulk_create(completions)


def _backdate_learning(module, enrolments, progress):
    """`auto_now_add` stamped today's date on the rows: give them their history's dates."""
    by_user = {enrolment.user_id: (started, last) for enrolment, started, last in enrolments}
    rows = list(Enrolment.objects.filter(module=module, user_id__in=by_user))
    for row in rows:
        row.started_at = by_user[row.user_id][0]
    Enrolment.objects.bulk_update(rows, ["started_at"])
    first_visits = {}
    for item in progress:
        first_visits[(item.user_id, item.lesson_id)] = item.last_visit_at - timedelta(
            seconds=item.time_spent_seconds
        )
    rows = list(LessonProgress.objects.filter(module=module, user_id__in=by_user))
    for row in rows:
        row.first_visit_at = first_visits[(row.user_id, row.lesson_id)]
    LessonProgress.objects.bulk_update(rows, ["first_visit_at"])


def _quiz_attempts(history, module, quiz, user, after):
    """One or two graded attempts; (completed at, passing attempt, score)."""
    if quiz is None:
        return after, None, None
    rng = history.rng
    threshold = module.passing_score
    number, when = 0, after
    while True:
        number += 1
        questions = quiz_snapshot(quiz)
        # Each learner knows a share of the answers; a second try knows more.
        skill = rng.uniform(0.7, 1.0) if number == 1 else 1.0
        picks = {q["id"]: _pick(rng, q, skill) for q in questions}
        right = sum(_is_right(q, picks[q["id"]]) for q in questions)
        score = round(100 * right / len(questions)) if questions else 100
        passed = score >= threshold or number >= 3
        attempt = QuizAttempt.objects.create(
            user=user,
            module=module,
            quiz=quiz,
            number=number,
            status=AttemptStatus.SUBMITTED,
            questions=questions,
            submitted_at=when + timedelta(minutes=rng.randint(5, 15)),
            score=score,
            passed=passed,
        )
        QuizAttempt.objects.filter(pk=attempt.pk).update(started_at=when)
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(attempt=attempt, question_id=qid, choice_ids=choice_ids)
            for qid, choice_ids in picks.items()
        )
        store_graded_answers(attempt, picks)  # the rows of the item analysis
        if passed:
            return attempt.submitted_at, attempt, score
        when = attempt.submitted_at + timedelta(days=rng.randint(0, 3), minutes=30)


def _pick(rng, question, skill):
    right = [c["id"] for c in question["choices"] if c["correct"]]
    wrong = [c["id"] for c in question["choices"] if not c["correct"]]
    if rng.random() < skill or not wrong:
        return right
    return [rng.choice(wrong)]


def _is_right(question, choice_ids):
    return set(choice_ids) == {c["id"] for c in question["choices"] if c["correct"]}


# --- In-person sessions -----------------------------------------------------------------

SESSION_COMMUNES = ("Bobigny", "Saint-Denis", "Montreuil", "Aubervilliers", "Aulnay-sous-Bois")


def _sessions(history, modules):
    """One finished session a month and a half, filled from the learners."""
    rng = history.rng
    organisers = list(Publisher.objects.order_by("name"))
    trainer = get_user_model().objects.filter(groups__name=roles.FORMATEUR).first()
    if not organisers:
        return
    day = timezone.localdate(history.now) - timedelta(days=30 * MONTHS - 20)
    number = 0
    while day < timezone.localdate(history.now) - timedelta(days=14):
        number += 1
        day = _weekday(day)
        _session(history, number, day, rng.choice(organisers), trainer, rng.choice(modules))
        day += timedelta(days=rng.randint(35, 55))


def _weekday(day):
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _at(day, moment):
    return timezone.make_aware(datetime.combine(day, moment))


def _session(history, number, day, organiser, trainer, module):
    rng = history.rng
    capacity = rng.choice((12, 15, 20))
    first_start, last_end = _at(day, HALF_DAYS[0][0]), _at(day, HALF_DAYS[1][1])
    session = TrainingSession.objects.create(
        title=f"{SESSION_TITLE_PREFIX}{number} (exemple)",
        module=module,
        description="Session d'exemple de l'historique de démonstration.",
        organiser=organiser,
        venue_name="Salle de formation (exemple)",
        commune=rng.choice(SESSION_COMMUNES),
        capacity=capacity,
        registration_opens_at=first_start - timedelta(days=45),
        registration_closes_at=first_start - timedelta(days=2),
        status=SessionStatus.FINISHED,
        starts_at=first_start,
        ends_at=last_end,
        planned_minutes=sum(
            (_at(day, end) - _at(day, start)) // timedelta(minutes=1) for start, end in HALF_DAYS
        ),
        finished_at=last_end + timedelta(minutes=20),
    )
    if trainer is not None:
        session.trainers.add(trainer)
    slots = SessionSlot.objects.bulk_create(
        SessionSlot(session=session, date=day, start_time=start, end_time=end)
        for start, end in HALF_DAYS
    )
    demand = rng.randint(capacity - 4, capacity + 6)
    people = rng.sample(history.learners, demand)
    registrations = []
    for rank, user in enumerate(people):
        status = RegistrationStatus.CONFIRMED if rank < capacity else RegistrationStatus.WAITING
        if status == RegistrationStatus.CONFIRMED and rng.random() < 0.08:
            status = RegistrationStatus.CANCELLED
        registrations.append(
            Registration(
                session=session,
                user=user,
                email=user.email,
                status=status,
                confirmed_at=first_start - timedelta(days=rng.randint(3, 40)),
            )
        )
    Registration.objects.bulk_create(registrations)
    _attendance(history, session, slots, registrations, trainer, last_end)


def _attendance(history, session, slots, registrations, trainer, last_end):
    rng = history.rng
    marks = []
    for registration in registrations:
        if registration.status != RegistrationStatus.CONFIRMED:
            continue
        no_show = rng.random() < 0.07
        attended = False
        for slot in slots:
            if no_show:
                status = AttendanceStatus.ABSENT
            else:
                status = rng.choices(
                    (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EXCUSED),
                    (88, 7, 5),
                )[0]
            attended |= status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
            marks.append(
                Attendance(
                    slot=slot,
                    registration=registration,
                    status=status,
                    marked_at=_at(slot.date, slot.start_time) + timedelta(minutes=10),
                    marked_by=trainer,
                    method=MarkMethod.TRAINER,
                )
            )
        if attended:
            history.attended.append((registration.user, session, last_end))
    Attendance.objects.bulk_create(marks)


# --- Self-positioning and satisfaction ------------------------------------------------------


def _positioning(history, modules):
    """About half the learners rate the statements before; those who finish, after too."""
    rng, rows = history.rng, []
    finished = {(user.pk, module.pk): when for user, module, when in history.completions}
    for user, module, _ in [*history.completions, *history.unfinished]:
        texts = statements(module)
        if not texts or rng.random() > 0.5:
            continue
        started, after = history.started[(user.pk, module.pk)], finished.get((user.pk, module.pk))
        for key, text in texts:
            before = rng.choice((1, 2, 2, 3))
            rows.append(_rating(user, module, "before", key, text, before, started))
            if after is not None:
                value = min(4, before + rng.choice((0, 1, 1, 2)))
                rows.append(_rating(user, module, "after", key, text, value, after))
    PositioningAnswer.objects.bulk_create(rows)


def _rating(user, module, moment, key, text, value, when):
    return PositioningAnswer(
        user=user,
        module=module,
        moment=moment,
        statement_id=key,
        statement=text,
        value=value,
        answered_at=when,
    )


COMMENTS = (
    "Les cas pratiques étaient très utiles.",
    "J'aurais aimé plus de temps sur le signalement.",
    "Clair et concret, merci.",
    "Utile pour savoir qui contacter dans le département.",
)


def _surveys(history):
    """Invitations to both questionnaires and answers for a share of them.

    Answers are built from each questionnaire's own questions and checked by the
    surveys' validation (`answer_rows`), so they hold what a real answer would.
    """
    courses = [("module", user, module, when) for user, module, when in history.completions]
    courses += [("session", user, session, end) for user, session, end in history.attended]
    for kind, share in ((SurveyKind.HOT, 0.65), (SurveyKind.COLD, 0.35)):
        _invite_and_answer(history, courses, kind, share)


def _invite_and_answer(history, courses, kind, share):
    rng, invitations, answered = history.rng, [], []
    for what, user, course, done_at in courses:
        module, session = (course, None) if what == "module" else (None, course)
        due_at = done_at + timedelta(
            days=course.survey_cold_delay_days if kind == SurveyKind.COLD else 0
        )
        if due_at > history.now:
            continue
        questionnaire = resolve_questionnaire(kind, module, session)
        if questionnaire is None:
            continue
        invitation = SurveyInvitation(
            user=user,
            kind=kind,
            module=module,
            session=session,
            publisher_id=course_publisher_id(module, session),
            questionnaire=questionnaire,
            due_at=due_at,
            emailed_at=due_at if (kind == SurveyKind.COLD or session) else None,
        )
        if rng.random() < share:
            invitation.answered_at = min(due_at + timedelta(hours=rng.randint(1, 72)), history.now)
            answered.append(invitation)
        invitations.append(invitation)
    SurveyInvitation.objects.bulk_create(invitations)
    _answers(history, answered)


def _answers(history, invitations):
    snapshots = {}
    for invitation in invitations:
        questions = snapshots.setdefault(
            invitation.questionnaire_id, invitation.questionnaire.snapshot()
        )
        response = SurveyResponse.objects.create(
            invitation=invitation,
            kind=invitation.kind,
            module=invitation.module,
            session=invitation.session,
            publisher_id=invitation.publisher_id,
            questionnaire=invitation.questionnaire,
            questions=questions,
            submitted_at=invitation.answered_at,
        )
        rows = []
        for question in questions:
            values = _answer(history.rng, question)
            if values:
                rows += answer_rows(question, values)
        SurveyAnswer.objects.bulk_create(SurveyAnswer(response=response, **row) for row in rows)


def _answer(rng, question):
    """Plausible values for one question: mostly satisfied, some not, a few blanks."""
    kind = question["type"]
    if kind == "free_text":
        return [rng.choice(COMMENTS)] if rng.random() < 0.15 else []
    if kind == "choice":
        return [rng.choice(question["choices"])] if question["choices"] else []
    if kind == "scale":
        return [str(rng.choices((1, 2, 3, 4, 5), (2, 4, 14, 45, 35))[0])]
    if kind == "recommend":
        return [str(rng.choices(range(11), (1, 1, 1, 1, 2, 3, 5, 12, 25, 25, 24))[0])]
    return [str(rng.choices((0, 1), (20, 80))[0])]  # yes / no
