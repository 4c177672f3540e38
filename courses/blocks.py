"""StreamField blocks of lessons and quizzes.

Block names are stored in the database: renaming one needs a data migration. No
raw-HTML block; rich text uses explicit feature lists, so editors' HTML is
sanitised by Wagtail's rich-text rules before it reaches learners.
Docs: https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
# A lesson's text sits right under its h1, beside blocks titled in h2 (key points,
# situations, videos): its sections are h2, so that no heading level is skipped.
LESSON_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link"]


class GuideLinkBlock(blocks.StructBlock):
    """A link to a section of a legal guide: a guide page and one of its anchors."""

    guide = blocks.PageChooserBlock(label=_("Guide"), page_type="guides.GuidePage")
    anchor = blocks.CharBlock(
        label=_("Ancre de la section"),
        required=False,
        max_length=80,
        help_text=_("Facultatif : l'ancre d'un titre du guide (sans #)."),
    )
    label = blocks.CharBlock(label=_("Texte du lien"), required=False, max_length=120)

    class Meta:
        icon = "link"
        label = _("Lien vers un guide")
        template = "courses/blocks/guide_link.html"


class OptionalGuideLinkBlock(GuideLinkBlock):
    guide = blocks.PageChooserBlock(label=_("Guide"), page_type="guides.GuidePage", required=False)


# --- Lesson blocks -------------------------------------------------------------------


class LessonImageBlock(ImageBlock):
    """An image with its alternative text, always: a lesson image carries meaning.

    Wagtail's ImageBlock lets editors mark an image as decorative; in a lesson that
    would hide information from screen-reader users, so it is refused.
    """

    def clean(self, value):
        value = super().clean(value)
        if value and (value.decorative or not (value.contextual_alt_text or "").strip()):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Décrivez l'image : le texte alternatif est obligatoire.")
                    )
                }
            )
        return value


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Vidéo (URL)"))
    title = blocks.CharBlock(label=_("Titre"), max_length=160)
    transcript = blocks.RichTextBlock(
        label=_("Transcription"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Obligatoire : la vidéo doit être accessible sans le son ni l'image."),
    )

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "courses/blocks/video.html"


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Points clés"), max_length=120)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point"), max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Points clés")
        template = "courses/blocks/key_points.html"


class CaseVignetteBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=160)
    text = blocks.RichTextBlock(label=_("Situation"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "user"
        label = _("Vignette clinique")
        template = "courses/blocks/case_vignette.html"


class RememberBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("À retenir"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        label = _("« À retenir »")
        template = "courses/blocks/remember.html"


class SelfCheckChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Réponse"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correcte"), required=False)
    feedback = blocks.TextBlock(label=_("Retour"), required=False, max_length=600)


class SelfCheckBlock(blocks.StructBlock):
    """A short, ungraded question with immediate feedback (works without JavaScript)."""

    question = blocks.CharBlock(label=_("Question"), max_length=300)
    choices = blocks.ListBlock(SelfCheckChoiceBlock(), min_num=2, max_num=6)
    explanation = blocks.TextBlock(label=_("Explication"), required=False, max_length=800)

    class Meta:
        icon = "help"
        label = _("Question d'auto-évaluation")
        template = "courses/blocks/self_check.html"


class LessonStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Texte"), features=LESSON_TEXT_FEATURES)
    image = LessonImageBlock(label=_("Image"), template="courses/blocks/image.html")
    video = VideoBlock()
    key_points = KeyPointsBlock()
    case_vignette = CaseVignetteBlock()
    remember = RememberBlock()
    guide_link = GuideLinkBlock()
    self_check = SelfCheckBlock()


# --- Quiz blocks ---------------------------------------------------------------------


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Réponse"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correcte"), required=False)
    feedback = blocks.TextBlock(label=_("Retour si choisie"), required=False, max_length=600)


def _validate_choices(value, *, single):
    correct = sum(1 for choice in value["choices"] if choice["correct"])
    if single and correct != 1:
        message = _("Une question à choix unique a exactement une réponse correcte.")
    elif not single and correct < 1:
        message = _("Cochez au moins une réponse correcte.")
    else:
        return
    raise StructBlockValidationError(block_errors={"choices": ValidationError(message)})


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"), max_length=600)
    choices = blocks.ListBlock(AnswerChoiceBlock(), label=_("Réponses"), min_num=2, max_num=8)
    explanation = blocks.RichTextBlock(
        label=_("Explication générale"), features=SHORT_RICH_TEXT_FEATURES, required=False
    )
    guide_link = OptionalGuideLinkBlock(required=False, label=_("Pour aller plus loin"))

    multiple = False

    def clean(self, value):
        value = super().clean(value)
        _validate_choices(value, single=not self.multiple)
        return value


class SingleChoiceQuestionBlock(QuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Choix unique")


class MultipleChoiceQuestionBlock(QuestionBlock):
    multiple = True

    class Meta:
        icon = "tasks"
        label = _("Choix multiple")


class TrueFalseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Affirmation"), max_length=600)
    answer = blocks.BooleanBlock(label=_("L'affirmation est vraie"), required=False)
    feedback_true = blocks.TextBlock(label=_("Retour si « Vrai »"), required=False)
    feedback_false = blocks.TextBlock(label=_("Retour si « Faux »"), required=False)
    explanation = blocks.RichTextBlock(
        label=_("Explication générale"), features=SHORT_RICH_TEXT_FEATURES, required=False
    )
    guide_link = OptionalGuideLinkBlock(required=False, label=_("Pour aller plus loin"))

    class Meta:
        icon = "tick-inverse"
        label = _("Vrai / faux")


class CaseStudyQuestionBlock(QuestionBlock):
    vignette = blocks.RichTextBlock(label=_("Situation"), features=SHORT_RICH_TEXT_FEATURES)
    multiple_answers = blocks.BooleanBlock(
        label=_("Plusieurs réponses correctes possibles"), required=False
    )

    def clean(self, value):
        value = blocks.StructBlock.clean(self, value)
        _validate_choices(value, single=not value["multiple_answers"])
        return value

    class Meta:
        icon = "user"
        label = _("Cas pratique")


class QuizStreamBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    case_study = CaseStudyQuestionBlock()

    class Meta:
        min_num = 1


class PositioningStreamBlock(blocks.StreamBlock):
    """Self-positioning statements of a module (Qualiopi indicator 11).

    Each block's id is the statement's stable key: answers keep it, so rewording a
    statement keeps its history, and deleting it ends it.
    """

    statement = blocks.CharBlock(
        label=_("Énoncé"),
        max_length=200,
        help_text=_("Par exemple : « Je sais à qui transmettre une information préoccupante »."),
    )

    class Meta:
        max_num = 10
