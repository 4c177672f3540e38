"""Home page and standard pages (legal notices…); the site-wide settings are `core.models`.

Page tree: Root → HomePage → GuideIndexPage (guides app), StandardPage.
Docs: https://docs.wagtail.org/en/stable/reference/pages/model_reference.html
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.content_cache import CONTENT, digest
from core.restrictions import CachedViewRestrictions

from .blocks import EntryBlock

# Rich text stays simple and accessible: no images, no raw HTML, headings from h2.
INTRO_FEATURES = ["bold", "italic", "link"]
BODY_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(CachedViewRestrictions, Page):
    """The site root: what Repères is for, and entries to its sections."""

    intro = RichTextField(_("introduction"), features=INTRO_FEATURES, blank=True)
    purpose_heading = models.CharField(
        _("titre de la présentation"), max_length=120, default="À quoi sert Repères ?"
    )
    purpose = RichTextField(_("présentation"), features=BODY_FEATURES, blank=True)
    entries_heading = models.CharField(
        _("titre des entrées"), max_length=120, default="Par où commencer ?"
    )
    entries = StreamField(
        [("entry", EntryBlock())],
        verbose_name=_("entrées"),
        blank=True,
        help_text=_("Guides, formations, sessions… Une entrée sans cible n'est pas affichée."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("purpose_heading"), FieldPanel("purpose")], _("Présentation")),
        MultiFieldPanel([FieldPanel("entries_heading"), FieldPanel("entries")], _("Entrées")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("purpose")]

    # One home page, at the root of the tree.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "guides.GuideIndexPage",
        "guides.OrientationPage",
        "guides.ContactDirectoryPage",
        "courses.ModuleIndexPage",
        "home.StandardPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")
        verbose_name_plural = _("pages d'accueil")

    def section(self, slug):
        """The child page `slug`, specific (from the content cache), or None."""
        return CONTENT.get_or_build(
            f"reperes:section:{self.pk}:{digest(slug)}",
            lambda: self.get_children().filter(slug=slug).specific().first(),
        )

    def route(self, request, path_components):
        """Route to a section without reading it from the database on every request.

        Wagtail's default reads the child page, then its specific row; a section
        (/guides/, /formations/, a legal page) changes only when it is published.
        https://docs.wagtail.org/en/stable/reference/pages/model_recipes.html#overriding-the-route-method
        """
        section = self.section(path_components[0]) if path_components else None
        if section is None:
            return super().route(request, path_components)
        # Treebeard's get_parent() reuses this: no query for the section's parent.
        section._cached_parent_obj = self
        return section.route(request, path_components[1:])


class StandardPage(CachedViewRestrictions, Page):
    """A plain text page: mentions légales, déclaration d'accessibilité, données personnelles."""

    intro = models.TextField(_("chapeau"), blank=True, max_length=500)
    body = RichTextField(_("contenu"), features=BODY_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")

    @property
    def summary(self):
        return self.search_description or self.intro
