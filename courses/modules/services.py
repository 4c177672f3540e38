"""Domain actions of self-paced learning: enrolment, lessons, quiz attempts, completion.

Every state change runs in `transaction.atomic()`, locks the row it depends on, is
idempotent (a repeated call returns the first result) and is logged. Refusals raise
`CourseError` with a stable code (see `courses/modules/errors.py`).

The quiz is graded here, against the attempt's frozen snapshot: the browser never
receives which choices are correct, their feedback or the explanation before
« Valider » is accepted.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import (
    DEFERRED,
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.audit import log_entries
from core.prepared import INT, PreparedQuery
from courses.models import (
    AttemptAnswer,
    AttemptChoice,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    ModulePage,
    QuizAttempt,
    QuizPage,
)
from courses.models.learning import AttemptStatus
from courses.modules.errors import CourseError
from courses.modules.signals import module_completed

logger = logging.getLogger("reperes.courses")

# A gap longer than this between two actions is a break, not reading time.
MAX_CREDITED_GAP = timedelta(minutes=30)

# A lesson visit moves the enrolment's last activity (dropout follow-up, counted in
# days) only when the learner's previous visit in the module is older than this:
# that visit moved it already, so a reader going from lesson to lesson costs one
# UPDATE less per page, and the date is late by this much at most.
ACTIVITY_PRECISION = timedelta(minutes=10)

# Shuffling and drawing must not be predictable from the outside (`random` seeds are).
_rng = random.SystemRandom()

TRUE_LABEL = gettext_noop("Vrai")
FALSE_LABEL = gettext_noop("Faux")


def record(action, instance, user, **data):
    """Log a learner action to the application log and to Wagtail's audit log."""
    logger.info(action, extra={"user_id": user.pk, "object_id": instance.pk, **data})
    # Without Wagtail's two SELECTs checking that the content type and the user exist.
    log_entries([(instance, action, user, data)])


# --- Reading the module's structure ----------------------------------------------------


def module_of(page):
    """The live-or-not ModulePage that holds a lesson or a quiz (one query at most)."""
    parent = getattr(page, "_cached_parent_obj", None)
    if isinstance(parent, ModulePage):
        return parent
    module = ModulePage.objects.parent_of(page).first()
    if module is not None:
        page._cached_parent_obj = module
    return module


def module_lessons(module):
    """Live lessons of the module in tree order, without their bodies."""
    return list(LessonPage.objects.child_of(module).live().order_by("path").defer_streamfields())


def module_quiz(module):
    return QuizPage.objects.child_of(module).live().defer_streamfields().first()


def _require_live(module, page=None):
    if module is None or not module.live or (page is not None and not page.live):
        raise CourseError("module_not_live")


# --- Enrolment and lessons ----------------------------------------------------------------


def enrol(user, module, now=None):
    """Enrol `user` in `module`; a second call returns the same enrolment."""
    _require_live(module)
    enrolment, created = Enrolment.objects.get_or_create(
        user=user, module=module, defaults={"last_activity_at": now or timezone.now()}
    )
    if created:
        record("reperes.module_enrol", enrolment, user, module_id=module.pk)
    return enrolment


def start_module(user, module):
    """« Commencer le module »: enrol (idempotent). A module without a quiz whose
    lessons are all done is completed here too: its quiz may have been withdrawn
    after the learner's last lesson, and nothing else would complete it."""
    enrolment = enrol(user, module)
    complete_module_if_due(user, module)
    return enrolment


def touch_enrolment(user, module, now):
    """Move the enrolment's last activity to `now` (one UPDATE, never backwards).

    Dropout follow-up (courses/modules/dropouts.py) reads it: the services call this
    at each lesson visit or completion and each quiz submission.
    """
    Enrolment.objects.filter(user_id=user.pk, module_id=module.pk).filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=now)
    ).update(last_activity_at=now)


def record_lesson_visit(user, lesson, now=None):
    """Count a visit to `lesson` and credit the reading time of the previous step.

    Time spent is measured between actions: the gap since the learner's previous
    visit (or completion) in this module is credited to the lesson then open, capped
    at MAX_CREDITED_GAP so that a tab left open overnight does not count.
    """
    module = module_of(lesson)
    _require_live(module, lesson)
    return _record_visit(user, lesson, module, now or timezone.now())[lesson.pk]


def _record_visit(user, lesson, module, now, with_quiz_passed=False):
    """The learner's progress rows in the module, by lesson id, after the visit.

    This runs on every lesson view: ids in the filters (not instances) keep the
    ORM's work small. With `with_quiz_passed`, each row read also says whether the
    learner passed the module's quiz (`row.quiz_passed`, one subquery instead of a
    query of its own; absent on a row created by this visit).
    """
    with transaction.atomic():
        rows = LessonProgress.objects.select_for_update().filter(
            user_id=user.pk, module_id=module.pk
        )
        if with_quiz_passed:
            rows = rows.annotate(
                quiz_passed=Exists(
                    QuizAttempt.objects.filter(user_id=user.pk, module_id=module.pk, passed=True)
                )
            )
        rows = {row.lesson_id: row for row in rows}
        previous = max(rows.values(), key=lambda row: row.last_visit_at, default=None)
        if not rows:
            enrol(user, module, now)  # a first visit enrols; later ones know it is done
        elif now - previous.last_visit_at >= ACTIVITY_PRECISION:
            touch_enrolment(user, module, now)
        credited = previous is not None and _credit_gap(previous, now)
        progress = rows.get(lesson.pk)
        if progress is None:
            rows[lesson.pk] = LessonProgress.objects.create(
                user=user, lesson=lesson, module=module, last_visit_at=now, visits=1
            )
        else:
            progress.visits += 1
            progress.last_visit_at = now
            progress.save(update_fields=["visits", "last_visit_at", "time_spent_seconds"])
        if credited and previous.lesson_id != lesson.pk:
            previous.save(update_fields=["time_spent_seconds"])
    return rows


def _credit_gap(progress, now):
    """Add the capped gap since the last visit; True when something was added."""
    seconds = int(min(now - progress.last_visit_at, MAX_CREDITED_GAP).total_seconds())
    if seconds > 0:
        progress.time_spent_seconds += seconds
    return seconds > 0


def is_lesson_locked(user, lesson, module):
    """In a sequential module, a lesson opens once every earlier live lesson is done."""
    if not module.is_sequential:
        return False
    done = LessonProgress.objects.filter(
        user=user, lesson=OuterRef("pk"), completed_at__isnull=False
    )
    earlier = LessonPage.objects.child_of(module).live().filter(path__lt=lesson.path)
    return earlier.exclude(Exists(done)).exists()


def complete_lesson(user, lesson, now=None):
    """« J'ai terminé cette leçon ». Idempotent: the first completion date stays."""
    module = module_of(lesson)
    _require_live(module, lesson)
    if is_lesson_locked(user, lesson, module):
        raise CourseError("lesson_locked")
    now = now or timezone.now()
    with transaction.atomic():
        enrol(user, module, now)
        touch_enrolment(user, module, now)
        progress, created = LessonProgress.objects.select_for_update().get_or_create(
            user=user, lesson=lesson, defaults={"module": module, "last_visit_at": now, "visits": 1}
        )
        if progress.completed_at is not None:
            return progress
        if not created:
            _credit_gap(progress, now)
            progress.last_visit_at = now
        progress.completed_at = now
        progress.save()
    record("reperes.lesson_complete", progress, user, lesson_id=lesson.pk)
    complete_module_if_due(user, module)
    return progress


# --- Quiz attempts ----------------------------------------------------------------------


def start_attempt(user, quiz):
    """« Commencer »: the open attempt if there is one, else a new frozen attempt.

    The enrolment row is locked so that parallel starts of the same person are
    serialised: the attempt limit cannot be overrun by double clicks or several tabs.
    """
    module = module_of(quiz)
    _require_live(module, quiz)
    with transaction.atomic():
        enrolment = enrol(user, module)
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).defer("questions"))
        open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
        if open_attempt is not None:
            return QuizAttempt.objects.get(pk=open_attempt.pk)
        if any(a.passed for a in attempts):
            raise CourseError("already_passed")
        if module.max_attempts and len(attempts) >= module.max_attempts:
            raise CourseError("attempts_exhausted")
        if not all_lessons_done(user, module):
            raise CourseError("lessons_incomplete")
        attempt = QuizAttempt.objects.create(
            user=user,
            module=module,
            quiz=quiz,
            number=max((a.number for a in attempts), default=0) + 1,
            questions=quiz_snapshot(quiz),
        )
    record("reperes.quiz_start", attempt, user, quiz_id=quiz.pk, number=attempt.number)
    return attempt


def all_lessons_done(user, module):
    done = LessonProgress.objects.filter(
        user=user, lesson=OuterRef("pk"), completed_at__isnull=False
    )
    return not LessonPage.objects.child_of(module).live().exclude(Exists(done)).exists()


def quiz_snapshot(quiz):
    """The questions of one attempt, drawn and shuffled once, with what grading needs."""
    questions = [_question_snapshot(block) for block in quiz.questions]
    if quiz.questions_drawn and quiz.questions_drawn < len(questions):
        kept = sorted(_rng.sample(range(len(questions)), quiz.questions_drawn))
        questions = [questions[i] for i in kept]
    if quiz.shuffle_questions:
        _rng.shuffle(questions)
    if quiz.shuffle_choices:
        for question in questions:
            if question["kind"] != "true_false":
                _rng.shuffle(question["choices"])
    return questions


def _question_snapshot(block):
    value, kind, qid = block.value, block.block_type, str(block.id)
    if kind == "true_false":
        choices = [
            _choice(f"{qid}-vrai", TRUE_LABEL, value["answer"], value["feedback_true"]),
            _choice(f"{qid}-faux", FALSE_LABEL, not value["answer"], value["feedback_false"]),
        ]
    else:
        choices = [
            _choice(
                str(bound.id), bound.value["text"], bound.value["correct"], bound.value["feedback"]
            )
            for bound in value["choices"].bound_blocks
        ]
    multiple = kind == "multiple_choice" or (kind == "case_study" and value["multiple_answers"])
    vignette = value.get("vignette") if kind == "case_study" else None
    return {
        "id": qid,
        "kind": kind,
        "multiple": bool(multiple),
        "prompt": value["prompt"],
        "vignette": vignette.source if vignette else "",
        "choices": choices,
        "explanation": value["explanation"].source if value["explanation"] else "",
        "guide_link": _guide_link(value["guide_link"]),
    }


def _choice(choice_id, text, correct, feedback):
    return {"id": choice_id, "text": text, "correct": bool(correct), "feedback": feedback or ""}


def _guide_link(link):
    guide = link["guide"] if link else None
    if guide is None:
        return None
    url = guide.get_url() or ""
    if link["anchor"]:
        url = f"{url}#{link['anchor']}"
    return {"url": url, "label": link["label"] or guide.title}


def clean_choice_ids(attempt, question_id, choice_ids):
    """The learner's choices for one question, checked against the attempt's snapshot."""
    question = next((q for q in attempt.questions if q["id"] == question_id), None)
    return _clean_choice_ids(question, question_id, choice_ids)


def clean_answers(attempt, answers):
    """{question id: [choice ids]} checked against the snapshot, question by question."""
    questions = {question["id"]: question for question in attempt.questions}
    return {
        question_id: _clean_choice_ids(questions.get(question_id), question_id, choice_ids)
        for question_id, choice_ids in answers.items()
    }


def _clean_choice_ids(question, question_id, choice_ids):
    if question is None:
        raise CourseError("unknown_question")
    choice_ids = [str(choice_id) for choice_id in choice_ids]
    allowed = {choice["id"] for choice in question["choices"]}
    if (
        len(set(choice_ids)) != len(choice_ids)
        or not set(choice_ids) <= allowed
        or (not question["multiple"] and len(choice_ids) > 1)
    ):
        raise CourseError("invalid_choice", question_id=question_id)
    return choice_ids


def save_answers(user, attempt, answers):
    """Save {question_id: [choice ids]} into an open attempt: all or nothing.

    An empty list clears the answer (every box unticked). Each id is checked
    against the snapshot before anything is written.
    """
    with transaction.atomic():
        attempt = _lock_attempt(user, attempt)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise CourseError("attempt_closed")
        cleaned = clean_answers(attempt, answers)
        _write_answers(attempt, cleaned)
    return cleaned


def _write_answers(attempt, cleaned, right=None):
    """Write checked answers of a locked attempt in two queries at most, whatever the
    number of questions: one upsert for the answers given, one DELETE for the cleared.

    `right` (the ids of the questions answered right), when grading is known, is
    written with the answers: no UPDATE of the rows afterwards.
    """
    graded = right is not None
    AttemptAnswer.objects.bulk_create(
        [
            AttemptAnswer(
                attempt=attempt,
                question_id=question_id,
                choice_ids=choice_ids,
                is_correct=question_id in right if graded else None,
            )
            for question_id, choice_ids in cleaned.items()
            if choice_ids
        ],
        update_conflicts=True,
        unique_fields=["attempt", "question_id"],
        update_fields=["choice_ids", "answered_at", *(["is_correct"] if graded else [])],
    )
    cleared = [question_id for question_id, choice_ids in cleaned.items() if not choice_ids]
    if cleared:
        AttemptAnswer.objects.filter(attempt=attempt, question_id__in=cleared).delete()


def save_answer(user, attempt, question_id, choice_ids):
    return save_answers(user, attempt, {question_id: choice_ids})[question_id]


def _lock_attempt(user, attempt):
    """The attempt's row, locked (scoped to the user: someone else's is not found).

    The relations the caller already holds (the view reads the module and the quiz
    with the attempt; the user is the caller) are the same rows: they are kept, so
    that grading (the pass mark) and the log (the label) read none of them again.
    """
    locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk, user=user)
    locked.user = user
    for name in ("module", "quiz"):
        if QuizAttempt._meta.get_field(name).is_cached(attempt):
            setattr(locked, name, getattr(attempt, name))
    return locked


def submit_attempt(user, attempt, answers=None, now=None):
    """« Valider »: save the last answers, grade on the server, close the attempt.

    Idempotent: a second submit (double click, replay, back button) returns the
    attempt as first graded. Only the choice ids come from the browser; score and
    pass/fail are computed here. The answers sent are saved even when a question is
    left unanswered (the learner finds them on the quiz again): « unanswered » is
    raised once they are committed.

    One row lock (the attempt) serialises parallel submits; the number of queries
    depends neither on the number of questions nor on the learner's history.
    """
    with transaction.atomic():
        attempt = _lock_attempt(user, attempt)
        if attempt.status == AttemptStatus.SUBMITTED:
            return attempt
        cleaned = clean_answers(attempt, answers or {})
        chosen = {qid: choice_ids for qid, choice_ids in cleaned.items() if choice_ids}
        rows_graded = _all_answered(attempt, chosen)
        if rows_graded:
            # The usual « Valider »: the form brings every answer, written graded.
            _write_answers(attempt, cleaned, right=right_question_ids(attempt, chosen))
        else:
            _write_answers(attempt, cleaned)
            # Answers saved earlier (« Enregistrer ») count too: the stored rows.
            chosen = dict(attempt.answers.values_list("question_id", "choice_ids"))
        answered = _all_answered(attempt, chosen)
        if answered:
            _grade(user, attempt, chosen, now or timezone.now(), rows_graded=rows_graded)
    if not answered:
        raise CourseError("unanswered")
    return attempt


def _all_answered(attempt, chosen):
    return all(question["id"] in chosen for question in attempt.questions)


def _grade(user, attempt, chosen, now, rows_graded=False):
    """Score, close and log a locked attempt; complete the module when it is passed."""
    correct = len(right_question_ids(attempt, chosen))
    attempt.score = round(100 * correct / len(attempt.questions))
    attempt.passed = attempt.score >= attempt.module.passing_score
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "passed", "status", "submitted_at"])
    touch_enrolment(user, attempt.module, attempt.submitted_at)
    store_graded_answers(attempt, chosen, answers_graded=rows_graded)
    record("reperes.quiz_submit", attempt, user, score=attempt.score, passed=attempt.passed)
    if attempt.passed and all_lessons_done(user, attempt.module):
        complete_module(user, attempt.module, lessons_done=True)


def right_question_ids(attempt, chosen):
    """The ids of the questions whose answer in {question id: choice ids} is right."""
    return [q["id"] for q in attempt.questions if is_answer_right(q, chosen[q["id"]])]


def store_graded_answers(attempt, chosen, answers_graded=False):
    """Keep the grading in rows the item analysis can GROUP BY (two queries, one when
    the answers were written graded: `answers_graded`).

    Each answer gets `is_correct`; each picked choice gets an `AttemptChoice` row
    telling whether that choice was a correct one, as the snapshot said.
    """
    if not answers_graded:
        right = right_question_ids(attempt, chosen)
        attempt.answers.update(
            is_correct=Case(When(question_id__in=right, then=Value(True)), default=Value(False))
        )
    AttemptChoice.objects.bulk_create(
        [
            AttemptChoice(
                attempt=attempt,
                quiz_id=attempt.quiz_id,
                question_id=question["id"],
                choice_id=choice["id"],
                is_correct=choice["correct"],
            )
            for question in attempt.questions
            for choice in question["choices"]
            if choice["id"] in chosen[question["id"]]
        ],
        ignore_conflicts=True,
    )


def is_answer_right(question, choice_ids):
    """All or nothing: exactly the correct choices, no more, no fewer."""
    right = {choice["id"] for choice in question["choices"] if choice["correct"]}
    return set(choice_ids or ()) == right


def is_completed(user, module):
    """Whether `user` has completed `module` (one query)."""
    return ModuleCompletion.objects.filter(user=user, module=module).exists()


def attempts_left(module, attempts_used):
    """None when unlimited."""
    if not module.max_attempts:
        return None
    return max(module.max_attempts - attempts_used, 0)


@dataclass
class QuestionResult:
    question: dict
    chosen: list
    right: bool
    reveal: bool

    @property
    def choices(self):
        """Choices as shown on the result page: picked or not, and the key if revealed."""
        return [
            {
                "text": choice["text"],
                "chosen": choice["id"] in self.chosen,
                "correct": choice["correct"] if self.reveal else None,
                "feedback": choice["feedback"] if choice["id"] in self.chosen else "",
            }
            for choice in self.question["choices"]
        ]


def attempt_results(attempt, answers, attempts_used):
    """Per question: the learner's choice, right or wrong, and whether to reveal the key.

    The correct choices of a wrong answer are revealed only once the learner has
    passed or has no attempt left; otherwise the next attempt would be trivial.
    """
    left = attempts_left(attempt.module, attempts_used)
    reveal = bool(attempt.passed) or left == 0
    return [
        QuestionResult(
            question=question,
            chosen=answers.get(question["id"], []),
            right=is_answer_right(question, answers.get(question["id"])),
            reveal=reveal,
        )
        for question in attempt.questions
    ]


# --- Completion -------------------------------------------------------------------------


def complete_module(user, module, *, lessons_done=False):
    """Record the completion once all lessons are done and the quiz passed.

    A module without a live quiz is completed by its lessons alone (at least one):
    the completion then has no score and no attempt. A passed attempt still counts
    if the quiz has been withdrawn since. `lessons_done`: the caller has just seen
    every lesson done, in its transaction (« Valider »), so they are not counted again.

    Idempotent: the (user, module) constraint keeps one row; `module_completed` is
    sent only when the row is created, inside the transaction (receivers doing slow
    work should use `transaction.on_commit`).
    """
    existing = ModuleCompletion.objects.filter(user=user, module=module).first()
    if existing is not None:
        return existing
    attempt = (
        QuizAttempt.objects.filter(user=user, module=module, passed=True)
        .defer("questions")
        .order_by("-score", "submitted_at")
        .first()
    )
    if attempt is None and module_quiz(module) is not None:
        raise CourseError("module_incomplete")
    if not lessons_done:
        done, total = lessons_done_count(user, module)
        if done < total or (attempt is None and not total):
            raise CourseError("module_incomplete")
    # Refusals are raised above, before anything is written: the caller's transaction,
    # when there is one (« Valider »), is used as it is, without a savepoint of its
    # own; the completion and what its receivers write commit or roll back together.
    seconds = time_spent(user, module)
    with transaction.atomic(savepoint=False):
        try:
            with transaction.atomic():
                completion = ModuleCompletion.objects.create(
                    user=user,
                    module=module,
                    completed_at=(attempt.submitted_at if attempt else None) or timezone.now(),
                    score=attempt.score if attempt else None,
                    time_spent_seconds=seconds,
                    attempt=attempt,
                )
        except IntegrityError:
            # Completed at the same time by a parallel request: the row it created.
            return ModuleCompletion.objects.get(user=user, module=module)
        record("reperes.module_complete", completion, user, module_id=module.pk)
        module_completed.send(sender=ModuleCompletion, completion=completion)
    return completion


def complete_module_if_due(user, module):
    """Complete a module without a live quiz once its lessons are all done.

    Called after each lesson completion and when the learner resumes the module
    (a quiz withdrawn after the last lesson no longer blocks the completion).
    Returns the completion, or None when the module is not due.
    """
    if module_quiz(module) is not None:
        return None
    done, total = lessons_done_count(user, module)
    if not total or done < total:
        return None
    return complete_module(user, module)


def lessons_done_count(user, module):
    """(lessons done, live lessons) of the learner in the module, in one query."""
    done = LessonProgress.objects.filter(
        user=user, lesson=OuterRef("pk"), completed_at__isnull=False
    )
    flags = list(
        LessonPage.objects.child_of(module)
        .live()
        .annotate(done=Exists(done))
        .values_list("done", flat=True)
    )
    return sum(flags), len(flags)


def time_spent(user, module):
    """Seconds spent on the lessons plus the quiz attempts (each capped)."""
    lessons = sum(
        LessonProgress.objects.filter(user=user, module=module).values_list(
            "time_spent_seconds", flat=True
        )
    )
    quiz = 0
    for started, submitted in QuizAttempt.objects.filter(
        user=user, module=module, submitted_at__isnull=False
    ).values_list("started_at", "submitted_at"):
        quiz += int(min(max(submitted - started, timedelta(0)), MAX_CREDITED_GAP).total_seconds())
    return lessons + quiz


# --- Where the learner stands -------------------------------------------------------------


@dataclass
class ModuleProgress:
    """Everything a module, lesson or quiz page shows about one learner's progress."""

    module: ModulePage
    lessons: list = field(default_factory=list)
    quiz: QuizPage | None = None
    enrolled: bool = False
    completed_ids: set = field(default_factory=set)
    attempts: list = field(default_factory=list)
    completion: ModuleCompletion | None = None
    # Known without reading the attempts (the lesson page asks only this).
    quiz_passed: bool | None = None

    @property
    def total_steps(self):
        return len(self.lessons) + (1 if self.quiz else 0)

    @property
    def done_steps(self):
        lessons = sum(1 for lesson in self.lessons if lesson.pk in self.completed_ids)
        return lessons + (1 if self.quiz and self.passed else 0)

    @property
    def percentage(self):
        if self.completion is not None:
            return 100
        return round(100 * self.done_steps / self.total_steps) if self.total_steps else 0

    @property
    def percent(self):
        return self.percentage

    @property
    def passed(self):
        if self.completion is not None:
            return True
        if self.quiz_passed is not None:
            return self.quiz_passed
        return any(a.passed for a in self.attempts)

    @property
    def open_attempt(self):
        return next((a for a in self.attempts if a.status == AttemptStatus.IN_PROGRESS), None)

    @property
    def submitted_attempts(self):
        return [a for a in self.attempts if a.status == AttemptStatus.SUBMITTED]

    @property
    def attempts_left(self):
        return attempts_left(self.module, len(self.attempts))

    @property
    def lessons_done(self):
        return all(lesson.pk in self.completed_ids for lesson in self.lessons)

    @property
    def completable(self):
        """A module without a quiz whose lessons are all done, not completed yet (its
        quiz was withdrawn after the last lesson): « Valider le module » completes it."""
        return (
            self.enrolled
            and self.completion is None
            and self.quiz is None
            and bool(self.lessons)
            and self.lessons_done
        )

    def is_locked(self, lesson):
        if not self.module.is_sequential:
            return False
        for earlier in self.lessons:
            if earlier.pk == lesson.pk:
                return False
            if earlier.pk not in self.completed_ids:
                return True
        return False

    def is_done(self, lesson):
        return lesson.pk in self.completed_ids

    @property
    def next_step(self):
        """The first unfinished step: a lesson, the quiz, or None when all is done."""
        if self.completion is not None:
            return None
        for lesson in self.lessons:
            if lesson.pk not in self.completed_ids:
                return lesson
        if self.quiz is not None and not self.passed:
            return self.quiz
        return None

    @property
    def next_step_is_quiz(self):
        step = self.next_step
        return step is not None and self.quiz is not None and step.pk == self.quiz.pk

    def next_lesson_after(self, lesson):
        ids = [item.pk for item in self.lessons]
        if lesson.pk in ids and ids.index(lesson.pk) + 1 < len(ids):
            return self.lessons[ids.index(lesson.pk) + 1]
        return None


def module_progress(user, module, lessons=None, quiz=False):
    """The learner's progress in one module, in one query whatever their history.

    `lessons` and `quiz` may be passed when the caller already read them (from the
    content cache: then the learner's rows are all that is read).
    """
    progress = ModuleProgress(
        module=module,
        lessons=module_lessons(module) if lessons is None else list(lessons),
        quiz=module_quiz(module) if quiz is False else quiz,
    )
    if user is None or not user.is_authenticated:
        return progress
    rows = _LEARNER_ROWS.rows(user_id=user.pk, module_id=module.pk)
    progress.enrolled = any(row[0] == _ENROLMENT for row in rows)
    if not progress.enrolled:
        return progress
    progress.completed_ids = {row[1] for row in rows if row[0] == _LESSON_DONE}
    # The attempts count only while the module has a live quiz.
    if progress.quiz is not None:
        attempts = sorted((row for row in rows if row[0] == _ATTEMPT), key=lambda row: row[3])
        progress.attempts = [
            _row_instance(QuizAttempt, _attempt_fields(row, user.pk, module.pk)) for row in attempts
        ]
    # Always: a module completed without a quiz stays completed if one is added.
    completion = next((row for row in rows if row[0] == _COMPLETION), None)
    if completion is not None:
        progress.completion = _row_instance(
            ModuleCompletion, _completion_fields(completion, user.pk, module.pk)
        )
    return progress


# What the learner's rows in a module are, in `_LEARNER_ROWS`: its first column.
_ENROLMENT, _LESSON_DONE, _ATTEMPT, _COMPLETION = range(4)


def _learner_rows(user_id, module_id):
    """The learner's enrolment, lessons done, quiz attempts (without their questions)
    and completion in a module, as one UNION ALL of rows of the same columns: kind,
    id, then the attempt's or the completion's fields (NULL where a kind has none).

    One round trip for the module and quiz pages, compiled once (`core.prepared`).
    """
    # Typed NULLs: PostgreSQL matches a UNION's column types branch by branch.
    none_int = Cast(Value(None), output_field=IntegerField())
    none_at = Cast(Value(None), output_field=DateTimeField())
    blank = {
        "c_int1": none_int,
        "c_int2": none_int,
        "c_int3": none_int,
        "c_text": Cast(Value(None), output_field=CharField()),
        "c_bool": Cast(Value(None), output_field=BooleanField()),
        "c_at1": none_at,
        "c_at2": none_at,
    }
    mine = {"user_id": user_id, "module_id": module_id}

    def branch(model, kind, ref, **columns):
        return (
            model.objects.filter(**mine)
            .order_by()
            .values(
                c_kind=Value(kind, output_field=IntegerField()),
                c_ref=F(ref),
                **{**blank, **columns},
            )
        )

    return branch(Enrolment, _ENROLMENT, "pk").union(
        branch(LessonProgress, _LESSON_DONE, "lesson_id").filter(completed_at__isnull=False),
        branch(
            QuizAttempt,
            _ATTEMPT,
            "pk",
            c_int1=F("quiz_id"),
            c_int2=F("number"),
            c_int3=F("score"),
            c_text=F("status"),
            c_bool=F("passed"),
            c_at1=F("started_at"),
            c_at2=F("submitted_at"),
        ),
        branch(
            ModuleCompletion,
            _COMPLETION,
            "pk",
            c_int1=F("attempt_id"),
            c_int2=F("time_spent_seconds"),
            c_int3=F("score"),
            c_at1=F("completed_at"),
        ),
        all=True,
    )


_LEARNER_ROWS = PreparedQuery(_learner_rows, user_id=INT, module_id=INT)


def _attempt_fields(row, user_id, module_id):
    _kind, pk, quiz_id, number, score, status, passed, started_at, submitted_at = row
    return {
        "id": pk,
        "user_id": user_id,
        "module_id": module_id,
        "quiz_id": quiz_id,
        "number": number,
        "status": status,
        "started_at": started_at,
        "submitted_at": submitted_at,
        "score": score,
        "passed": passed,
    }


def _completion_fields(row, user_id, module_id):
    _kind, pk, attempt_id, seconds, score, _text, _bool, completed_at, _at2 = row
    return {
        "id": pk,
        "user_id": user_id,
        "module_id": module_id,
        "completed_at": completed_at,
        "score": score,
        "time_spent_seconds": seconds,
        "attempt_id": attempt_id,
    }


def _row_instance(model, fields):
    """The instance the ORM would have built from these fields (others deferred)."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(DEFAULT_DB_ALIAS, names, [fields.get(name, DEFERRED) for name in names])


def _read_completion(progress, user):
    progress.completion = ModuleCompletion.objects.filter(
        user_id=user.pk, module_id=progress.module.pk
    ).first()


def module_page_context(request, module, lessons, quiz):
    """Hook called by `ModulePage.get_context` for signed-in visitors."""
    from courses.modules import positioning  # it builds on this module

    progress = module_progress(request.user, module, lessons, quiz)
    return {
        "progress": progress,
        "positioning_after_due": positioning.after_is_due(
            request.user, module, progress.completion is not None
        ),
    }


def lesson_page_context(request, module, lessons, lesson):
    """Hook called by `LessonPage.get_context` for signed-in visitors: opening a
    lesson records the visit (not in an editor's preview).

    The rows written by the visit give the lessons done: no second read. The page
    shows the progress bar and the next step: of the attempts, only whether one
    passed matters (`progress.attempts` stays empty here). The completion is read
    only when it can exist: after the quiz is passed, or once the lessons are done
    (a module without a quiz is completed by them).
    """
    user = request.user
    if getattr(request, "is_preview", False) or not (module.live and lesson.live):
        progress = module_progress(user, module, lessons)
    else:
        quiz = module.live_quiz()
        rows = _record_visit(user, lesson, module, timezone.now(), with_quiz_passed=bool(quiz))
        progress = ModuleProgress(
            module=module,
            lessons=list(lessons),
            quiz=quiz,
            enrolled=True,
            completed_ids={pk for pk, row in rows.items() if row.completed_at is not None},
        )
        if quiz is not None:
            read = [row.quiz_passed for row in rows.values() if hasattr(row, "quiz_passed")]
            progress.quiz_passed = (
                read[0]
                if read
                else QuizAttempt.objects.filter(
                    user_id=user.pk, module_id=module.pk, passed=True
                ).exists()
            )
        if progress.quiz is None or progress.lessons_done or progress.quiz_passed:
            _read_completion(progress, user)
    return {
        "progress": progress,
        "lesson_done": progress.is_done(lesson),
        "lesson_locked": progress.is_locked(lesson),
    }


def next_step(user, module):
    """Where « Reprendre » sends the learner: a LessonPage, the QuizPage or None."""
    return module_progress(user, module).next_step


@dataclass
class Dashboard:
    in_progress: list
    completed: list
    attempts: list


# « Mon espace » runs these on every visit: compiled once per process (core.prepared).
_ENROLLED = PreparedQuery(
    lambda user: Enrolment.objects.filter(user_id=user).order_by("-started_at").values("module_id"),
    user=INT,
)
_COMPLETED_LESSONS = PreparedQuery(
    lambda user: LessonProgress.objects.filter(user_id=user, completed_at__isnull=False).values(
        "lesson_id", "module_id"
    ),
    user=INT,
)
_ATTEMPTS = PreparedQuery(
    lambda user: (
        QuizAttempt.objects.filter(user_id=user).defer("questions").order_by("-started_at")
    ),
    user=INT,
)
_COMPLETIONS = PreparedQuery(
    lambda user: ModuleCompletion.objects.filter(user_id=user).order_by("-completed_at"),
    user=INT,
)


def learner_dashboard(user):
    """« Mon espace »: modules in progress and completed, quiz attempts.

    Four queries whatever the number of modules, lessons or attempts, each reading
    the learner's own rows only (no join): the modules, their live lessons and quiz
    are content, read from the content cache (`outlined_module`), and shared by
    every learner until an editor publishes.
    """
    enrolled = [row["module_id"] for row in _ENROLLED.dicts(user=user.pk)]
    completed_lessons = [
        (row["lesson_id"], row["module_id"]) for row in _COMPLETED_LESSONS.dicts(user=user.pk)
    ]
    attempts = _ATTEMPTS.instances(user=user.pk)
    completions = _COMPLETIONS.instances(user=user.pk)
    modules = _outlined_modules(
        {*enrolled, *(a.module_id for a in attempts), *(c.module_id for c in completions)}
    )
    by_module = {
        pk: ModuleProgress(
            module=modules[pk],
            lessons=modules[pk].live_lessons(),
            quiz=modules[pk].live_quiz(),
            enrolled=True,
        )
        for pk in enrolled
        if pk in modules and modules[pk].live
    }
    for lesson_id, module_id in completed_lessons:
        if module_id in by_module:
            by_module[module_id].completed_ids.add(lesson_id)
    for attempt in attempts:
        attempt.module = modules[attempt.module_id]
        if attempt.module_id in by_module:
            by_module[attempt.module_id].attempts.append(attempt)
    for completion in completions:
        completion.module = modules[completion.module_id]
        if completion.module_id in by_module:
            by_module[completion.module_id].completion = completion
    in_progress = [
        by_module[pk] for pk in enrolled if pk in by_module and by_module[pk].completion is None
    ]
    return Dashboard(in_progress=in_progress, completed=completions, attempts=attempts)


def _outlined_modules(module_ids):
    """{id: ModulePage with its outline} from the content cache (no query once warm)."""
    from courses.models.pages import outlined_module

    modules = {pk: outlined_module(pk) for pk in module_ids}
    return {pk: module for pk, module in modules.items() if module is not None}
