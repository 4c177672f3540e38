"""Site-wide settings that every app may read: the platform's contact address and
legal pages, edited in Wagtail (Paramètres → Réglages du site).

They sit on the ground floor so that an app (the privacy e-mails of `accounts`, say)
reads them without importing the home app above it. Formerly `home.SiteSettings`:
the table and its permissions moved with the model (core/migrations/0001).
Docs: https://docs.wagtail.org/en/stable/reference/contrib/settings.html
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
