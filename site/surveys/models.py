"""Satisfaction questionnaires (« à chaud », « à froid ») and the answers they collect.

- `Questionnaire`: a Wagtail snippet, per publisher or platform-wide, with its
  questions as blocks (`surveys/blocks.py`).
- `SurveyInvitation`: one person asked one kind of questionnaire about one module or
  one session, with when it is due, e-mailed and answered.
- `SurveyResponse`: the one answer to an invitation, with the questions frozen as
  they were asked; `SurveyAnswer`: one row per answer (per picked choice), so that
  figures are counted in the database.

Responses hold no user: the invitation says who, and loses its user when the
account is deleted, so that figures stay and free text keeps no name.
`surveys/services.py` is the only writer of invitations and responses.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField

from .blocks import QuestionStreamBlock


class SurveyKind(models.TextChoices):
    HOT = "chaud", _("à chaud")
    COLD = "froid", _("à froid")


class QuestionType(models.TextChoices):
    SCALE = "scale", _("échelle de 1 à 5")
    CHOICE = "choice", _("choix")
    YES_NO = "yes_no", _("oui / non")
    FREE_TEXT = "free_text", _("texte libre")
    RECOMMEND = "recommend", _("recommandation de 0 à 10")


class Questionnaire(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    publisher = models.ForeignKey(
        "guides.Publisher",
        verbose_name=_("éditeur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        help_text=_("Vide : questionnaire de toute la plateforme."),
    )
    kind = models.CharField(
        _("usage"),
        max_length=8,
        choices=SurveyKind.choices,
        blank=True,
        help_text=_("À chaud, à froid, ou vide pour les deux."),
    )
    is_default = models.BooleanField(
        _("questionnaire par défaut"),
        default=False,
        help_text=_(
            "Proposé pour les modules et sessions de cet éditeur (ou de toute la plateforme) "
            "qui n’en choisissent pas."
        ),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("kind")]),
        FieldPanel("is_default"),
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = _("questionnaire de satisfaction")
        verbose_name_plural = _("questionnaires de satisfaction")
        ordering = ["publisher__name", "title", "pk"]
        constraints = [
            # One default per publisher and use, and one for the whole platform.
            models.UniqueConstraint(
                fields=["publisher", "kind"],
                condition=Q(is_default=True, publisher__isnull=False),
                name="one_default_questionnaire_per_publisher",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_default=True, publisher__isnull=True),
                name="one_platform_default_questionnaire",
            ),
        ]

    def __str__(self):
        return self.title

    def snapshot(self):
        """The questions as they are asked now: plain data, frozen in each response."""
        return [question_snapshot(block) for block in self.questions]


def question_snapshot(block):
    value = block.value
    question = {
        "id": block.id,
        "type": block.block_type,
        "label": value["label"],
        "required": bool(value.get("required")),
    }
    if block.block_type in (QuestionType.SCALE, QuestionType.RECOMMEND):
        question["low_label"] = value["low_label"]
        question["high_label"] = value["high_label"]
    if block.block_type == QuestionType.SCALE:
        question["is_satisfaction"] = bool(value.get("is_satisfaction"))
    if block.block_type == QuestionType.CHOICE:
        question["choices"] = [str(choice) for choice in value["choices"]]
        question["multiple"] = bool(value.get("multiple"))
    return question


class SurveyInvitation(models.Model):
    """One person asked one kind of questionnaire about one module or one session."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    kind = models.CharField(_("type"), max_length=8, choices=SurveyKind.choices)
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    session = models.ForeignKey(
        "courses.TrainingSession",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    publisher = models.ForeignKey(
        "guides.Publisher", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(_("à proposer à partir du"), db_index=True)
    emailed_at = models.DateTimeField(_("envoyé par e-mail le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à un questionnaire")
        verbose_name_plural = _("invitations aux questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "module"],
                condition=Q(module__isnull=False, user__isnull=False),
                name="one_survey_invitation_per_module",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "session"],
                condition=Q(session__isnull=False, user__isnull=False),
                name="one_survey_invitation_per_session",
            ),
            models.CheckConstraint(
                condition=Q(module__isnull=False, session__isnull=True)
                | Q(module__isnull=True, session__isnull=False),
                name="survey_invitation_module_or_session",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.course_title}"

    @property
    def course(self):
        return self.module if self.module_id else self.session

    @property
    def course_title(self):
        course = self.course
        return course.title if course is not None else ""


class SurveyResponse(models.Model):
    """The one answer to an invitation, with the questions as they were asked."""

    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.PROTECT, related_name="response"
    )
    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    module = models.ForeignKey(
        "courses.ModulePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    session = models.ForeignKey(
        "courses.TrainingSession",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    publisher = models.ForeignKey(
        "guides.Publisher", on_delete=models.PROTECT, related_name="survey_responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    questions = models.JSONField(_("questions posées"))
    submitted_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("réponse à un questionnaire")
        verbose_name_plural = _("réponses aux questionnaires")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.submitted_at:%d/%m/%Y}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    question_type = models.CharField(max_length=16, choices=QuestionType.choices)
    is_satisfaction = models.BooleanField(default=False)
    #: scale 1–5, yes = 1 / no = 0, recommend 0–10.
    value = models.SmallIntegerField(null=True, blank=True)
    #: One row per picked choice.
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("réponse à une question")
        indexes = [models.Index(fields=["question_type", "is_satisfaction"])]

    def __str__(self):
        return f"{self.question_id}: {self.value if self.value is not None else self.choice}"
