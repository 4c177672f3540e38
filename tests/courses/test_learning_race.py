"""Attempt limit under parallel « Commencer » + « Valider » (PostgreSQL row locks)."""

import threading

import pytest
from django.db import close_old_connections, connection
from wagtail.models import ModelLogEntry

from courses.models import AttemptAnswer, AttemptChoice, QuizAttempt
from courses.modules import services
from courses.modules.errors import CourseError
from tests.concurrency import run_in_parallel

from .factories import build_module
from .learning_helpers import finish_lessons, right_answers, wrong_answers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 20


def test_parallel_starts_and_submits_never_exceed_the_limit(professional):
    _, lessons, quiz = build_module(max_attempts=3)
    finish_lessons(professional, lessons)
    barrier = threading.Barrier(THREADS)
    errors = []

    def learner_clicks():
        try:
            barrier.wait()
            # Each thread keeps clicking « Commencer » then « Valider » until refused.
            while True:
                try:
                    attempt = services.start_attempt(professional, quiz)
                except CourseError as error:
                    assert error.code == "attempts_exhausted"
                    return
                try:
                    services.submit_attempt(professional, attempt, wrong_answers(attempt))
                except CourseError as error:
                    # Another thread graded this attempt first.
                    assert error.code == "attempt_closed"
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=learner_clicks) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    assert errors == []
    attempts = QuizAttempt.objects.filter(user=professional, quiz=quiz)
    assert sorted(attempts.values_list("number", flat=True)) == [1, 2, 3]
    assert all(attempt.status == "submitted" for attempt in attempts)


def test_parallel_valider_grades_the_attempt_once(professional):
    """Double clicks and tabs: « Valider » with different answers at once. One of
    them is saved and graded; the others see the graded attempt and change nothing."""
    _, lessons, quiz = build_module(max_attempts=0)
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    forms = [right_answers(attempt), wrong_answers(attempt)] * (THREADS // 4)

    results, errors = run_in_parallel(
        lambda answers: services.submit_attempt(professional, attempt, answers), forms
    )

    assert errors == []
    attempt.refresh_from_db()
    assert {(r.score, r.passed, r.submitted_at) for r in results} == {
        (attempt.score, attempt.passed, attempt.submitted_at)
    }
    chosen = dict(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "choice_ids")
    )
    assert chosen in (right_answers(attempt), wrong_answers(attempt))
    assert attempt.score == (100 if chosen == right_answers(attempt) else 0)
    picked = AttemptChoice.objects.filter(attempt=attempt)
    assert sorted(picked.values_list("choice_id", flat=True)) == sorted(
        choice_id for ids in chosen.values() for choice_id in ids
    )
    assert ModelLogEntry.objects.filter(action="reperes.quiz_submit").count() == 1


def test_parallel_completions_make_one_with_its_certificate_and_invitations(professional):
    """Two passed attempts graded at once (two tabs) both complete the module: one
    completion, inserted in a savepoint; the others get the constraint's refusal and
    return it. Its receivers ran once: one certificate, two invitations, one log entry
    each."""
    from certificates.models import Certificate
    from courses.models import ModuleCompletion
    from surveys.models import SurveyInvitation
    from surveys.setup import ensure_platform_defaults

    ensure_platform_defaults()
    module, lessons, quiz = build_module(max_attempts=0)
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    # Set-up only: back to a passed attempt whose completion is not recorded yet.
    Certificate.objects.all().delete()
    SurveyInvitation.objects.all().delete()
    ModuleCompletion.objects.all().delete()
    ModelLogEntry.objects.all().delete()

    results, errors = run_in_parallel(
        lambda _: services.complete_module(professional, module).pk, range(THREADS)
    )

    assert errors == []
    completion = ModuleCompletion.objects.get(user=professional, module=module)
    assert set(results) == {completion.pk}
    assert Certificate.objects.get(module=module).completion_id == completion.pk
    assert SurveyInvitation.objects.filter(user=professional, module=module).count() == 2
    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert sorted(actions) == [
        "reperes.certificate_issue",
        "reperes.module_complete",
        "reperes.survey_invite",
        "reperes.survey_invite",
    ]
