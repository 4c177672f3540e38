"""The satisfaction questionnaires a course offers, shared by modules and sessions.

Empty means the default questionnaire of the course's publisher (a session's
organiser), else the platform's (site/surveys/). A questionnaire chosen here must be
for that use (« à chaud », « à froid », or both) and belong to that publisher or to
the whole platform: another publisher's questionnaire would send its questions, and
file its answers, under the wrong name.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The questionnaire's `kind` each field accepts ("" is a questionnaire for both).
SURVEY_KINDS = {"survey_hot": "chaud", "survey_cold": "froid"}


class CourseSurveys(models.Model):
    survey_hot = models.ForeignKey(
        "surveys.Questionnaire",
        verbose_name=_("questionnaire à chaud"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    survey_cold = models.ForeignKey(
        "surveys.Questionnaire",
        verbose_name=_("questionnaire à froid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    survey_cold_delay_days = models.PositiveSmallIntegerField(
        _("délai du questionnaire à froid (jours)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    #: The field naming the course's publisher (a module's publisher, a session's organiser).
    survey_publisher_field = "publisher"

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        publisher_id = getattr(self, f"{self.survey_publisher_field}_id")
        errors = {}
        for name, kind in SURVEY_KINDS.items():
            questionnaire = getattr(self, name)
            if questionnaire is None:
                continue
            if questionnaire.kind not in ("", kind):
                errors[name] = _("Ce questionnaire n’est pas prévu pour cet usage.")
            elif questionnaire.publisher_id not in (None, publisher_id):
                errors[name] = _(
                    "Choisissez un questionnaire de cet éditeur ou de toute la plateforme."
                )
        if errors:
            raise ValidationError(errors)
