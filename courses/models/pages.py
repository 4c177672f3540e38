"""Module content authored in Wagtail.

Page tree: HomePage → ModuleIndexPage (/formations/) → ModulePage → LessonPage (ordered
as in the tree) and at most one QuizPage.
Docs: https://docs.wagtail.org/en/stable/topics/pages.html#parent-page-subpage-type-rules
"""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from core.breadcrumbs import breadcrumb_items
from core.content_cache import CONTENT, digest
from core.restrictions import CachedViewRestrictions
from courses.blocks import LessonStreamBlock, PositioningStreamBlock, QuizStreamBlock

from .surveys import CourseSurveys

OBJECTIVE_FEATURES = ["bold", "italic", "ul", "ol", "link"]


def format_duration(total_minutes):
    """« 2 h 30 », « 2 h », « 45 min »: the French way of writing a duration."""
    hours, minutes = divmod(total_minutes or 0, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": minutes}
    if not minutes:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": minutes}


def learner_context(hook_name, request, **kwargs):
    """The learner's state (progress, next step…) merged into a page's context.

    `hook_name` is `module_page_context` or `lesson_page_context` of
    `courses/modules/services.py`; anonymous visitors get the public page only.
    """
    if not request.user.is_authenticated:
        return {}
    from courses.modules import services  # services import these models

    return getattr(services, hook_name)(request, **kwargs)


def module_outline(index, slug):
    """The module `slug` under `index`, its outline attached, from the content cache.

    Lesson pages read their module, its lessons (navigation, progress) and its quiz
    on every visit; these change only when an editor publishes, which drops the
    cache (`core.content_cache`). None when there is no such module.
    """
    return CONTENT.get_or_build(
        f"reperes:module-outline:{index.pk}:{digest(slug)}",
        lambda: _read_module_outline(index, slug),
    )


def _read_module_outline(index, slug):
    module = (
        ModulePage.objects.child_of(index).filter(slug=slug).select_related("publisher").first()
    )
    return module.attach_outline() if module is not None else None


def outlined_module(module_id):
    """The module `module_id`, live or not, its outline attached, from the content
    cache (« Mon espace » lists the learner's modules by id). None when unknown."""
    return CONTENT.get_or_build(
        f"reperes:module-by-id:{int(module_id)}",
        lambda: _read_outlined_module(module_id),
    )


def _read_outlined_module(module_id):
    module = ModulePage.objects.filter(pk=module_id).select_related("publisher").first()
    return module.attach_outline() if module is not None else None


def outlined_view_restrictions(page, default):
    """The view restrictions cached with the module's outline, else Wagtail's query."""
    cached = page.__dict__.get("_view_restrictions")
    return list(cached) if cached is not None else default()


class ModuleIndexPage(CachedViewRestrictions, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    # Templates of the self-paced wing live under courses/modules/.
    template = "courses/modules/module_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.ModulePage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des formations")

    def route(self, request, path_components):
        """Find the module, its lessons and its quiz in the cached outline.

        Wagtail's default routing reads the child page, then its specific row, at
        every level.
        https://docs.wagtail.org/en/stable/reference/pages/model_recipes.html#overriding-the-route-method
        """
        if not path_components:
            return super().route(request, path_components)
        module = module_outline(self, path_components[0])
        if module is None:
            return super().route(request, path_components)
        # Treebeard's get_parent() reuses this: breadcrumbs need no query.
        module._cached_parent_obj = self
        return module.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from courses.modules.filters import module_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_index_context(self, request))
        context["breadcrumb_items"] = breadcrumb_items(request, self)
        return context


class ModuleTopic(TaggedItemBase):
    content_object = ParentalKey(
        "courses.ModulePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class PathwayMode(models.TextChoices):
    FREE = "free", _("Libre : les leçons s'ouvrent dans n'importe quel ordre")
    SEQUENTIAL = "sequential", _("Séquentiel : une leçon s'ouvre quand la précédente est terminée")


class ModulePage(CourseSurveys, Page):
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
    certificate_validity_years = models.PositiveSmallIntegerField(
        _("validité de l'attestation (années)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Facultatif : l'attestation expire après ce nombre d'années."),
    )
    positioning = StreamField(
        PositioningStreamBlock(),
        verbose_name=_("auto-positionnement"),
        blank=True,
        default=list,
        help_text=_(
            "Facultatif : quelques énoncés que chaque apprenant·e note de 1 (pas du tout) "
            "à 4 (tout à fait), avant la première leçon puis une fois le module terminé. "
            "Le tableau de bord montre l'évolution (indicateur Qualiopi 11)."
        ),
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
            [
                FieldPanel("pathway_mode"),
                FieldPanel("passing_score"),
                FieldPanel("max_attempts"),
                FieldPanel("certificate_validity_years"),
            ],
            heading=_("Parcours et quiz"),
        ),
        FieldPanel("positioning"),
        MultiFieldPanel(
            [
                FieldPanel("survey_hot"),
                FieldPanel("survey_cold"),
                FieldPanel("survey_cold_delay_days"),
            ],
            heading=_("Questionnaires de satisfaction"),
            help_text=_(
                "Vides : le questionnaire par défaut de l’éditeur, sinon celui de la plateforme."
            ),
        ),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics"),
            ],
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
    template = "courses/modules/module_page.html"
    parent_page_types = ["courses.ModuleIndexPage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    @property
    def duration_total_minutes(self):
        return self.duration_hours * 60 + self.duration_minutes

    @property
    def duration_display(self):
        return format_duration(self.duration_total_minutes)

    @property
    def is_sequential(self):
        return self.pathway_mode == PathwayMode.SEQUENTIAL

    def attach_outline(self):
        """Read the live lessons, the live quiz and the view restrictions once, and keep
        them on this instance (cached with it by `module_outline`). Five queries."""
        lessons = list(
            LessonPage.objects.child_of(self).live().defer_streamfields().order_by("path")
        )
        self._live_quiz = QuizPage.objects.child_of(self).live().defer_streamfields().first()
        self._view_restrictions = restrictions = list(super().get_view_restrictions())
        # A lesson's restrictions: its module's and its own (an alias uses its source's).
        own = {}
        for restriction in PageViewRestriction.objects.filter(
            page_id__in=[lesson.alias_of_id or lesson.pk for lesson in lessons]
        ):
            own.setdefault(restriction.page_id, []).append(restriction)
        for lesson in lessons:
            lesson._view_restrictions = restrictions + own.get(lesson.alias_of_id or lesson.pk, [])
        self._live_lessons = lessons
        return self

    def live_lessons(self):
        """The module's live lessons in tree order, without their bodies (one query,
        none when routed through the cached outline)."""
        if "_live_lessons" in self.__dict__:
            return list(self._live_lessons)
        return list(LessonPage.objects.child_of(self).live().defer_streamfields().order_by("path"))

    def live_quiz(self):
        """The module's live quiz, without its questions, or None (one query at most)."""
        if "_live_quiz" in self.__dict__:
            return self._live_quiz
        return QuizPage.objects.child_of(self).live().defer_streamfields().first()

    def positioning_statements(self):
        """[(statement id, text)] in the editor's order; no query."""
        return [
            (block.id, str(block.value).strip())
            for block in self.positioning
            if block.block_type == "statement" and str(block.value).strip()
        ]

    def has_quiz(self):
        """Whether a live quiz follows the lessons."""
        return self.live_quiz() is not None

    def get_view_restrictions(self):
        return outlined_view_restrictions(self, super().get_view_restrictions)

    def quiz_url(self):
        """The learning side's quiz view (questions are never served as a page)."""
        return reverse("courses:quiz", args=[self.pk])

    def route(self, request, path_components):
        """Find a live lesson in the outline, else fetch a lesson (or the quiz) by slug
        with its specific fields, in one query."""
        if len(path_components) == 1:
            slug = path_components[0]
            outlined = self.__dict__.get("_live_lessons", ())
            child = next((lesson for lesson in outlined if lesson.slug == slug), None)
            if child is None:
                child = LessonPage.objects.child_of(self).filter(slug=slug).first()
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = self.live_lessons()
        quiz = self.live_quiz()
        index = self.get_parent()  # cached by ModuleIndexPage.route: no query
        context.update(
            module=self,
            lessons=lessons,
            first_lesson=lessons[0] if lessons else None,
            quiz=quiz,
            quiz_url=self.quiz_url() if quiz else "",
            lessons_duration=format_duration(sum(page.estimated_minutes for page in lessons)),
            index_url=index.get_url(request) if index else "",
            breadcrumb_items=breadcrumb_items(request, index, self),
        )
        context.update(
            learner_context("module_page_context", request, module=self, lessons=lessons, quiz=quiz)
        )
        return context


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
    template = "courses/modules/lesson_page.html"
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("leçon")
        verbose_name_plural = _("leçons")

    @property
    def duration_display(self):
        return format_duration(self.estimated_minutes)

    def get_module(self):
        """The parent module with its publisher (no query when routed from it)."""
        cached = getattr(self, "_cached_parent_obj", None)
        if isinstance(cached, ModulePage):
            return cached
        return ModulePage.objects.select_related("publisher").get(path=self.path[: -self.steplen])

    def get_view_restrictions(self):
        return outlined_view_restrictions(self, super().get_view_restrictions)

    def serve(self, request, *args, **kwargs):
        """Lessons are for signed-in learners; others go to the login page and back."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        offer = self.positioning_offer(request)
        if offer:
            return redirect(offer)
        return super().serve(request, *args, **kwargs)

    def positioning_offer(self, request):
        """The « Avant de commencer » page's URL when it is due on this lesson, else "".

        Offered on the module's first lesson only, once per learner (answered or
        « Passer »), never in an editor's preview. No query for a module without
        statements; routed through the cached outline, one query otherwise, until the
        session knows it is settled (`positioning.before_is_due_for`).
        """
        if getattr(request, "is_preview", False) or not self.live:
            return ""
        module = self.get_module()
        if not module.positioning_statements():
            return ""
        lessons = module.live_lessons()
        if not lessons or lessons[0].pk != self.pk:
            return ""
        from courses.modules import positioning  # the services import these models

        if not positioning.before_is_due_for(request, module):
            return ""
        return reverse("courses:positioning", args=[module.pk, positioning.MOMENT_SLUGS["before"]])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        module = self.get_module()
        lessons = module.live_lessons()  # the siblings, for navigation (cached outline)
        position = next((i for i, page in enumerate(lessons) if page.pk == self.pk), None)
        previous_lesson = next_lesson = None
        if position is not None:
            previous_lesson = lessons[position - 1] if position > 0 else None
            next_lesson = lessons[position + 1] if position + 1 < len(lessons) else None
        context.update(
            module=module,
            lessons=lessons,
            position=(position or 0) + 1,
            is_first_lesson=position == 0,
            previous_lesson=previous_lesson,
            next_lesson=next_lesson,
            # After the last lesson comes the quiz, if there is one.
            quiz_url=module.quiz_url() if next_lesson is None and module.has_quiz() else "",
            breadcrumb_items=breadcrumb_items(request, module, self),
        )
        context.update(
            learner_context(
                "lesson_page_context", request, module=module, lessons=lessons, lesson=self
            )
        )
        return context


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

    def serve(self, request, *args, **kwargs):
        """Never render the questions here: the learning side's quiz view does, without
        the answers. Wagtail's preview of a quiz goes there too."""
        module = ModulePage.objects.get(path=self.path[: -self.steplen])
        return redirect(module.quiz_url())
