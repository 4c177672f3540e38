"""Page tree, blocks, table of contents, validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from guides import blocks
from guides.models import GuideIndexPage, GuidePage, Publisher
from home.models import HomePage

from .factories import (
    ContactsBlockFactory,
    DirectoryContactsBlockFactory,
    DocumentBlockFactory,
    FaqBlockFactory,
    HeadingBlockFactory,
    LegalReferenceBlockFactory,
    RichTextBlockFactory,
    StepsBlockFactory,
    WarningBlockFactory,
)


class GuidePageTreeTests(WagtailPageTestCase):
    def test_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(GuideIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(GuideIndexPage, {GuidePage})

    def test_guides_live_under_the_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(GuidePage, {GuideIndexPage})
        self.assertAllowedSubpageTypes(GuidePage, set())

    def test_can_create_where_allowed(self):
        self.assertCanCreateAt(HomePage, GuideIndexPage)
        self.assertCanCreateAt(GuideIndexPage, GuidePage)
        self.assertCanNotCreateAt(Page, GuidePage)
        self.assertCanNotCreateAt(HomePage, GuidePage)


# Each block type with a sample value renders through its own template.
BLOCK_SAMPLES = [
    ("heading", HeadingBlockFactory, {"text": "Ce que dit la loi"}, 'id="ce-que-dit-la-loi"'),
    ("paragraph", RichTextBlockFactory, {"value": "<p>Un <b>texte</b>.</p>"}, "<b>texte</b>"),
    ("legal_reference", LegalReferenceBlockFactory, {}, "https://www.legifrance.gouv.fr/codes/"),
    ("steps", StepsBlockFactory, {"steps__0__title": "Écouter"}, "<li><strong>Écouter"),
    ("contacts", ContactsBlockFactory, {"contacts__0__phone": "01 23"}, 'href="tel:0123"'),
    (
        "directory_contacts",
        DirectoryContactsBlockFactory,
        {"phone": "01 99 00 12 34"},
        'href="tel:0199001234"',
    ),
    ("warning", WarningBlockFactory, {"title": "Attention !"}, "guide-warning"),
    ("document", DocumentBlockFactory, {"title": "Trame"}, "/documents/"),
    ("faq", FaqBlockFactory, {"questions__0__question": "Pourquoi ?"}, "Pourquoi ?"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "factory", "params", "expected"), BLOCK_SAMPLES)
def test_every_block_renders(name, factory, params, expected):
    block = blocks.GuideStreamBlock().child_blocks[name]
    value = factory(**params)
    html = block.render(value)
    assert expected in html
    assert block.meta.template == f"guides/blocks/{name}.html"


def test_every_stream_child_is_sampled():
    assert {name for name, *_ in BLOCK_SAMPLES} == set(blocks.GuideStreamBlock().child_blocks)


def test_no_raw_html_block_and_explicit_rich_text_features():
    stream = blocks.GuideStreamBlock()
    assert not any(type(child).__name__ == "RawHTMLBlock" for child in stream.child_blocks.values())
    assert stream.child_blocks["paragraph"].features == blocks.RICH_TEXT_FEATURES


@pytest.mark.parametrize(
    "url",
    [
        "http://www.legifrance.gouv.fr/codes/",
        "https://legifrance.gouv.fr.evil.example/",
        "https://example.org/",
    ],
)
def test_legal_reference_needs_a_legifrance_https_url(url):
    block = blocks.LegalReferenceBlock()
    value = block.to_python(
        {
            "code": "Code pénal",
            "article": "225-12-1",
            "summary": "Résumé",
            "url": url,
            "in_force_on": "2024-01-01",
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_duplicate_heading_anchors_are_refused():
    stream = blocks.GuideStreamBlock()
    value = stream.to_python(
        [
            {"type": "heading", "value": {"text": "Que faire ?", "level": "h2", "anchor": ""}},
            {"type": "heading", "value": {"text": "Que faire", "level": "h3", "anchor": ""}},
        ]
    )
    with pytest.raises(StreamBlockValidationError) as excinfo:
        stream.clean(value)
    assert 1 in excinfo.value.block_errors


def test_table_of_contents_follows_headings(make_guide):
    guide = make_guide(body__9__heading__text="Contacts", body__9__heading__anchor="appeler")
    assert guide.table_of_contents() == [
        ("ce-que-dit-la-loi", "Ce que dit la loi", "h2"),
        ("que-faire", "Que faire ?", "h3"),
        ("appeler", "Contacts", "h2"),
    ]


@pytest.mark.django_db
def test_publisher_is_a_snippet_with_a_display_name():
    from wagtail.snippets.models import get_snippet_models

    assert Publisher in get_snippet_models()
    publisher = Publisher.objects.create(name="Amicale du Nid", short_name="")
    assert publisher.display_name == "Amicale du Nid"


def test_guide_page_shows_metadata_toc_and_related(client, make_guide, audience):
    guide = make_guide(
        topics=["signalement", "loi"],
        audiences=[audience("cpe")],
        last_legal_review=datetime.date(2026, 3, 2),
    )
    related = make_guide(full_body=False, topics=["signalement"], title="Signaler")
    make_guide(full_body=False, topics=["autre"], title="Sans rapport")
    response = client.get(guide.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Observatoire départemental" in html
    assert "CPE" in html
    assert "2 mars 2026" in html
    assert 'href="#que-faire"' in html
    assert 'href="/guides/guide-' in html and f"{guide.url}pdf/" in html
    assert "Télécharger le PDF" in html
    assert [g.pk for g in response.context["related_guides"]] == [related.pk]
