"""Queries compiled once (`core.prepared`), read as tuples (`rows`): the same rows as
the ORM's, for each call's own values, dates and booleans converted as the ORM converts
them; a UNION on the same ids; a parameter prepared by its field (a UUID)."""

from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from core.prepared import INT, FieldValue, PreparedQuery
from courses.models import ModuleCompletion, QuizAttempt
from courses.modules import services
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user
from tests.courses.factories import build_module
from tests.courses.learning_helpers import finish_lessons, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def attempts_of(user_id, module_id):
    return (
        QuizAttempt.objects.filter(user_id=user_id, module_id=module_id)
        .order_by("number")
        .values_list("pk", "number", "started_at", "submitted_at", "score", "passed")
    )


ATTEMPTS = PreparedQuery(attempts_of, user_id=INT, module_id=INT)


@pytest.fixture
def history(django_user_model):
    """Two learners with attempts at the same module: one failed, one passed."""
    module, lessons, quiz = build_module(lessons=1, max_attempts=0)
    people = [make_user(django_user_model, f"p{n}@example.org") for n in range(2)]
    for person in people:
        finish_lessons(person, lessons)
        for answers in (wrong_answers, right_answers):
            attempt = services.start_attempt(person, quiz)
            services.submit_attempt(person, attempt, answers(attempt))
    return module, people


def test_the_rows_are_the_orms_for_each_calls_values(history):
    module, people = history
    for person in people:
        rows = ATTEMPTS.rows(user_id=person.pk, module_id=module.pk)
        assert rows == list(attempts_of(person.pk, module.pk))
        assert [row[5] for row in rows] == [False, True]
        assert rows[0][2].tzinfo is not None  # aware datetimes, as the ORM gives them
    assert ATTEMPTS.rows(user_id=people[0].pk, module_id=module.pk + 1000) == []


def test_a_parameter_missing_from_the_query_is_refused():
    prepared = PreparedQuery(lambda user_id: QuizAttempt.objects.values_list("pk"), user_id=INT)
    with pytest.raises(ValueError, match="user_id"):
        prepared.rows(user_id=1)


def test_module_progress_reads_the_learners_rows_in_one_query(history):
    """The module and quiz pages' progress: enrolment, lessons done, attempts and
    completion in one query, the instances the ORM would have built."""
    module, (person, _other) = history
    lessons, quiz = module.live_lessons(), module.live_quiz()
    with CaptureQueriesContext(connection) as queries:
        progress = services.module_progress(person, module, lessons, quiz)
    assert len(queries) == 1
    assert progress.enrolled
    assert progress.completed_ids == {lesson.pk for lesson in lessons}
    expected = list(QuizAttempt.objects.filter(user=person, module=module).order_by("number"))
    fields = ["pk", "user_id", "module_id", "quiz_id", "number", "status", "started_at"]
    fields += ["submitted_at", "score", "passed"]
    assert [[getattr(a, f) for f in fields] for a in progress.attempts] == [
        [getattr(a, f) for f in fields] for a in expected
    ]
    assert progress.attempts[0].questions == expected[0].questions  # deferred, then read
    completion = ModuleCompletion.objects.get(user=person, module=module)
    fields = ["pk", "completed_at", "score", "time_spent_seconds", "attempt_id"]
    assert [getattr(progress.completion, f) for f in fields] == [
        getattr(completion, f) for f in fields
    ]
    assert progress.passed and progress.percentage == 100


# --- A parameter of another type, prepared by its field (a certificate's UUID) ----------

UUID_FIELD = FieldValue(Certificate._meta.get_field("uuid"), UUID(int=0))


def by_uuid_and_holder(uuid, holder):
    return Certificate.objects.filter(uuid=uuid, holder=holder).order_by().values_list("number")


def test_typed_parameters_run_with_each_calls_values(django_user_model):
    first, second = (make_user(django_user_model, f"c{n}@example.org") for n in range(2))
    mine, theirs = make_certificate(first), make_certificate(second)
    lookup = PreparedQuery(by_uuid_and_holder, holder=INT, uuid=UUID_FIELD)
    with CaptureQueriesContext(connection) as queries:
        assert lookup.rows(uuid=mine.uuid, holder=first.pk) == [(mine.number,)]
        assert lookup.rows(uuid=theirs.uuid, holder=second.pk) == [(theirs.number,)]
        # Another person's certificate, an unknown one: no row.
        assert lookup.rows(uuid=mine.uuid, holder=second.pk) == []
        assert lookup.rows(uuid=UUID(int=5), holder=first.pk) == []
    assert len(lookup._compiled) == 1  # compiled once, for this connection
    assert len(queries) == 4


def test_every_value_is_required():
    lookup = PreparedQuery(by_uuid_and_holder, holder=INT, uuid=UUID_FIELD)
    with pytest.raises(TypeError):
        lookup.rows(uuid=UUID(int=1))
