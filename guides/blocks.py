"""StreamField blocks of a legal guide.

Block names (the keys of `GuideStreamBlock`) are stored in the database: renaming
one needs a data migration. There is no raw-HTML block; rich text uses an explicit
feature list. Each block has its own template under `guides/blocks/`, used both on
the web page and in the PDF.
Docs: https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import prefetch_related_objects
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

# Headings come from the heading block (so they feed the table of contents), hence
# no heading feature in rich text.
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]
SHORT_RICH_TEXT_FEATURES = ["bold", "italic", "link"]

LEGIFRANCE_PREFIX = "https://www.legifrance.gouv.fr/"


def validate_legifrance_url(value):
    """Citations must point at the official source, over HTTPS."""
    if not value.startswith(LEGIFRANCE_PREFIX):
        raise ValidationError(
            _("L'adresse doit commencer par %(prefix)s"),
            code="not_legifrance",
            params={"prefix": LEGIFRANCE_PREFIX},
        )


class HeadingValue(blocks.StructValue):
    @property
    def anchor_id(self):
        return self.get("anchor") or slugify(self.get("text", "")) or "section"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Intitulé"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (niveau 2)")), ("h3", _("Sous-titre (niveau 3)"))],
        default="h2",
    )
    anchor = blocks.CharBlock(
        label=_("Ancre"),
        required=False,
        max_length=80,
        validators=[validate_slug],
        help_text=_("Facultatif : identifiant du lien direct (#ancre). Par défaut, l'intitulé."),
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "guides/blocks/heading.html"
        value_class = HeadingValue


class LegalReferenceBlock(blocks.StructBlock):
    code = blocks.CharBlock(
        label=_("Code ou texte"), max_length=120, help_text=_("Ex. : Code pénal")
    )
    article = blocks.CharBlock(label=_("Article"), max_length=60, help_text=_("Ex. : 225-12-1"))
    summary = blocks.TextBlock(label=_("Résumé"), max_length=800)
    url = blocks.URLBlock(
        label=_("Adresse Légifrance"),
        validators=[validate_legifrance_url],
        help_text=_("Lien vers l'article sur https://www.legifrance.gouv.fr/"),
    )
    in_force_on = blocks.DateBlock(label=_("En vigueur au"))

    class Meta:
        icon = "doc-full"
        label = _("Référence juridique")
        template = "guides/blocks/legal_reference.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Étape"), max_length=200)
    detail = blocks.TextBlock(label=_("Précisions"), required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Que faire ?"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("Étapes"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("« Que faire ? » : étapes")
        template = "guides/blocks/steps.html"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Nom"), max_length=160)
    role = blocks.CharBlock(label=_("Rôle"), max_length=200, required=False)
    phone = blocks.CharBlock(label=_("Téléphone"), max_length=40, required=False)
    hours = blocks.CharBlock(label=_("Horaires"), max_length=160, required=False)
    url = blocks.URLBlock(label=_("Site web"), required=False)


class ContactsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Contacts"), max_length=120)
    contacts = blocks.ListBlock(ContactBlock(), label=_("Contacts"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Contacts")
        template = "guides/blocks/contacts.html"


class ContactChooserBlock(SnippetChooserBlock):
    """A contact of the directory, read with its opening hours: all the contacts of a
    guide's body in two queries (Wagtail converts the stream's blocks in bulk)."""

    def __init__(self, **kwargs):
        super().__init__("guides.Contact", **kwargs)

    def bulk_to_python(self, values):
        contacts = super().bulk_to_python(values)
        prefetch_related_objects([contact for contact in contacts if contact], "hours")
        return contacts

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        return path, (), kwargs


class DirectoryContactsBlock(blocks.StructBlock):
    """Contacts of the directory (snippets): a changed number is changed everywhere."""

    heading = blocks.CharBlock(
        label=_("Titre"),
        required=False,
        max_length=120,
        help_text=_("Facultatif, par exemple « Qui appeler ? »."),
    )
    contacts = blocks.ListBlock(
        ContactChooserBlock(label=_("Contact")), label=_("Contacts"), min_num=1
    )

    class Meta:
        icon = "mail"
        label = _("Contacts de l'annuaire")
        template = "guides/blocks/directory_contacts.html"


class WarningBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Attention"), max_length=120)
    text = blocks.RichTextBlock(label=_("Texte"), features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Encadré d'alerte")
        template = "guides/blocks/warning.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Intitulé du lien"),
        required=False,
        max_length=200,
        help_text=_("Par défaut, le titre du document."),
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "download"
        label = _("Document à télécharger")
        template = "guides/blocks/document.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=RICH_TEXT_FEATURES)


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), default=_("Questions fréquentes"), max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Questions fréquentes")
        template = "guides/blocks/faq.html"


class GuideStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="guides/blocks/paragraph.html",
    )
    legal_reference = LegalReferenceBlock()
    steps = StepsBlock()
    contacts = ContactsBlock()
    directory_contacts = DirectoryContactsBlock()
    warning = WarningBlock()
    document = DocumentBlock()
    faq = FaqBlock()

    def clean(self, value):
        value = super().clean(value)
        # Two headings with the same anchor would make one ToC entry unreachable.
        seen = set()
        errors = {}
        for index, child in enumerate(value):
            if child.block_type != "heading":
                continue
            anchor = child.value.anchor_id
            if anchor in seen:
                errors[index] = ValidationError(
                    _("Deux titres ont la même ancre « %(anchor)s » : précisez une ancre."),
                    code="duplicate_anchor",
                    params={"anchor": anchor},
                )
            seen.add(anchor)
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value
