"""Home page, standard pages (legal notices…) and the site-wide settings.

Page tree: Root → HomePage → GuideIndexPage (guides app), StandardPage.
Docs: https://docs.wagtail.org/en/stable/reference/pages/model_reference.html
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import EntryBlock
from .content_cache import CONTENT, digest

# Rich text stays simple and accessible: no images, no raw HTML, headings from h2.
INTRO_FEATURES = ["bold", "italic", "link"]
BODY_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(Page):
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
    subpage_types = ["guides.GuideIndexPage", "courses.ModuleIndexPage", "home.StandardPage"]
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


class StandardPage(Page):
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


class AccessibilityStatus(models.TextChoices):
    """RGAA conformance levels, as the declaration and the footer must state them."""

    NON = "non", _("non conforme")
    PARTIELLEMENT = "partiellement", _("partiellement conforme")
    TOTALEMENT = "totalement", _("totalement conforme")


def _legal_page_field(verbose_name):
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Site-wide facts shown in the footer; read once per request (cached on it)."""

    accessibility_status = models.CharField(
        _("état de conformité (RGAA)"),
        max_length=20,
        choices=AccessibilityStatus.choices,
        # Without an audit, the RGAA requires declaring the site « non conforme ».
        default=AccessibilityStatus.NON,
    )
    legal_notice_page = _legal_page_field(_("page des mentions légales"))
    accessibility_page = _legal_page_field(_("page de la déclaration d'accessibilité"))
    privacy_page = _legal_page_field(_("page des données personnelles"))
    contact_email = models.EmailField(_("adresse de contact"), blank=True)

    # The footer needs the three pages on every request: join them to the settings
    # query instead of one query per page.
    select_related = ["legal_notice_page", "accessibility_page", "privacy_page"]

    panels = [
        FieldPanel("accessibility_status"),
        MultiFieldPanel(
            [
                FieldPanel("legal_notice_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("privacy_page"),
            ],
            _("Pages légales"),
        ),
        FieldPanel("contact_email"),
    ]

    class Meta:
        verbose_name = _("réglages du site")
        verbose_name_plural = _("réglages du site")

    def live_page(self, field_name):
        """The linked page if it is published, else None (never link a draft)."""
        page = getattr(self, field_name)
        return page if page is not None and page.live else None
