"""Attempt limit under parallel « Commencer » + « Valider » (PostgreSQL row locks)."""

import threading

import pytest
from django.db import close_old_connections, connection

from courses.models import QuizAttempt
from courses.modules import services
from courses.modules.errors import CourseError

from .factories import build_module
from .learning_helpers import finish_lessons, wrong_answers

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
