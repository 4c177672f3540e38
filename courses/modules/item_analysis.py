"""Item analysis of a quiz: which questions learners get wrong, and which wrong choice
they pick, so that editors can improve the lessons and the questions.

Counted in the database over the rows written at grading (`AttemptAnswer.is_correct`,
`AttemptChoice`), for the attempts submitted in a period: three queries whatever the
number of attempts. Questions are grouped by their stable block id, so a question
edited later keeps its history; its wording is the one of the most recent attempt
that asked it (the snapshot read by id: one row per question at most).

Small cells (`core.small_cells`): a question answered by fewer than 5 people shows
« < 5 » and no percentage, and so does a wrong choice picked by 1 to 4 people (one
picked by nobody shows 0).
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from core.small_cells import THRESHOLD, is_small
from courses.models import AttemptAnswer, AttemptChoice, QuizAttempt
from courses.models.learning import AttemptStatus

# A figure that counts fewer people than this is shown as « < 5 » (DESIGN.md).
MIN_PEOPLE = THRESHOLD


@dataclass
class WrongChoice:
    choice_id: str
    text: str
    picked: int
    people: int
    answers: int

    @property
    def hidden(self):
        return is_small(self.people)

    @property
    def percent(self):
        return None if self.hidden or not self.answers else round(100 * self.picked / self.answers)


@dataclass
class QuestionFigures:
    question_id: str
    prompt: str
    kind: str
    in_quiz: bool
    answers: int
    right: int
    people: int
    wrong_choices: list = field(default_factory=list)

    @property
    def hidden(self):
        return self.people < MIN_PEOPLE

    @property
    def right_percent(self):
        return None if self.hidden or not self.answers else round(100 * self.right / self.answers)


@dataclass
class ItemAnalysis:
    quiz: object
    start: object
    end: object
    questions: list

    @property
    def answered(self):
        return any(question.answers for question in self.questions)


def period_bounds(start, end):
    """Aware datetimes covering the days `start` to `end` included (Europe/Paris)."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return first, after


def quiz_item_analysis(quiz, start, end):
    """Per question of `quiz`: answers, right answers, and each wrong choice's picks."""
    first, after = period_bounds(start, end)
    in_period = Q(
        attempt__status=AttemptStatus.SUBMITTED,
        attempt__submitted_at__gte=first,
        attempt__submitted_at__lt=after,
    )
    per_question = (
        AttemptAnswer.objects.filter(in_period, attempt__quiz=quiz)
        .values("question_id")
        .annotate(
            answers=Count("pk"),
            right=Count("pk", filter=Q(is_correct=True)),
            people=Count("attempt__user", distinct=True),
            last_attempt=Max("attempt_id"),
        )
        .order_by()
    )
    per_choice = (
        AttemptChoice.objects.filter(in_period, quiz=quiz, is_correct=False)
        .values("question_id", "choice_id")
        .annotate(
            picked=Count("pk"),
            people=Count("attempt__user", distinct=True),
            last_attempt=Max("attempt_id"),
        )
        .order_by()
    )
    per_question, per_choice = list(per_question), list(per_choice)
    snapshots = _snapshots({row["last_attempt"] for row in [*per_question, *per_choice]})
    return ItemAnalysis(
        quiz=quiz,
        start=start,
        end=end,
        questions=_questions(quiz, per_question, per_choice, snapshots),
    )


def _snapshots(attempt_ids):
    """{attempt id: {question id: question}} for the most recent attempts (one query)."""
    if not attempt_ids:
        return {}
    rows = QuizAttempt.objects.filter(pk__in=attempt_ids).values_list("pk", "questions")
    return {pk: {question["id"]: question for question in questions} for pk, questions in rows}


def _questions(quiz, per_question, per_choice, snapshots):
    """Assemble the aggregates, in the quiz's current order; removed questions last.

    Loops over the quiz's questions and their choices (bounded by the quiz), never
    over attempts.
    """
    current = [block["id"] for block in quiz.questions.raw_data]
    choices_by_question = {}
    for row in per_choice:
        choices_by_question.setdefault(row["question_id"], []).append(row)
    questions = []
    for row in per_question:
        question = snapshots[row["last_attempt"]][row["question_id"]]
        figures = QuestionFigures(
            question_id=row["question_id"],
            prompt=question["prompt"],
            kind=question["kind"],
            in_quiz=row["question_id"] in current,
            answers=row["answers"],
            right=row["right"],
            people=row["people"],
        )
        figures.wrong_choices = _wrong_choices(
            question, choices_by_question.get(row["question_id"], []), snapshots, row["answers"]
        )
        questions.append(figures)
    position = {question_id: index for index, question_id in enumerate(current)}
    questions.sort(key=lambda q: (position.get(q.question_id, len(current)), q.prompt))
    return questions


def _wrong_choices(question, rows, snapshots, answers):
    """Every wrong choice of the latest wording, picked or not, and any older one picked."""
    picked = {row["choice_id"]: row for row in rows}
    choices = [
        WrongChoice(choice["id"], choice["text"], 0, 0, answers)
        for choice in question["choices"]
        if not choice["correct"]
    ]
    shown = {choice.choice_id for choice in choices}
    for row in rows:
        if row["choice_id"] not in shown:
            older = snapshots[row["last_attempt"]][row["question_id"]]
            text = next(c["text"] for c in older["choices"] if c["id"] == row["choice_id"])
            choices.append(WrongChoice(row["choice_id"], text, 0, 0, answers))
    for choice in choices:
        if row := picked.get(choice.choice_id):
            choice.picked, choice.people = row["picked"], row["people"]
    return choices
