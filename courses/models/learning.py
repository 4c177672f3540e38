"""What learners did: enrolments, lesson progress, quiz attempts, completions.

Each row belongs to one user; views look rows up through `request.user` so another
person's id is a 404. Services in `courses/modules/services.py` are the only writers.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    started_at = models.DateTimeField(_("commencé le"), auto_now_add=True)
    #: Kept by the services at each lesson visit or completion and quiz submission:
    #: a learner whose last activity is older than 21 days has dropped out (indicator 12).
    last_activity_at = models.DateTimeField(
        _("dernière activité"), null=True, blank=True, db_index=True
    )
    #: The one dropout reminder (courses/modules/dropouts.py), claimed before sending.
    dropout_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: « Passer » on the self-positioning offered before the first lesson: not asked again.
    positioning_skipped_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inscription à un module")
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="unique_enrolment")]

    def __str__(self):
        return f"{self.user} — {self.module}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    module = models.ForeignKey("courses.ModulePage", on_delete=models.CASCADE, related_name="+")
    first_visit_at = models.DateTimeField(auto_now_add=True)
    last_visit_at = models.DateTimeField()
    visits = models.PositiveIntegerField(default=0)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("progression dans une leçon")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_lesson_progress")
        ]

    def __str__(self):
        return f"{self.user} — {self.lesson}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("en cours")
    SUBMITTED = "submitted", _("validée")


class QuizAttempt(models.Model):
    """One try at a module's quiz, frozen at start: `questions` is the graded snapshot.

    The snapshot holds, per question, its id, kind, prompt, vignette, the choices in
    the order shown (id, text, correct, feedback), the explanation and the guide link.
    Only the server reads `correct`, `feedback` and `explanation` before submission.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey("courses.QuizPage", on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("numéro"))
    status = models.CharField(
        max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    questions = models.JSONField(_("questions figées"))
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("réussi"), null=True)

    class Meta:
        verbose_name = _("tentative de quiz")
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="unique_attempt_number"
            ),
            # At most one attempt in progress per person and quiz.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(status="in_progress"),
                name="one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.quiz} #{self.number}"


class AttemptAnswer(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    choice_ids = models.JSONField(default=list)
    answered_at = models.DateTimeField(auto_now=True)
    # Set when the attempt is graded (null before): the item analysis counts right
    # answers per question with GROUP BY instead of re-grading JSON row by row.
    is_correct = models.BooleanField(_("bonne réponse"), null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="unique_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.attempt} — {self.question_id}"


class AttemptChoice(models.Model):
    """One choice picked in a graded attempt: what the item analysis groups by.

    Written once, when the attempt is submitted (and by the backfill migration for
    older attempts); `AttemptAnswer.choice_ids` stays the learner's record. The quiz
    is repeated here so that a quiz's rows are found through one index.
    """

    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="picked_choices"
    )
    quiz = models.ForeignKey("courses.QuizPage", on_delete=models.CASCADE, related_name="+")
    question_id = models.CharField(max_length=64)
    choice_id = models.CharField(max_length=80)
    # Whether this choice is one of the question's correct choices (snapshot).
    is_correct = models.BooleanField()

    class Meta:
        verbose_name = _("choix d'une tentative")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id", "choice_id"], name="unique_attempt_choice"
            )
        ]
        indexes = [models.Index(fields=["quiz", "question_id"], name="attempt_choice_quiz")]

    def __str__(self):
        return f"{self.attempt_id} — {self.question_id}: {self.choice_id}"


class ModuleCompletion(models.Model):
    """All lessons done and quiz passed. Certificates (issue 4) are issued from it.

    A module without a (live) quiz is completed by its lessons alone: no score and no
    attempt then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_completions"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.PROTECT, related_name="completions"
    )
    completed_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("module terminé")
        verbose_name_plural = _("modules terminés")
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="unique_module_completion")
        ]

    def __str__(self):
        return f"{self.user} — {self.module}"


class PositioningMoment(models.TextChoices):
    BEFORE = "before", _("avant le module")
    AFTER = "after", _("après le module")


class PositioningAnswer(models.Model):
    """A learner's self-rating (1–4) of one statement of a module, before or after it.

    `statement_id` is the StreamField block's stable id; `statement` the text as the
    learner read it, so that editing the module never changes a past answer.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="positioning_answers"
    )
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="positioning_answers"
    )
    moment = models.CharField(_("moment"), max_length=6, choices=PositioningMoment.choices)
    statement_id = models.CharField(max_length=64)
    statement = models.TextField(_("énoncé"))
    value = models.PositiveSmallIntegerField(
        _("réponse (1 à 4)"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    answered_at = models.DateTimeField(_("répondu le"))

    class Meta:
        verbose_name = _("auto-positionnement")
        verbose_name_plural = _("auto-positionnements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "moment", "statement_id"],
                name="unique_positioning_answer",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=4), name="positioning_value_1_4"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.module} ({self.moment})"
