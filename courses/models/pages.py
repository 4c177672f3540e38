"""Module content authored in Wagtail.

Page tree: HomePage → ModuleIndexPage (/formations/) → ModulePage → LessonPage (ordered
as in the tree) and at most one QuizPage.
Docs: https://docs.wagtail.org/en/stable/topics/pages.html#parent-page-subpage-type-rules
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks import LessonStreamBlock, QuizStreamBlock

OBJECTIVE_FEATURES = ["bold", "italic", "ul", "ol", "link"]


class ModuleIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des formations")


class ModuleTopic(TaggedItemBase):
    content_object = ParentalKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PathwayMode(models.TextChoices):
    FREE = "free", _("Libre : les leçons s'ouvrent dans n'importe quel ordre")
    SEQUENTIAL = "sequential", _("Séquentiel : une leçon s'ouvre quand la précédente est terminée")


class ModulePage(Page):
    """A self-paced module: lessons in tree order, then one final quiz."""

    summary = models.TextField(_("résumé"), max_length=600)
    objectives = RichTextField(_("objectifs pédagogiques"), features=OBJECTIVE_FEATURES)
    duration_hours = models.PositiveSmallIntegerField(
        _("durée estimée (heures)"), default=0, validators=[MaxValueValidator(100)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée estimée (minutes)"), default=0, validators=[MaxValueValidator(59)]
    )
    audiences = ParentalManyToManyField(
        "accounts.Audience", verbose_name=_("publics"), blank=True, related_name="modules"
    )
    topics = ClusterTaggableManager(
        through=ModuleTopic, verbose_name=_("thèmes"), blank=True, related_name="modules"
    )
    publisher = models.ForeignKey(
        "guides.Publisher",
        verbose_name=_("éditeur"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="modules",
    )
    pathway_mode = models.CharField(
        _("parcours"), max_length=12, choices=PathwayMode.choices, default=PathwayMode.FREE
    )
    passing_score = models.PositiveSmallIntegerField(
        _("score de réussite (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("tentatives de quiz autorisées"),
        default=3,
        help_text=_("0 = illimité."),
        validators=[MaxValueValidator(50)],
    )
    content_warning = models.TextField(
        _("avertissement de contenu"),
        blank=True,
        max_length=800,
        help_text=_("Facultatif : affiché avant la première leçon."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldRowPanel(
            [FieldPanel("duration_hours"), FieldPanel("duration_minutes")],
            heading=_("Durée estimée"),
        ),
        FieldPanel("content_warning"),
        MultiFieldPanel(
            [FieldPanel("pathway_mode"), FieldPanel("passing_score"), FieldPanel("max_attempts")],
            heading=_("Parcours et quiz"),
        ),
    ]
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("publisher"), FieldPanel("audiences"), FieldPanel("topics")],
            heading=_("Classement"),
        ),
        *Page.promote_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("objectives"),
        index.RelatedFields("topics", [index.SearchField("name", boost=2)]),
    ]
    parent_page_types = ["courses.ModuleIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @property
    def duration_total_minutes(self):
        return self.duration_hours * 60 + self.duration_minutes

    @property
    def is_sequential(self):
        return self.pathway_mode == PathwayMode.SEQUENTIAL


class LessonPage(Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("durée estimée (minutes)"), default=10, validators=[MaxValueValidator(600)]
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("contenu"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("leçon")
        verbose_name_plural = _("leçons")


class QuizPage(Page):
    """The module's final quiz. Correct answers never reach the browser before grading."""

    intro = models.TextField(_("consignes"), blank=True, max_length=800)
    questions = StreamField(QuizStreamBlock(), verbose_name=_("questions"))
    shuffle_questions = models.BooleanField(_("mélanger les questions"), default=False)
    shuffle_choices = models.BooleanField(_("mélanger les réponses"), default=False)
    questions_drawn = models.PositiveSmallIntegerField(
        _("nombre de questions tirées"),
        default=0,
        help_text=_("0 = toutes les questions de la banque."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("questions_drawn"),
            ],
            heading=_("Tirage"),
        ),
    ]
    # The quiz is never indexed: its text would leak answers through search results.
    search_fields = []
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quiz")
