"""Factories for guides: publisher, pages and StreamField content (wagtail-factories)."""

import datetime

import factory
import wagtail_factories
from wagtail import blocks as wagtail_blocks

from guides import blocks
from guides.models import GuideIndexPage, GuidePage, Publisher
from home.models import HomePage


class PublisherFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Observatoire départemental {n}")
    short_name = "ODVF"
    website = "https://observatoire.example.org/"

    class Meta:
        model = Publisher
        django_get_or_create = ["name"]


class RichTextBlockFactory(wagtail_factories.blocks.BlockFactory):
    class Meta:
        model = wagtail_blocks.RichTextBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        value = kwargs.get("value", "<p>Un paragraphe du guide.</p>")
        return block_class().to_python(value)


class HeadingBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.Sequence(lambda n: f"Section {n}")
    level = "h2"
    anchor = ""

    class Meta:
        model = blocks.HeadingBlock


class LegalReferenceBlockFactory(wagtail_factories.StructBlockFactory):
    code = "Code pénal"
    article = "225-12-1"
    summary = "Le recours à la prostitution d'un·e mineur·e est puni."
    url = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000043409305"
    in_force_on = datetime.date(2021, 4, 23)

    class Meta:
        model = blocks.LegalReferenceBlock


class StepBlockFactory(wagtail_factories.StructBlockFactory):
    title = "Écouter sans juger"
    detail = "Laisser la personne parler."

    class Meta:
        model = blocks.StepBlock


class StepsBlockFactory(wagtail_factories.StructBlockFactory):
    title = "Que faire ?"
    steps = wagtail_factories.ListBlockFactory(StepBlockFactory)

    class Meta:
        model = blocks.StepsBlock


class ContactBlockFactory(wagtail_factories.StructBlockFactory):
    name = "119 — Allô enfance en danger"
    role = "Service national d'accueil téléphonique"
    phone = "119"
    hours = "24 h/24, 7 j/7"
    url = "https://www.allo119.gouv.fr/"

    class Meta:
        model = blocks.ContactBlock


class ContactsBlockFactory(wagtail_factories.StructBlockFactory):
    title = "Qui appeler ?"
    contacts = wagtail_factories.ListBlockFactory(ContactBlockFactory)

    class Meta:
        model = blocks.ContactsBlock


class WarningBlockFactory(wagtail_factories.StructBlockFactory):
    title = "Attention"
    text = factory.SubFactory(RichTextBlockFactory, value="<p>Ne pas confronter l'auteur.</p>")

    class Meta:
        model = blocks.WarningBlock


class DocumentBlockFactory(wagtail_factories.StructBlockFactory):
    document = factory.SubFactory(wagtail_factories.DocumentChooserBlockFactory)
    title = "Modèle de signalement"
    description = "Trame à compléter."

    class Meta:
        model = blocks.DocumentBlock


class QuestionBlockFactory(wagtail_factories.StructBlockFactory):
    question = "Et si elle dit que c'est son choix ?"
    answer = factory.SubFactory(
        RichTextBlockFactory, value="<p>Un·e mineur·e est toujours victime.</p>"
    )

    class Meta:
        model = blocks.QuestionBlock


class FaqBlockFactory(wagtail_factories.StructBlockFactory):
    title = "Questions fréquentes"
    questions = wagtail_factories.ListBlockFactory(QuestionBlockFactory)

    class Meta:
        model = blocks.FaqBlock


class GuideStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    heading = factory.SubFactory(HeadingBlockFactory)
    paragraph = factory.SubFactory(RichTextBlockFactory)
    legal_reference = factory.SubFactory(LegalReferenceBlockFactory)
    steps = factory.SubFactory(StepsBlockFactory)
    contacts = factory.SubFactory(ContactsBlockFactory)
    warning = factory.SubFactory(WarningBlockFactory)
    document = factory.SubFactory(DocumentBlockFactory)
    faq = factory.SubFactory(FaqBlockFactory)

    class Meta:
        model = blocks.GuideStreamBlock


def home_page():
    return HomePage.objects.first()


class GuideIndexPageFactory(wagtail_factories.PageFactory):
    title = "Guides juridiques"
    slug = "guides"
    intro = "Des guides pour agir."
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = GuideIndexPage


class GuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Guide numéro {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "Ce que dit la loi et ce qu'il faut faire."
    publisher = factory.SubFactory(PublisherFactory, name="Observatoire départemental")
    last_legal_review = datetime.date(2026, 1, 15)
    next_review_due = datetime.date(2027, 1, 15)
    body = wagtail_factories.StreamFieldFactory(GuideStreamBlockFactory)

    class Meta:
        model = GuidePage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.add(*extracted)
            self.save()

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if extracted:
            self.audiences.set(extracted)
            self.save()


#: A body with one block of each type (wagtail-factories "index__type__field" syntax).
FULL_BODY = {
    "body__0__heading__text": "Ce que dit la loi",
    "body__1__paragraph__value": '<p>Texte <a href="https://example.org/">lien</a>.</p>',
    "body__2__legal_reference__article": "225-12-1",
    "body__3__heading__text": "Que faire ?",
    "body__3__heading__level": "h3",
    "body__4__steps__steps__0__title": "Écouter",
    "body__4__steps__steps__1__title": "Informer la CRIP",
    "body__5__contacts__contacts__0__name": "119 — Allô enfance en danger",
    "body__6__warning__title": "Attention",
    "body__7__document__title": "Modèle de signalement",
    "body__8__faq__questions__0__question": "Et si elle dit que c'est son choix ?",
}


class DirectoryContactsBlockFactory(wagtail_factories.blocks.BlockFactory):
    """A « Contacts de l'annuaire » block showing one new contact of the directory."""

    class Meta:
        model = blocks.DirectoryContactsBlock

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        from guides.models import Contact

        contact = Contact.objects.create(
            name=kwargs.get("name", "Cellule de recueil des informations préoccupantes"),
            description="Exemple : reçoit les informations préoccupantes.",
            phone=kwargs.get("phone", "01 99 00 12 34"),
        )
        heading = kwargs.get("heading", "Qui appeler ?")
        return block_class().to_python({"heading": heading, "contacts": [contact.pk]})
