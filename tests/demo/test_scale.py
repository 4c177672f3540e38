"""`generate_scale_data` at a tiny scale: refusals, proportions, marks, removal."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from certificates.codes import normalise_code
from certificates.models import Certificate, CertificateSequence
from courses.models import (
    Attendance,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    Registration,
    SessionSlot,
    TrainingSession,
)
from demo.scale import (
    BIG_SESSION_SIZE,
    BIG_SESSION_TITLE,
    LONG_HISTORY_EMAIL,
    TRAINER_EMAIL,
    scale_sessions,
    scale_users,
)
from surveys.models import SurveyAnswer, SurveyResponse
from tests.courses.factories import build_module
from tests.guides.factories import PublisherFactory

pytestmark = pytest.mark.django_db

LEARNERS = 60
TABLES = (
    get_user_model(),
    Enrolment,
    LessonProgress,
    QuizAttempt,
    ModuleCompletion,
    TrainingSession,
    SessionSlot,
    Registration,
    Attendance,
    Certificate,
    SurveyResponse,
    SurveyAnswer,
)


def generate(*args, **options):
    call_command("generate_scale_data", *args, allow_sqlite=True, **options)


@pytest.fixture
def modules(django_user_model):
    publisher = PublisherFactory(name="Observatoire")
    first = build_module(lessons=3, publisher=publisher, title="Repérer")
    second = build_module(lessons=2, publisher=PublisherFactory(name="Amicale"), title="Agir")
    django_user_model.objects.create_user("reelle@example.org", first_name="Vraie")
    return first, second


def counts():
    return {model._meta.label: model.objects.count() for model in TABLES}


def test_refused_without_the_flag(modules):
    with pytest.raises(CommandError, match="not-production"):
        generate(learners=LEARNERS)
    assert not scale_users().exists()


def test_refused_on_sqlite_unless_asked(modules):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_scale_data", learners=LEARNERS, confirmed=True)
    assert not scale_users().exists()


def test_refused_without_modules(db):
    with pytest.raises(CommandError, match="load_demo"):
        generate(learners=LEARNERS, confirmed=True)
    assert not scale_users().exists()


def test_refuses_a_learner_count_below_one(modules):
    with pytest.raises(CommandError):
        generate(learners=0, confirmed=True)


def test_generates_proportional_marked_rows_then_deletes_only_them(modules):
    session = TrainingSession.objects.create(
        title="Session réelle",
        organiser=modules[0][0].publisher,
        capacity=10,
        registration_opens_at="2026-01-01T09:00Z",
        registration_closes_at="2026-01-02T09:00Z",
    )
    before = counts()
    generate(learners=LEARNERS, confirmed=True)

    people = scale_users()
    assert people.count() == LEARNERS + 1  # and the trainer
    assert not any(person.has_usable_password() for person in people)
    enrolments = Enrolment.objects.filter(user__in=people).count()
    assert LEARNERS <= enrolments <= 2 * LEARNERS
    assert LessonProgress.objects.filter(user__in=people).count() >= 2 * LEARNERS
    assert QuizAttempt.objects.filter(user__in=people).count() >= LEARNERS
    assert Certificate.objects.filter(holder__in=people).count() >= LEARNERS
    assert SurveyAnswer.objects.filter(response__invitation__user__in=people).exists()
    assert scale_sessions().count() == LEARNERS // 50

    a_long_history(modules)
    certificates_as_the_service_makes_them()
    the_session_of_forty()

    generate(learners=LEARNERS, confirmed=True)  # already there: nothing added
    assert scale_users().count() == LEARNERS + 1

    generate(delete=True, confirmed=True)
    assert counts() == before
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert get_user_model().objects.filter(email="reelle@example.org").exists()


def a_long_history(modules):
    learner = get_user_model().objects.get(email=LONG_HISTORY_EMAIL)
    assert learner.module_completions.count() == len(modules)
    assert learner.quiz_attempts.count() == 3 * len(modules)
    # Each certificate re-issued once: the replaced one beside the one in force.
    assert learner.certificates.count() == 2 * len(modules)
    assert learner.certificates.current().count() == len(modules)


def certificates_as_the_service_makes_them():
    numbers = Certificate.objects.filter(holder__in=scale_users())
    for certificate in numbers:
        assert re.fullmatch(
            rf"RP-{certificate.year}-{certificate.sequence:06d}", certificate.number
        )
        assert normalise_code(certificate.display_code) == certificate.code
    assert not numbers.values("code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The year's sequence continues after the generated numbers.
    for year, last in CertificateSequence.objects.values_list("year", "last_number"):
        assert last == max(numbers.filter(year=year).values_list("sequence", flat=True))


def the_session_of_forty():
    session = TrainingSession.objects.get(title=BIG_SESSION_TITLE)
    assert session.trainers.filter(email=TRAINER_EMAIL).exists()
    assert session.registrations.count() == BIG_SESSION_SIZE
    assert session.slots.count() == 2
    marked = Attendance.objects.filter(slot__session=session)
    assert marked.values("registration").distinct().count() in (0, BIG_SESSION_SIZE)


def test_delete_also_removes_what_the_services_wrote_since(modules):
    from courses.modules.services import start_attempt

    generate(learners=LEARNERS, confirmed=True)
    ready = (
        Enrolment.objects.filter(user__in=scale_users())
        .exclude(user__quiz_attempts__module=modules[0][0])
        .filter(module=modules[0][0])
        .select_related("user")
    )
    from courses.modules.services import all_lessons_done

    learner = next(e.user for e in ready if all_lessons_done(e.user, modules[0][0]))
    start_attempt(learner, modules[0][2])
    generate(delete=True, confirmed=True)
    assert not scale_users().exists()
    assert not QuizAttempt.objects.exists()
