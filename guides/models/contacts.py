"""Contacts: the structures a worried professional can call, write to or go to.

One contact is one snippet (structure, what it does, for whom, phone, e-mail, address,
commune, opening hours, emergency or not). Guides, the outcomes of the « Que faire ? »
path and the directory at /ressources/ all show the same rows, so a changed number is
changed everywhere at once.

Needs are a fixed vocabulary (`Need`), stored as rows (`ContactNeed`, seeded by the
migration) so that the directory filters on them with a join on every database, as
`accounts.Audience` does for professions.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, Page

from accounts.communes import COMMUNES
from accounts.models import label_of
from core.breadcrumbs import breadcrumb_items
from core.restrictions import CachedViewRestrictions


class Need(models.TextChoices):
    """What a professional is looking for when they open the directory."""

    URGENCE = "urgence", _("Danger immédiat, urgence")
    TRANSMETTRE = "transmettre", _("Transmettre (information préoccupante, signalement)")
    CONSEIL = "conseil", _("Conseil pour un·e professionnel·le")
    ECOUTE = "ecoute", _("Écoute et accompagnement du ou de la jeune")
    SOINS = "soins", _("Soins, santé, psychotraumatisme")
    DROITS = "droits", _("Droits, aide juridique, plainte")
    MISE_A_L_ABRI = "abri", _("Mise à l'abri, hébergement")


class ContactNeed(models.Model):
    """One need of the fixed vocabulary; rows seeded by the migration that adds them."""

    code = models.CharField(max_length=32, unique=True, choices=Need.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")

    def __str__(self):
        return label_of(Need, self.code)


class Weekday(models.IntegerChoices):
    """ISO order, as `date.weekday()` counts: Monday is 0."""

    LUNDI = 0, _("lundi")
    MARDI = 1, _("mardi")
    MERCREDI = 2, _("mercredi")
    JEUDI = 3, _("jeudi")
    VENDREDI = 4, _("vendredi")
    SAMEDI = 5, _("samedi")
    DIMANCHE = 6, _("dimanche")


def validate_commune(code):
    if code and code not in COMMUNES:
        raise ValidationError(_("Commune inconnue."), code="unknown_commune")


class Contact(ClusterableModel):
    name = models.CharField(_("structure"), max_length=200)
    description = models.TextField(_("ce qu'elle fait"), max_length=600)
    for_whom = models.CharField(_("pour qui"), max_length=300, blank=True)
    phone = models.CharField(
        _("téléphone"),
        max_length=30,
        blank=True,
        help_text=_("Tel qu'il se compose en France : « 119 », « 01 43 93 00 00 »."),
    )
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    address = models.TextField(_("adresse"), max_length=300, blank=True)
    commune = models.CharField(
        _("commune"),
        max_length=5,
        blank=True,
        validators=[validate_commune],
        help_text=_(
            "Vide pour un numéro national ou départemental : il est alors affiché pour toutes les communes."
        ),
    )
    needs = ParentalManyToManyField(
        ContactNeed, verbose_name=_("besoins"), blank=True, related_name="contacts"
    )
    is_emergency = models.BooleanField(_("urgence"), default=False)
    always_open = models.BooleanField(_("joignable 24 h/24, 7 j/7"), default=False)
    hours_note = models.CharField(
        _("précision sur les horaires"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : « sauf jours fériés », « sur rendez-vous »."),
    )

    class Meta:
        ordering = ["-is_emergency", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return self.name


class ContactHours(Orderable):
    """One opening slot of a contact: a weekday, from `opens` to `closes` (Paris time)."""

    contact = ParentalKey(Contact, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta(Orderable.Meta):
        verbose_name = _("horaire")
        verbose_name_plural = _("horaires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="guides_contact_hours_opens_before_closes",
            )
        ]

    def __str__(self):
        return f"{label_of(Weekday, self.weekday)} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(
                {
                    "closes": ValidationError(
                        _("La fermeture doit suivre l'ouverture."), code="hours_order"
                    )
                }
            )


class ContactDirectoryPage(CachedViewRestrictions, Page):
    """The directory of contacts (/ressources/), filterable by need and commune.

    Anonymous readers of the bare URL get it from the page cache; since « Ouvert
    maintenant » depends on the clock, the response says how long it stays right
    (`Cache-Control: max-age`, the next opening or closing of a listed contact) and the
    page cache keeps it no longer (`core.page_cache`).
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "guides/contact_directory_page.html"

    class Meta:
        verbose_name = _("annuaire des contacts")
        verbose_name_plural = _("annuaires des contacts")

    def get_context(self, request, *args, **kwargs):
        from ..directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request))
        context["breadcrumb_items"] = breadcrumb_items(request, self)
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        fresh_for = (getattr(response, "context_data", None) or {}).get("fresh_for")
        if fresh_for is not None:
            patch_cache_control(response, max_age=fresh_for)
        return response
