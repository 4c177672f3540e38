"""« Que faire ? »: the orientation path at /que-faire/.

Page tree: HomePage → OrientationPage → OrientationStepPage, OrientationOutcomePage.
A step asks a question with two to five answers (`OrientationAnswer`), each leading to
another step or to an outcome; an outcome says what to do, whom to call, what to
transmit and on which legal basis.

Steps and outcomes are not reached at their own tree slugs: `OrientationPage.route`
reads the path taken from the URL (`/que-faire/<answer key>/<answer key>/…/`) over the
live graph (`guides.orientation`), cached in the content cache.
https://docs.wagtail.org/en/stable/reference/pages/model_recipes.html#overriding-the-route-method
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core.content_cache import CONTENT
from core.restrictions import CachedViewRestrictions

from .. import orientation as graph_rules
from ..blocks import validate_legifrance_url

MIN_ANSWERS = 2
MAX_ANSWERS = 5
NODE_TYPES = ["guides.OrientationStepPage", "guides.OrientationOutcomePage"]
# After an outcome (which has no answers), this segment asks for its fiche (PDF).
FICHE_SEGMENT = "fiche"
TRANSMIT_FEATURES = ["bold", "italic", "ul", "ol", "link"]


def graph_error_message(error):
    """The editor's words for a `guides.orientation.GraphError`."""
    messages = {
        "cycle": _(
            "Cette réponse crée une boucle : le parcours reviendrait à l'étape « %(step)s »."
        ),
        "dead_end": _("L'étape « %(step)s » n'a pas de réponse : le parcours s'y arrêterait."),
        "missing_target": _(
            "La réponse « %(target)s » mène à une étape ou une issue non publiée, ou hors de ce "
            "parcours : publiez-la d'abord."
        ),
        "too_deep": _(
            "Le parcours compterait %(depth)s questions : %(max)s au plus, de la première "
            "question jusqu'à une issue."
        ),
        "start_is_outcome": _("Le parcours doit commencer par une question."),
    }
    return messages[error.code] % error.params


# --- Blocks ---------------------------------------------------------------------------


class ItemsBlock(blocks.StreamBlock):
    item = blocks.CharBlock(label=_("Point"), max_length=300)


class GuideSectionBlock(blocks.StructBlock):
    """A link to the exact section of a guide (its heading's anchor)."""

    guide = blocks.PageChooserBlock(label=_("Guide"), page_type="guides.GuidePage")
    anchor = blocks.CharBlock(
        label=_("Ancre de la section"),
        required=False,
        max_length=80,
        validators=[validate_slug],
        help_text=_("L'ancre d'un titre du guide (voir son sommaire) ; vide : tout le guide."),
    )
    label = blocks.CharBlock(
        label=_("Intitulé du lien"),
        required=False,
        max_length=200,
        help_text=_("Par défaut, le titre du guide."),
    )

    def clean(self, value):
        value = super().clean(value)
        guide, anchor = value.get("guide"), value.get("anchor")
        if guide is not None and anchor:
            anchors = [entry[0] for entry in guide.specific.table_of_contents()]
            if anchor not in anchors:
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "anchor": ValidationError(
                            _("Ce guide n'a pas de section d'ancre « %(anchor)s »."),
                            code="unknown_anchor",
                            params={"anchor": anchor},
                        )
                    }
                )
        return value

    class Meta:
        icon = "doc-full"
        label = _("Section d'un guide")


class LegifranceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Texte et article"), max_length=200)
    url = blocks.URLBlock(label=_("Adresse Légifrance"), validators=[validate_legifrance_url])

    class Meta:
        icon = "link"
        label = _("Texte sur Légifrance")


class LegalBasisBlock(blocks.StreamBlock):
    guide_section = GuideSectionBlock()
    legifrance = LegifranceBlock()


# --- Graph read from the live pages ---------------------------------------------------


def live_graph(orientation_pk):
    """{page id: Node} of the live steps and outcomes under the orientation page.

    Three queries on a miss, none on a hit; dropped with the content cache (every
    publish, unpublish, move, delete). Answers to a page that is not live are left out.
    """
    return CONTENT.get_or_build(
        f"reperes:orientation-graph:{orientation_pk}", lambda: _read_graph(orientation_pk)
    )


def _read_graph(orientation_pk):
    parent = Page.objects.filter(pk=orientation_pk).only("path", "depth").first()
    if parent is None:
        return {}
    steps = list(
        OrientationStepPage.objects.child_of(parent)
        .live()
        .values_list("pk", "title", "question", "help_text")
    )
    outcomes = list(
        OrientationOutcomePage.objects.child_of(parent).live().values_list("pk", "title")
    )
    live_ids = {row[0] for row in steps} | {row[0] for row in outcomes}
    answers = {}
    for step_id, key, label, target_id in (
        OrientationAnswer.objects.filter(page_id__in=[row[0] for row in steps])
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "key", "label", "target_id")
    ):
        if target_id in live_ids:
            answers.setdefault(step_id, []).append(graph_rules.Answer(key, label, target_id))
    graph = {
        pk: graph_rules.Node(
            pk,
            graph_rules.STEP,
            title=title,
            question=question,
            help_text=help_text,
            answers=tuple(answers.get(pk, ())),
        )
        for pk, title, question, help_text in steps
    }
    for pk, title in outcomes:
        graph[pk] = graph_rules.Node(pk, graph_rules.OUTCOME, title=title)
    return graph


def routed_outcome(outcome_pk):
    """The live outcome with its contacts, from the content cache (None if not live)."""

    def read():
        return (
            OrientationOutcomePage.objects.live()
            .filter(pk=outcome_pk)
            .prefetch_related("outcome_contacts__contact__hours")
            .first()
        )

    return CONTENT.get_or_build(f"reperes:orientation-outcome:{outcome_pk}", read)


def path_url(base_url, keys):
    return base_url + "".join(f"{key}/" for key in keys)


# --- Pages ----------------------------------------------------------------------------


class OrientationPage(CachedViewRestrictions, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=800)
    start_step = models.ForeignKey(
        "guides.OrientationStepPage",
        verbose_name=_("première question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Une question publiée de ce parcours."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        PageChooserPanel("start_step", page_type="guides.OrientationStepPage"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = NODE_TYPES
    max_count = 1
    template = "guides/orientation_step.html"

    class Meta:
        verbose_name = _("parcours « Que faire ? »")
        verbose_name_plural = _("parcours « Que faire ? »")

    def clean(self):
        super().clean()
        if self.pk is None or self.start_step_id is None:
            return
        try:
            graph_rules.validate_start(live_graph_now(self.pk), self.start_step_id)
        except graph_rules.GraphError as error:
            raise ValidationError({"start_step": graph_error_message(error)}) from error

    def route(self, request, path_components):
        """`/que-faire/<key>/<key>/…/[fiche/]`: the path taken, over the live graph."""
        if not self.live:
            raise Http404
        graph = live_graph(self.pk)
        segments = list(path_components)
        trail = graph_rules.parse_path(graph, self.start_step_id, segments)
        fiche = False
        if trail is None and segments and segments[-1] == FICHE_SEGMENT:
            trail = graph_rules.parse_path(graph, self.start_step_id, segments[:-1])
            fiche = True
        if trail is None or (fiche and not trail.node.is_outcome):
            raise Http404
        return RouteResult(self, kwargs={"trail": trail, "fiche": fiche})

    def serve(self, request, *args, trail=None, fiche=False, **kwargs):
        from ..orientation_views import serve_fiche, serve_node

        if trail is None:  # Wagtail's preview of this page: its start
            trail = graph_rules.parse_path(live_graph(self.pk), self.start_step_id, [])
        if fiche:
            return serve_fiche(request, self, trail)
        return serve_node(request, self, trail)

    def serve_preview(self, request, mode_name):
        """The preview shows the live path's start (steps are previewed one by one)."""
        return self.serve(request)

    def start_url(self, request=None):
        return self.get_url(request) or "/"

    def node_url(self, node_id, request=None):
        """The shortest path URL to a live node, or None."""
        keys = graph_rules.shortest_path(live_graph(self.pk), self.start_step_id, node_id)
        return None if keys is None else path_url(self.start_url(request), keys)


def live_graph_now(orientation_pk):
    """The live graph read from the database (validation must not trust a cache built
    before a concurrent publish inside this transaction)."""
    return _read_graph(orientation_pk)


class OrientationNodeMixin:
    """What steps and outcomes share: reached through their path, not their slug."""

    # The « Guides à revoir » report lists them beside guides, which have a publisher.
    publisher = None

    def orientation(self):
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def get_url_parts(self, request=None):
        """« Voir en ligne »: the shortest path to this node, else the path's start."""
        parts = super().get_url_parts(request)
        if parts is None or parts[2] is None:
            return parts
        parent = self.get_parent()
        if parent is None:
            return parts
        # Only the path changes; the site and its root stay Wagtail's (this code builds
        # no absolute address: tests/config/test_public_links.py).
        site_id, site_root, own = parts
        base = own.rstrip("/").rsplit("/", 1)[0] + "/"
        start_id = (
            OrientationPage.objects.filter(pk=parent.pk)
            .values_list("start_step_id", flat=True)
            .first()
        )
        keys = graph_rules.shortest_path(live_graph(parent.pk), start_id, self.pk)
        return site_id, site_root, path_url(base, keys or [])


class StepForm(WagtailAdminPageForm):
    """Checks the whole path with the answers as submitted: the form's errors show in
    the admin, and nothing is saved (issue 16: no cycle, no dead end, at most 12)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("answers")
        if formset is None or not formset.is_valid():
            return cleaned
        answers = []
        keys = set()
        for form in formset.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            key = data.get("key") or slugify(data.get("label", ""))[:50]
            if key in keys:
                self.add_error(
                    None,
                    ValidationError(
                        _("Deux réponses ont la même clé « %(key)s »."),
                        code="duplicate_key",
                        params={"key": key},
                    ),
                )
                return cleaned
            keys.add(key)
            target = data.get("target")
            answers.append(
                graph_rules.Answer(key, data.get("label", ""), target.pk if target else None)
            )
        if not MIN_ANSWERS <= len(answers) <= MAX_ANSWERS:
            self.add_error(
                None,
                ValidationError(
                    _("Une question a de %(min)s à %(max)s réponses."),
                    code="answer_count",
                    params={"min": MIN_ANSWERS, "max": MAX_ANSWERS},
                ),
            )
            return cleaned
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        orientation = OrientationPage.objects.filter(pk=parent.pk).first() if parent else None
        if orientation is None:
            return cleaned
        step_id = self.instance.pk or -1  # a new step: no answer can lead to it yet
        try:
            graph_rules.validate_step(
                live_graph_now(orientation.pk), orientation.start_step_id, step_id, answers
            )
        except graph_rules.GraphError as error:
            self.add_error(None, ValidationError(graph_error_message(error), code=error.code))
        return cleaned


class OrientationStepPage(OrientationNodeMixin, Page):
    question = models.CharField(_("question"), max_length=250)
    help_text = models.CharField(
        _("aide"),
        max_length=400,
        blank=True,
        help_text=_("Une phrase au plus, sous la question."),
    )
    last_legal_review = models.DateField(_("dernière relecture juridique"), null=True, blank=True)
    next_review_due = models.DateField(_("prochaine relecture prévue"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("question"),
        FieldPanel("help_text"),
        InlinePanel(
            "answers",
            label=_("Réponse"),
            heading=_("Réponses"),
            min_num=MIN_ANSWERS,
            max_num=MAX_ANSWERS,
        ),
    ]
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("last_legal_review"), FieldPanel("next_review_due")],
            heading=_("Relecture juridique"),
        ),
        *Page.promote_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("question")]
    base_form_class = StepForm
    parent_page_types = ["guides.OrientationPage"]
    subpage_types = []
    template = "guides/orientation_step.html"

    class Meta:
        verbose_name = _("question du parcours")
        verbose_name_plural = _("questions du parcours")

    def serve_preview(self, request, mode_name):
        """The draft alone: a preview has no path (routing goes through the path)."""
        from ..orientation_views import serve_preview_node

        return serve_preview_node(request, self)


class OrientationAnswer(Orderable):
    page = ParentalKey(OrientationStepPage, on_delete=models.CASCADE, related_name="answers")
    label = models.CharField(_("réponse"), max_length=200)
    key = models.SlugField(
        _("clé dans l'adresse"),
        max_length=50,
        blank=True,
        help_text=_("Facultatif : par défaut, tirée de la réponse."),
    )
    target = models.ForeignKey(
        Page,
        verbose_name=_("mène à"),
        # Deleting a page that a live answer follows is refused first (wagtail_hooks);
        # the answers of drafts go with it.
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("key"),
        PageChooserPanel("target", page_type=NODE_TYPES),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = slugify(self.label)[:50] or "reponse"
        super().save(*args, **kwargs)


class OrientationOutcomePage(OrientationNodeMixin, Page):
    summary = models.TextField(_("en bref"), max_length=600)
    do_now = StreamField(ItemsBlock(), verbose_name=_("À faire maintenant"), blank=True)
    do_not = StreamField(ItemsBlock(), verbose_name=_("À ne pas faire"), blank=True)
    transmit = RichTextField(
        _("Ce qu'il faut transmettre, et à qui"), features=TRANSMIT_FEATURES, blank=True
    )
    legal_basis = StreamField(LegalBasisBlock(), verbose_name=_("Base juridique"), blank=True)
    last_legal_review = models.DateField(_("dernière relecture juridique"), null=True, blank=True)
    next_review_due = models.DateField(_("prochaine relecture prévue"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("do_now"),
        FieldPanel("do_not"),
        InlinePanel("outcome_contacts", label=_("Contact"), heading=_("Qui contacter")),
        FieldPanel("transmit"),
        FieldPanel("legal_basis"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("last_legal_review"), FieldPanel("next_review_due")],
            heading=_("Relecture juridique"),
        ),
        *Page.promote_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["guides.OrientationPage"]
    subpage_types = []
    template = "guides/orientation_outcome.html"

    class Meta:
        verbose_name = _("issue du parcours")
        verbose_name_plural = _("issues du parcours")

    def serve_preview(self, request, mode_name):
        """The draft alone: a preview has no path (routing goes through the path)."""
        from ..orientation_views import serve_preview_node

        return serve_preview_node(request, self)

    def contacts(self):
        return [link.contact for link in self.outcome_contacts.all()]


class OrientationOutcomeContact(Orderable):
    page = ParentalKey(
        OrientationOutcomePage, on_delete=models.CASCADE, related_name="outcome_contacts"
    )
    contact = models.ForeignKey(
        "guides.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("contact")]

    class Meta(Orderable.Meta):
        verbose_name = _("contact de l'issue")
        verbose_name_plural = _("contacts de l'issue")


class OrientationFiche(models.Model):
    """The « fiche de transmission » PDF of one published revision of an outcome."""

    page = models.ForeignKey(
        OrientationOutcomePage, on_delete=models.CASCADE, related_name="fiches"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to="guides/fiches/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fiche de transmission")
        verbose_name_plural = _("fiches de transmission")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "revision"], name="guides_fiche_one_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.page_id}@{self.revision_id}"


class OrientationOutcomeDailyCount(models.Model):
    """How often an outcome was reached (and its fiche downloaded), per outcome and day.

    The only record of the path: no answer, no cookie, no user, no address.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="outcome_counts"
    )
    day = models.DateField(_("jour"))
    reached = models.PositiveIntegerField(_("issues atteintes"), default=0)
    pdf_downloads = models.PositiveIntegerField(_("fiches téléchargées"), default=0)

    class Meta:
        verbose_name = _("issue atteinte (par jour)")
        verbose_name_plural = _("issues atteintes (par jour)")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="guides_one_outcome_count_per_day")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.reached} / {self.pdf_downloads}"
