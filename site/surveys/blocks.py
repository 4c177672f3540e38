"""Questions of a satisfaction questionnaire, as StreamField blocks.

Block names are stable (a rename needs a data migration): answers store the block
type as `question_type`, and each block's id is the question's key
(`SurveyAnswer.question_id`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

#: The longest free-text answer kept (the form says so; the service refuses longer).
FREE_TEXT_MAX_LENGTH = 2000


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Question"), max_length=300)
    required = blocks.BooleanBlock(label=_("Réponse obligatoire"), required=False, default=True)


class ScaleQuestionBlock(QuestionBlock):
    """A rating from 1 to 5 with its two ends labelled."""

    low_label = blocks.CharBlock(
        label=_("Libellé de 1"), max_length=80, default=_("Pas du tout d’accord")
    )
    high_label = blocks.CharBlock(
        label=_("Libellé de 5"), max_length=80, default=_("Tout à fait d’accord")
    )
    is_satisfaction = blocks.BooleanBlock(
        label=_("Question de satisfaction globale"),
        required=False,
        help_text=_("Le taux de satisfaction compte les réponses 4 et 5 à cette question."),
    )

    class Meta:
        icon = "pick"
        label = _("Échelle de 1 à 5")


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Réponse proposée"), max_length=200), label=_("Réponses proposées")
    )
    multiple = blocks.BooleanBlock(label=_("Plusieurs réponses possibles"), required=False)

    class Meta:
        icon = "list-ul"
        label = _("Choix")


class YesNoQuestionBlock(QuestionBlock):
    class Meta:
        icon = "tick"
        label = _("Oui / non")


class FreeTextQuestionBlock(QuestionBlock):
    required = blocks.BooleanBlock(label=_("Réponse obligatoire"), required=False, default=False)

    class Meta:
        icon = "edit"
        label = _("Texte libre")
        help_text = _("2 000 caractères au plus.")


class RecommendQuestionBlock(QuestionBlock):
    """« Recommanderiez-vous… ? » from 0 to 10."""

    low_label = blocks.CharBlock(
        label=_("Libellé de 0"), max_length=80, default=_("Pas du tout probable")
    )
    high_label = blocks.CharBlock(
        label=_("Libellé de 10"), max_length=80, default=_("Très probable")
    )

    class Meta:
        icon = "group"
        label = _("Recommandation de 0 à 10")


class QuestionStreamBlock(blocks.StreamBlock):
    scale = ScaleQuestionBlock()
    choice = ChoiceQuestionBlock()
    yes_no = YesNoQuestionBlock()
    free_text = FreeTextQuestionBlock()
    recommend = RecommendQuestionBlock()
