"""What the self-paced wing holds about a person, for « Mes données » and deletion.

Registered with the accounts app (`accounts.privacy.registry`) by CoursesConfig.ready:
enrolments, lesson progress, quiz attempts with the answers as the person read them,
completions, self-positioning answers (the statements as read). They go with the account: completions first, because they protect the
quiz attempt they were granted for (`on_delete=PROTECT`), which the cascade from the
user row would otherwise refuse to delete.
"""

from accounts.privacy import registry
from courses.models import (
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    PositioningAnswer,
    QuizAttempt,
)
from courses.models.learning import AttemptStatus
from courses.modules.services import is_answer_right


def register():
    registry.register_section(
        registry.Section(
            name="courses.modules",
            order=20,
            export={"learning": learning},
            template="courses/modules/privacy/my_data.html",
        )
    )
    registry.register_erasure(
        registry.Erasure(name="courses.modules", order=20, erase=erase_completions)
    )


def erase_completions(user):
    ModuleCompletion.objects.filter(user=user).delete()
    # The cascade from the user row would do it too; said here so that no later
    # change of `on_delete` can keep a person's self-ratings.
    PositioningAnswer.objects.filter(user=user).delete()


def learning(user):
    return {
        "enrolments": [
            {
                "module": row.module.title,
                "started_at": row.started_at,
                "last_activity_at": row.last_activity_at,
                "dropout_reminded_at": row.dropout_reminded_at,
            }
            for row in Enrolment.objects.filter(user=user)
            .select_related("module")
            .order_by("started_at", "pk")
        ],
        "lessons": [
            {
                "module": row.module.title,
                "lesson": row.lesson.title,
                "first_visit_at": row.first_visit_at,
                "last_visit_at": row.last_visit_at,
                "visits": row.visits,
                "time_spent_seconds": row.time_spent_seconds,
                "completed_at": row.completed_at,
            }
            for row in LessonProgress.objects.filter(user=user)
            .select_related("module", "lesson")
            .order_by("module_id", "first_visit_at", "pk")
        ],
        "quiz_attempts": [
            quiz_attempt(row)
            for row in QuizAttempt.objects.filter(user=user)
            .select_related("module")
            .prefetch_related("answers")
            .order_by("started_at", "pk")
        ],
        "completions": [
            {
                "module": row.module.title,
                "completed_at": row.completed_at,
                "score": row.score,
                "time_spent_seconds": row.time_spent_seconds,
            }
            for row in ModuleCompletion.objects.filter(user=user)
            .select_related("module")
            .order_by("completed_at", "pk")
        ],
        "positioning": [
            {
                "module": row.module.title,
                "moment": row.moment,
                "moment_label": str(row.get_moment_display()),
                "statement": row.statement,
                "value": row.value,
                "answered_at": row.answered_at,
            }
            for row in PositioningAnswer.objects.filter(user=user)
            .select_related("module")
            .order_by("module_id", "moment", "pk")
        ],
    }


def quiz_attempt(attempt):
    submitted = attempt.status == AttemptStatus.SUBMITTED
    questions = {question["id"]: question for question in attempt.questions}
    return {
        "module": attempt.module.title,
        "number": attempt.number,
        "status": attempt.status,
        "status_label": str(attempt.get_status_display()),
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "answers": [
            quiz_answer(questions.get(answer.question_id), answer, submitted)
            for answer in sorted(attempt.answers.all(), key=lambda a: a.pk)
        ],
    }


def quiz_answer(question, answer, submitted):
    """The question and the choices the person ticked, as they read them.

    Whether the answer was right is given once the attempt is submitted, as on the
    result page; the right choices themselves never are.
    """
    question = question or {"prompt": "", "choices": []}
    texts = {choice["id"]: choice["text"] for choice in question["choices"]}
    return {
        "question": question["prompt"],
        "chosen": [texts.get(choice_id, choice_id) for choice_id in answer.choice_ids],
        "answered_at": answer.answered_at,
        "right": is_answer_right(question, answer.choice_ids) if submitted else None,
    }
