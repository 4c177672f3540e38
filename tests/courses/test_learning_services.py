"""Learning services: enrolment, lessons, attempts, grading, completion (codes asserted)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import AttemptAnswer, Enrolment, LessonProgress, ModuleCompletion, QuizAttempt
from courses.modules import services
from courses.modules.errors import CourseError
from courses.modules.signals import module_completed

from .factories import (
    LessonPageFactory,
    ModulePageFactory,
    QuizPageFactory,
    build_module,
    choice,
    multiple_choice,
    single_choice,
    true_false,
)
from .learning_helpers import finish_lessons, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_enrol_is_idempotent(professional):
    module, _, _ = build_module()
    first = services.enrol(professional, module)
    assert services.enrol(professional, module) == first
    assert Enrolment.objects.count() == 1


def test_visits_count_and_time_is_credited_to_the_open_lesson_capped(professional):
    module, (one, two), _ = build_module()
    start = timezone.now()
    services.record_lesson_visit(professional, one, now=start)
    services.record_lesson_visit(professional, two, now=start + timedelta(minutes=5))
    services.record_lesson_visit(professional, two, now=start + timedelta(hours=5))
    first = LessonProgress.objects.get(lesson=one)
    second = LessonProgress.objects.get(lesson=two)
    assert first.time_spent_seconds == 300
    assert second.visits == 2
    assert second.time_spent_seconds == 30 * 60  # a long gap is a break: capped
    assert Enrolment.objects.filter(user=professional, module=module).exists()


def test_complete_lesson_is_idempotent(professional):
    _, (lesson, _), _ = build_module()
    first = services.complete_lesson(professional, lesson)
    again = services.complete_lesson(professional, lesson)
    assert again.completed_at == first.completed_at
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1


def test_lesson_of_unpublished_module_is_refused(professional):
    module, (lesson, _), _ = build_module()
    module.unpublish()
    with pytest.raises(CourseError) as excinfo:
        services.complete_lesson(professional, lesson)
    assert excinfo.value.code == "module_not_live"
    assert not LessonProgress.objects.exists()


def test_locked_lesson_in_sequential_mode_is_refused(professional):
    _, (one, two), _ = build_module(pathway_mode="sequential")
    with pytest.raises(CourseError) as excinfo:
        services.complete_lesson(professional, two)
    assert excinfo.value.code == "lesson_locked"
    services.complete_lesson(professional, one)
    assert services.complete_lesson(professional, two).completed_at is not None


def test_quiz_needs_every_lesson_done(professional):
    _, (one, _), quiz = build_module()
    services.complete_lesson(professional, one)
    with pytest.raises(CourseError) as excinfo:
        services.start_attempt(professional, quiz)
    assert excinfo.value.code == "lessons_incomplete"


def test_start_returns_the_open_attempt(professional):
    _, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    first = services.start_attempt(professional, quiz)
    assert services.start_attempt(professional, quiz).pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_attempt_limit(professional):
    _, lessons, quiz = build_module(max_attempts=2)
    finish_lessons(professional, lessons)
    for number in (1, 2):
        attempt = services.start_attempt(professional, quiz)
        assert attempt.number == number
        services.submit_attempt(professional, attempt, wrong_answers(attempt))
    with pytest.raises(CourseError) as excinfo:
        services.start_attempt(professional, quiz)
    assert excinfo.value.code == "attempts_exhausted"


def test_no_new_attempt_once_passed(professional):
    _, lessons, quiz = build_module(max_attempts=0)
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    with pytest.raises(CourseError) as excinfo:
        services.start_attempt(professional, quiz)
    assert excinfo.value.code == "already_passed"


def test_snapshot_draws_and_shuffles_without_losing_choices(professional):
    module = ModulePageFactory()
    lesson = LessonPageFactory(parent=module)
    questions = [single_choice(prompt=f"Question {n}") for n in range(6)]
    quiz = QuizPageFactory(
        parent=module,
        questions=questions,
        questions_drawn=4,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    services.complete_lesson(professional, lesson)
    attempt = services.start_attempt(professional, quiz)
    assert len(attempt.questions) == 4
    assert len({q["id"] for q in attempt.questions}) == 4
    for question in attempt.questions:
        assert sorted(c["text"] for c in question["choices"]) == sorted(
            ["Le ou la mineur·e", "Personne", "Le client"]
        )


def test_snapshot_is_frozen_when_the_quiz_is_edited(professional):
    _, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    frozen = attempt.questions
    quiz.questions = [single_choice(prompt="Une toute autre question")]
    quiz.save_revision().publish()
    attempt.refresh_from_db()
    assert attempt.questions == frozen
    graded = services.submit_attempt(professional, attempt, right_answers(attempt))
    assert graded.score == 100


def _attempt(user, **module_fields):
    _, lessons, quiz = build_module(**module_fields)
    finish_lessons(user, lessons)
    return services.start_attempt(user, quiz)


def _question(attempt, kind):
    return next(q for q in attempt.questions if q["kind"] == kind)


@pytest.mark.parametrize(
    "case", ["unknown", "other_question", "duplicated", "several_on_single", "unknown_question"]
)
def test_invalid_choice_ids_store_nothing(professional, case):
    attempt = _attempt(professional)
    single = _question(attempt, "single_choice")
    multiple = _question(attempt, "multiple_choice")
    question_id, ids = {
        "unknown": (single["id"], ["nope"]),
        "other_question": (single["id"], [multiple["choices"][0]["id"]]),
        "duplicated": (multiple["id"], [multiple["choices"][0]["id"]] * 2),
        "several_on_single": (single["id"], [c["id"] for c in single["choices"][:2]]),
        "unknown_question": ("not-a-question", [single["choices"][0]["id"]]),
    }[case]
    with pytest.raises(CourseError) as excinfo:
        services.save_answer(professional, attempt, question_id, ids)
    assert excinfo.value.code in {"invalid_choice", "unknown_question"}
    assert not AttemptAnswer.objects.exists()


def test_a_batch_with_one_bad_answer_stores_nothing(professional):
    attempt = _attempt(professional)
    answers = right_answers(attempt)
    answers[_question(attempt, "single_choice")["id"]] = ["nope"]
    with pytest.raises(CourseError):
        services.save_answers(professional, attempt, answers)
    assert not AttemptAnswer.objects.exists()


def test_answers_are_saved_and_replaced(professional):
    attempt = _attempt(professional)
    single = _question(attempt, "single_choice")
    services.save_answer(professional, attempt, single["id"], [single["choices"][1]["id"]])
    services.save_answer(professional, attempt, single["id"], [single["choices"][0]["id"]])
    answer = AttemptAnswer.objects.get()
    assert answer.choice_ids == [single["choices"][0]["id"]]


def test_scoring_is_all_or_nothing_per_question(professional):
    attempt = _attempt(professional)
    answers = right_answers(attempt)
    multiple = _question(attempt, "multiple_choice")
    answers[multiple["id"]] = answers[multiple["id"]][:1]  # one right box of two: wrong
    graded = services.submit_attempt(professional, attempt, answers)
    assert graded.score == round(100 * 2 / 3)
    assert graded.passed is False


def test_submit_needs_every_answer(professional):
    attempt = _attempt(professional)
    with pytest.raises(CourseError) as excinfo:
        services.submit_attempt(professional, attempt)
    assert excinfo.value.code == "unanswered"


def test_an_incomplete_submit_keeps_the_answers_sent(professional):
    """« Valider » with a question left blank: refused, the other answers saved."""
    attempt = _attempt(professional)
    answers = right_answers(attempt)
    blank = attempt.questions[-1]["id"]
    answers[blank] = []
    with pytest.raises(CourseError) as excinfo:
        services.submit_attempt(professional, attempt, answers)
    assert excinfo.value.code == "unanswered"
    saved = dict(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "choice_ids")
    )
    assert saved == {qid: ids for qid, ids in answers.items() if ids}
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("in_progress", None)


def test_second_submit_returns_the_first_result(professional):
    attempt = _attempt(professional)
    first = services.submit_attempt(professional, attempt, wrong_answers(attempt))
    again = services.submit_attempt(professional, attempt, right_answers(attempt))
    assert (again.score, again.passed, again.submitted_at) == (
        first.score,
        first.passed,
        first.submitted_at,
    )
    with pytest.raises(CourseError) as excinfo:
        services.save_answers(professional, attempt, right_answers(attempt))
    assert excinfo.value.code == "attempt_closed"


def test_passing_completes_the_module_once_and_signals_once(professional):
    received = []

    def receiver(sender, completion, **kwargs):
        received.append(completion)

    module_completed.connect(receiver)
    try:
        attempt = _attempt(professional)
        services.submit_attempt(professional, attempt, right_answers(attempt))
        services.complete_module(professional, attempt.module)
    finally:
        module_completed.disconnect(receiver)
    completion = ModuleCompletion.objects.get()
    assert received == [completion]
    assert completion.score == 100
    assert completion.attempt == attempt


def test_reveal_rules(professional):
    attempt = _attempt(professional, max_attempts=2)
    services.submit_attempt(professional, attempt, wrong_answers(attempt))
    results = services.attempt_results(attempt, wrong_answers(attempt), attempts_used=1)
    assert all(choice["correct"] is None for r in results for choice in r.choices)
    # The chosen choice's feedback is shown; the others' is not.
    assert all(sum(1 for c in r.choices if c["feedback"]) == 1 for r in results)
    last = services.attempt_results(attempt, wrong_answers(attempt), attempts_used=2)
    assert any(choice["correct"] for r in last for choice in r.choices)


def test_true_false_is_graded(professional):
    module = ModulePageFactory()
    quiz = QuizPageFactory(parent=module, questions=[true_false(answer=True)])
    attempt = services.start_attempt(professional, quiz)
    question = attempt.questions[0]
    vrai = next(c for c in question["choices"] if c["text"] == "Vrai")
    assert services.submit_attempt(professional, attempt, {question["id"]: [vrai["id"]]}).passed


def test_next_step_walks_lessons_then_quiz(professional):
    module, (one, two), quiz = build_module()
    assert services.next_step(professional, module) == one
    services.complete_lesson(professional, one)
    assert services.next_step(professional, module) == two
    services.complete_lesson(professional, two)
    assert services.next_step(professional, module).pk == quiz.pk
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    assert services.next_step(professional, module) is None


def test_dashboard_lists_progress_completion_and_attempts(professional):
    module, (one, _), _ = build_module()
    done_module, lessons, quiz = build_module()
    services.complete_lesson(professional, one)
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    dashboard = services.learner_dashboard(professional)
    assert [p.module for p in dashboard.in_progress] == [module]
    assert dashboard.in_progress[0].percentage == 33
    assert [c.module for c in dashboard.completed] == [done_module]
    assert [a.pk for a in dashboard.attempts] == [attempt.pk]


def test_choice_ids_are_those_of_the_stream(professional):
    module = ModulePageFactory()
    quiz = QuizPageFactory(
        parent=module,
        questions=[
            multiple_choice(
                choices=[choice("A", True, id="choice-a"), choice("B", False, id="choice-b")]
            )
        ],
    )
    attempt = services.start_attempt(professional, quiz)
    assert [c["id"] for c in attempt.questions[0]["choices"]] == ["choice-a", "choice-b"]


def test_learner_actions_reach_the_audit_log(professional):
    from wagtail.models import ModelLogEntry

    _module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    actions = list(ModelLogEntry.objects.filter(user=professional).values_list("action", flat=True))
    for action in (
        "reperes.module_enrol",
        "reperes.lesson_complete",
        "reperes.quiz_start",
        "reperes.quiz_submit",
        "reperes.module_complete",
    ):
        assert action in actions, action
    assert actions.count("reperes.lesson_complete") == len(lessons)
