"""Legal guides: publishers, the guide index at /guides/, guide pages, their PDFs.

Page tree: HomePage → GuideIndexPage → GuidePage
(https://docs.wagtail.org/en/stable/topics/pages.html#parent-page-subpage-type-rules).
"""

from django import forms
from django.conf import settings
from django.db import models
from django.http import FileResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.breadcrumbs import breadcrumb_items
from core.content_cache import CONTENT, digest
from core.restrictions import CachedViewRestrictions

from ..blocks import GuideStreamBlock


@register_snippet
class Publisher(models.Model):
    """Who publishes a guide or a module (Observatoire, association, Département)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Who works for this publisher: an editor sees the figures (item analysis,
    # dashboard) of the publishers they belong to, and no one else's.
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membres (rédaction, formation)"),
        related_name="publishers",
        blank=True,
        help_text=_(
            "Les membres voient les chiffres des modules, sessions et guides de cet éditeur "
            "(analyse des réponses aux quiz, tableau de bord). La Coordination voit tout."
        ),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("members"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("éditeur")
        verbose_name_plural = _("éditeurs")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class GuideIndexPage(CachedViewRestrictions, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["guides.GuidePage"]
    max_count = 1
    template = "guides/guide_index_page.html"

    class Meta:
        verbose_name = _("index des guides")
        verbose_name_plural = _("index des guides")

    def route(self, request, path_components):
        """Fetch a guide with what its page shows in one go.

        Wagtail's default routing reads the child page, then its specific row, then
        each relation lazily; guide pages are the most read pages of the site.
        https://docs.wagtail.org/en/stable/reference/pages/model_recipes.html#overriding-the-route-method
        """
        if not path_components:
            return super().route(request, path_components)
        if path_components[1:]:
            # A sub-route (the PDF) shows nothing of the page's data: the guide alone,
            # with its view restrictions and stored PDF, from the content cache.
            guide = routed_guide(self, path_components[0])
        else:
            guide = routed_guide_page(self, path_components[0])
        if guide is None:
            return super().route(request, path_components)
        # Treebeard's get_parent() reuses this: breadcrumbs need no query.
        guide._cached_parent_obj = self
        return guide.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from ..views import guide_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(guide_index_context(self, request))
        context["breadcrumb_items"] = breadcrumb_items(request, self)
        return context


def routed_guide(index, slug):
    """The guide `slug` under `index` as its PDF route needs it, from the content cache.

    Without its body, with what the download reads besides (no query on a hit): the
    view restrictions of the guide and its ancestors (Wagtail checks them before
    serving) and the stored PDF of its published revision (None until rendered). The
    entry is dropped with the content cache: on publish, unpublish, move, a view
    restriction or a stored PDF changed (`guides.signals`). None for an unknown slug
    (not stored: made-up URLs do not fill the cache).
    """
    return CONTENT.get_or_build(
        f"reperes:guide-route:{index.pk}:{digest(slug)}",
        lambda: _read_routed_guide(index, slug),
    )


def routed_guide_page(index, slug):
    """The guide `slug` under `index` with what its page shows besides the body
    (publisher, audiences, topics, view restrictions), from the content cache.

    The body stays deferred: the page's template renders it, with the table of
    contents and the related guides, into a fragment of the content cache, so that on
    a hit the page costs no query. Dropped like `routed_guide`; None for an unknown slug.
    """
    return CONTENT.get_or_build(
        f"reperes:guide-page:{index.pk}:{digest(slug)}",
        lambda: _read_routed_guide_page(index, slug),
    )


def _read_routed_guide_page(index, slug):
    from ..views import with_card_data

    guides = GuidePage.objects.child_of(index).filter(slug=slug)
    guide = with_card_data(guides).first()
    if guide is not None:
        guide._view_restrictions = list(guide.get_view_restrictions())
    return guide


def _read_routed_guide(index, slug):
    guide = GuidePage.objects.child_of(index).filter(slug=slug).defer_streamfields().first()
    if guide is None:
        return None
    guide._view_restrictions = list(guide.get_view_restrictions())
    guide._stored_pdf = (
        GuidePdf.objects.filter(page=guide, revision_id=guide.live_revision_id).first()
        if guide.live
        else None
    )
    return guide


class GuideTopic(TaggedItemBase):
    content_object = ParentalKey(
        "guides.GuidePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class GuidePage(RoutablePageMixin, CachedViewRestrictions, Page):
    summary = models.TextField(
        _("résumé"), max_length=600, help_text=_("Deux ou trois phrases, affichées en tête.")
    )
    publisher = models.ForeignKey(
        Publisher,
        verbose_name=_("éditeur"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="guides",
    )
    audiences = ParentalManyToManyField(
        "accounts.Audience", verbose_name=_("publics"), blank=True, related_name="guides"
    )
    topics = ClusterTaggableManager(
        through=GuideTopic, verbose_name=_("thèmes"), blank=True, related_name="guides"
    )
    last_legal_review = models.DateField(_("dernière relecture juridique"), null=True, blank=True)
    next_review_due = models.DateField(_("prochaine relecture prévue"), null=True, blank=True)
    body = StreamField(GuideStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
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
        MultiFieldPanel(
            [FieldPanel("last_legal_review"), FieldPanel("next_review_due")],
            heading=_("Relecture juridique"),
        ),
        *Page.promote_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name", boost=2)]),
        index.FilterField("next_review_due"),
    ]
    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []
    template = "guides/guide_page.html"

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def table_of_contents(self):
        """(anchor, text, level) for each heading block, in order."""
        return [
            (block.value.anchor_id, block.value["text"], block.value["level"])
            for block in self.body
            if block.block_type == "heading"
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the page's fragment is rendered (a miss of the content
        # cache, or a preview), not on every request.
        context["toc"] = SimpleLazyObject(self.table_of_contents)
        context["related_guides"] = SimpleLazyObject(self.related_guides)
        index = self.get_parent()  # cached by GuideIndexPage.route: no query
        context["index_url"] = index.get_url(request) if index else ""
        context["breadcrumb_items"] = breadcrumb_items(request, index, self)
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        """Serve the page or its PDF, then count the reading (guides/counters.py)."""
        response = super().serve(request, view, args, kwargs)
        kind = self.counted_kind(view)
        if kind is not None:
            from core.page_cache import count_on_hit  # not at import: it reads the models

            from ..counters import GUIDE_READING, count_guide_hit, is_countable

            if is_countable(request, response):
                count_guide_hit(self.pk, kind)
            # Readings the page cache answers later are counted there.
            count_on_hit(response, GUIDE_READING, self.pk, kind)
        return response

    def counted_kind(self, view):
        """What a routed view counts as: the page itself, its PDF, or nothing."""
        name = getattr(view, "__name__", "index_route") if view is not None else "index_route"
        return {"index_route": "views", "pdf": "pdf_downloads"}.get(name)

    def get_view_restrictions(self):
        """Those cached with the routed guide (`routed_guide`), else Wagtail's query."""
        cached = self.__dict__.get("_view_restrictions")
        return list(cached) if cached is not None else super().get_view_restrictions()

    def related_guides(self, limit=3):
        """Other live guides sharing the most topics with this one."""
        from ..views import related_guides

        return related_guides(self, limit)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        """The PDF of the published revision, rendered once then served from storage."""
        from ..services import open_guide_pdf

        guide_pdf, handle = open_guide_pdf(self)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{self.slug}.pdf",
            content_type="application/pdf",
        )
        response["ETag"] = f'"{guide_pdf.sha256}"'
        return response


class GuidePdf(models.Model):
    """The PDF of one published revision of a guide (DESIGN.md: generated once)."""

    page = models.ForeignKey(GuidePage, on_delete=models.CASCADE, related_name="pdfs")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to="guides/pdf/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PDF de guide")
        verbose_name_plural = _("PDF de guides")
        constraints = [
            models.UniqueConstraint(fields=["page", "revision"], name="guides_pdf_one_per_revision")
        ]

    def __str__(self):
        return f"{self.page_id}@{self.revision_id}"


class GuideDailyCount(models.Model):
    """How often a guide was read and its PDF downloaded, per page and day.

    Counts only: no cookie, no user, no address; nobody's reading is tracked one by
    one (DESIGN.md, « Figures about people »). Written by `guides.counters` with F()
    increments, so parallel hits on several servers never lose a count.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="daily_counts"
    )
    day = models.DateField(_("jour"))
    views = models.PositiveIntegerField(_("consultations"), default=0)
    pdf_downloads = models.PositiveIntegerField(_("téléchargements du PDF"), default=0)

    class Meta:
        verbose_name = _("fréquentation d'un guide (par jour)")
        verbose_name_plural = _("fréquentation des guides (par jour)")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="guides_one_count_per_page_day")
        ]
        indexes = [models.Index(fields=["day"], name="guides_count_day")]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.views} / {self.pdf_downloads}"
