"""The demo's eighteen months of history: every pilotage figure has something to show."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from courses.models import Attendance, Registration, TrainingSession
from courses.models.learning import (
    AttemptChoice,
    Enrolment,
    ModuleCompletion,
    PositioningAnswer,
    QuizAttempt,
)
from courses.modules.services import is_answer_right
from demo.history import DOMAIN, LEARNERS, MONTHS
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyResponse
from tests.demo.test_load_demo import load

pytestmark = pytest.mark.django_db


def test_the_history(settings):
    """One load for every check: loading the demo world takes seconds."""
    history = load("--force")
    for check in (
        three_hundred_fictitious_people_who_cannot_log_in,
        spread_over_eighteen_months_with_finishers_and_dropouts,
        sectors_workplaces_and_trades_vary,
        quiz_attempts_are_graded_as_the_services_grade,
        sessions_with_waiting_lists_and_half_day_attendance,
        satisfaction_answers_hold_what_a_real_answer_would,
        self_positioning_before_and_after,
        a_second_load_adds_nothing,
    ):
        check(history)


def learners():
    return get_user_model().objects.filter(email__endswith=f"@{DOMAIN}")


def three_hundred_fictitious_people_who_cannot_log_in(history):
    people = learners()
    assert people.count() == LEARNERS
    assert not any(person.has_usable_password() for person in people)
    assert all("(exemple)" in person.organisation for person in people)
    assert "300 professionnel·le·s fictif·ve·s" in history


def spread_over_eighteen_months_with_finishers_and_dropouts(history):
    now = timezone.now()
    enrolments = Enrolment.objects.filter(user__in=learners())
    span = enrolments.aggregate(first=Min("started_at"), last=Max("started_at"))
    assert span["first"] < now - timedelta(days=30 * (MONTHS - 2))
    assert span["last"] > now - timedelta(days=30)
    completed = ModuleCompletion.objects.filter(user__in=learners()).count()
    dropped = enrolments.filter(last_activity_at__lt=now - timedelta(days=21)).count() - completed
    assert 0.5 * enrolments.count() < completed < enrolments.count()
    assert dropped > 10
    months = {e.started_at.strftime("%Y-%m") for e in enrolments.only("started_at")}
    assert len(months) >= MONTHS - 1


def sectors_workplaces_and_trades_vary(history):
    people = learners()
    assert people.values("sector").distinct().count() >= 6
    assert people.exclude(workplace_commune="").values("workplace_commune").distinct().count() > 15
    assert people.filter(workplace_commune="").exclude(workplace_departement="").exists()
    assert people.filter(sector="").exists()  # some never said


def quiz_attempts_are_graded_as_the_services_grade(history):
    attempts = QuizAttempt.objects.filter(user__in=learners())
    assert attempts.filter(number=1, passed=False).exists()
    assert attempts.filter(number=1, passed=True).count() > attempts.filter(number=1).count() / 2
    for attempt in attempts.prefetch_related("answers")[:20]:
        chosen = {a.question_id: a.choice_ids for a in attempt.answers.all()}
        right = sum(is_answer_right(q, chosen[q["id"]]) for q in attempt.questions)
        assert attempt.score == round(100 * right / len(attempt.questions))
    # The item analysis reads its own rows: they exist for every attempt.
    assert AttemptChoice.objects.filter(attempt__in=attempts).values(
        "attempt"
    ).distinct().count() == (attempts.count())


def sessions_with_waiting_lists_and_half_day_attendance(history):
    sessions = TrainingSession.objects.filter(title__endswith="(exemple)", status="finished")
    assert sessions.count() >= 10
    registrations = Registration.objects.filter(session__in=sessions)
    assert registrations.filter(status="waiting").exists()
    marks = Attendance.objects.filter(registration__in=registrations)
    assert marks.filter(status="absent").exists() and marks.filter(status="present").exists()
    assert marks.values("slot").distinct().count() == 2 * sessions.count()


def satisfaction_answers_hold_what_a_real_answer_would(history):
    responses = SurveyResponse.objects.filter(invitation__user__in=learners())
    kinds = dict(responses.values_list("kind").annotate(n=Count("id")))
    assert kinds[SurveyKind.HOT] > kinds[SurveyKind.COLD] > 20
    assert responses.filter(session__isnull=False).exists()
    invited = SurveyInvitation.objects.filter(user__in=learners())
    assert invited.filter(answered_at__isnull=True).exists()  # response rates below 100 %
    assert not invited.filter(due_at__gt=timezone.now(), answered_at__isnull=False).exists()
    answers = SurveyAnswer.objects.filter(response__in=responses)
    satisfaction = answers.filter(is_satisfaction=True)
    assert satisfaction.filter(value__gte=4).exists() and satisfaction.filter(value__lte=3).exists()
    assert (
        not answers.filter(question_type="scale").filter(Q(value__lt=1) | Q(value__gt=5)).exists()
    )


def self_positioning_before_and_after(history):
    ratings = PositioningAnswer.objects.filter(user__in=learners())
    assert ratings.filter(moment="before").exists() and ratings.filter(moment="after").exists()
    # Nobody rated « after » without « before ».
    after_only = ratings.filter(moment="after").exclude(user__positioning_answers__moment="before")
    assert not after_only.exists()


def a_second_load_adds_nothing(history):
    counts = (learners().count(), SurveyResponse.objects.count(), TrainingSession.objects.count())
    output = load("--force")
    assert "Historique de démo : 0" in output
    assert (
        learners().count(),
        SurveyResponse.objects.count(),
        TrainingSession.objects.count(),
    ) == (counts)
