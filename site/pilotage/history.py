"""A history of training for people who do not exist, for the bench (10,000 learners,
`generate_pilotage_data`). The demo has its own, smaller and richer (`demo.history`).

Written with `bulk_create` and marked (`Marker`): an address at the marker's domain,
its first name, a title prefix on sessions, so that `delete_generated` removes
exactly those rows and nothing else.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.professions import Profession
from courses.models import (
    Attendance,
    Enrolment,
    ModuleCompletion,
    QuizAttempt,
    QuizPage,
    Registration,
    SessionSlot,
    TrainingSession,
)
from courses.models.sessions import MarkMethod

from .dimensions import commune_choices, sector_choices, user_has_field

BATCH = 2000
MONTHS = 18


@dataclass(frozen=True)
class Marker:
    domain: str
    first_name: str
    session_prefix: str


GENERATED = Marker("pilotage.generated.invalid", "Généré·e", "[généré]")


def generated_users(marker=GENERATED):
    return get_user_model().objects.filter(email__endswith=f"@{marker.domain}")


def delete_generated(marker=GENERATED):
    users = generated_users(marker)
    count = users.count()
    ModuleCompletion.objects.filter(user__in=users).delete()  # PROTECT from the module side only
    TrainingSession.objects.filter(title__startswith=marker.session_prefix).delete()
    users.delete()
    return count


def generate(learners, modules, rng, marker=GENERATED):
    now = timezone.now()
    users = create_users(learners, rng, marker)
    quizzes = quizzes_of(modules)
    enrolments, completions, attempts = [], [], []
    for user in users:
        for module in rng.sample(modules, k=min(len(modules), rng.choice((1, 1, 2)))):
            started = now - datetime.timedelta(days=rng.randrange(1, MONTHS * 30))
            enrolments.append(Enrolment(user=user, module=module, started_at=started))
            if rng.random() < 0.6:
                done = min(started + datetime.timedelta(days=rng.randrange(0, 40)), now)
                completions.append(
                    ModuleCompletion(
                        user=user,
                        module=module,
                        completed_at=done,
                        time_spent_seconds=rng.randrange(1200, 9000),
                    )
                )
                if module.pk in quizzes:
                    attempts.append(first_attempt(user, module, quizzes[module.pk], done, rng))
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    # `auto_now_add` overrides the value given: set the start dates afterwards, in SQL.
    fix_started_at(enrolments)
    ModuleCompletion.objects.bulk_create(completions, batch_size=BATCH)
    QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    create_sessions(users, modules, rng, now, marker)
    return users


def create_users(count, rng, marker):
    User = get_user_model()
    professions = [value for value, _label in Profession.choices]
    sectors = [value for value, _label in sector_choices()] or [""]
    communes = [value for value, _label in commune_choices()] or [""]
    extra_fields = user_has_field("sector") and user_has_field("workplace_commune")
    users = []
    for index in range(count):
        user = User(
            email=f"personne-{index}@{marker.domain}",
            first_name=marker.first_name,
            last_name=f"n° {index}",
            profession=rng.choice([*professions, ""]),
            password="!generated",  # noqa: S106 (unusable: nobody logs in as a generated person)
        )
        if extra_fields:
            user.sector = rng.choice([*sectors, ""])
            user.workplace_commune = rng.choice([*communes, ""])
            user.workplace_departement = "93" if user.workplace_commune else ""
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    return list(generated_users(marker).order_by("pk"))


def quizzes_of(modules):
    paths = {module.path: module.pk for module in modules}
    steplen = QuizPage.steplen
    return {
        paths[path[:-steplen]]: pk
        for path, pk in QuizPage.objects.values_list("path", "pk")
        if path[:-steplen] in paths
    }


def first_attempt(user, module, quiz_id, when, rng):
    passed = rng.random() < 0.75
    return QuizAttempt(
        user=user,
        module=module,
        quiz_id=quiz_id,
        number=1,
        status="submitted",
        questions=[],
        submitted_at=when,
        score=90 if passed else 50,
        passed=passed,
    )


def fix_started_at(enrolments):
    for start in range(0, len(enrolments), BATCH):
        batch = enrolments[start : start + BATCH]
        Enrolment.objects.bulk_update(batch, ["started_at"], batch_size=BATCH)


def create_sessions(users, modules, rng, now, marker):
    """About one session per 50 learners, two half-days each, 20 seats."""
    today = timezone.localdate()
    publishers = sorted({module.publisher for module in modules}, key=lambda p: p.pk)
    sessions = []
    for index in range(max(len(users) // 50, 1)):
        day = today - datetime.timedelta(days=rng.randrange(-30, MONTHS * 30))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        sessions.append(
            TrainingSession(
                title=f"{marker.session_prefix} Session {index}",
                organiser=rng.choice(publishers),
                module=rng.choice(modules),
                commune="Bobigny",
                capacity=20,
                registration_opens_at=start - datetime.timedelta(days=60),
                registration_closes_at=start - datetime.timedelta(days=1),
                starts_at=start,
                ends_at=start + datetime.timedelta(days=1, hours=3, minutes=30),
                planned_minutes=420,
                status="finished" if day < today else "planned",
            )
        )
    TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
    sessions = list(TrainingSession.objects.filter(title__startswith=marker.session_prefix))
    slots = [
        SessionSlot(
            session=session,
            date=timezone.localtime(session.starts_at).date() + datetime.timedelta(days=offset),
            start_time=datetime.time(9),
            end_time=datetime.time(12, 30),
        )
        for session in sessions
        for offset in (0, 1)
    ]
    SessionSlot.objects.bulk_create(slots, batch_size=BATCH)
    register_people(users, sessions, rng, now, marker)


def register_people(users, sessions, rng, now, marker):
    registrations = []
    for user in rng.sample(users, k=min(len(users), len(sessions) * 22)):
        session = rng.choice(sessions)
        registrations.append(
            Registration(
                session=session,
                user=user,
                email=user.email,
                status="waiting" if rng.random() < 0.1 else "confirmed",
                confirmed_at=now,
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=BATCH, ignore_conflicts=True)
    slots = {}
    for slot in SessionSlot.objects.filter(session__title__startswith=marker.session_prefix):
        slots.setdefault(slot.session_id, []).append(slot)
    attendances = []
    today = timezone.localdate()
    for registration in Registration.objects.filter(
        session__title__startswith=marker.session_prefix, status="confirmed"
    ):
        for slot in slots.get(registration.session_id, []):
            if slot.date <= today:
                attendances.append(
                    Attendance(
                        slot=slot,
                        registration=registration,
                        status=rng.choice(("present", "present", "present", "late", "absent")),
                        marked_at=now,
                        method=MarkMethod.TRAINER,
                    )
                )
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
