"""StreamField blocks of the home page.

Block names are stable: renaming one needs a data migration.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def validate_site_path(value):
    """Accept only a path on this site ("/formations/"), never another host.

    Entries point at sections that may be plain Django views (sessions), so a page
    chooser is not always possible; an absolute path keeps links on the platform.
    """
    if value and (not value.startswith("/") or value.startswith("//")):
        raise ValidationError(
            _("Indiquez un chemin du site commençant par « / », par exemple /formations/.")
        )


class EntryValue(blocks.StructValue):
    """An entry links to a live page if one is chosen, else to the site path given."""

    @property
    def target_page(self):
        page = self.get("page")
        return page if page is not None and page.live else None

    @property
    def has_target(self):
        return self.target_page is not None or bool(self.get("path"))


class EntryBlock(blocks.StructBlock):
    """An entry point to a section (guides, modules, sessions).

    Hidden on the page while its target is not set, so a section that does not
    exist yet never shows a broken link.
    """

    title = blocks.CharBlock(label=_("Titre"), max_length=80)
    text = blocks.TextBlock(label=_("Description"), required=False, max_length=300)
    page = blocks.PageChooserBlock(label=_("Page cible"), required=False)
    path = blocks.CharBlock(
        label=_("ou chemin sur le site"),
        required=False,
        max_length=200,
        validators=[validate_site_path],
        help_text=_("Utilisé si aucune page n'est choisie, par exemple /sessions/."),
    )
    link_label = blocks.CharBlock(
        label=_("Texte du lien"),
        required=False,
        max_length=80,
        help_text=_("Par défaut : « Accéder à » suivi du titre."),
    )

    class Meta:
        icon = "link"
        label = _("Entrée")
        value_class = EntryValue
        template = "home/blocks/entry.html"
