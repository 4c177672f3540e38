"""Home and standard pages: page tree, rendering, footer setting, query counts."""

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from accounts.mfa import add_totp_authenticator
from core.models import AccessibilityStatus
from home.models import HomePage, StandardPage
from tests.conftest import TOTP_SECRET

from .factories import StandardPageFactory, site_home, site_settings

pytestmark = pytest.mark.django_db


class TestPageTree(WagtailPageTestCase):
    def test_home_page_is_the_site_root(self):
        home = HomePage.objects.get()
        site = Site.objects.get(is_default_site=True)
        assert site.root_page_id == home.pk
        assert home.title == "Repères"
        # Wagtail's welcome page is gone.
        assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()

    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        # One home page: the one at the root forbids a second.
        assert not HomePage.can_create_at(Page.get_first_root_node())

    def test_home_page_holds_the_guides_and_standard_pages(self):
        from courses.models import ModuleIndexPage
        from guides.models import ContactDirectoryPage, GuideIndexPage, OrientationPage

        self.assertAllowedSubpageTypes(
            HomePage,
            {GuideIndexPage, OrientationPage, ContactDirectoryPage, ModuleIndexPage, StandardPage},
        )

    def test_standard_page_lives_under_home_and_has_no_children(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage})
        self.assertAllowedSubpageTypes(StandardPage, set())
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(Page, StandardPage)

    def test_an_editor_can_create_a_standard_page_under_home(self):
        # Wagtail's test superuser; staff pages require a second factor (accounts/mfa.py).
        add_totp_authenticator(self.login(), TOTP_SECRET)
        home = HomePage.objects.get()
        self.assertCanCreate(
            home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Mentions légales",
                    "slug": "mentions-legales",
                    "intro": "",
                    "body": rich_text("<p>Éditeur : le Département.</p>"),
                }
            ),
        )


def _home_with_entries():
    guides_page = StandardPageFactory(title="Tous les guides", slug="tous-les-guides")
    home = site_home()  # fetched after adding its child: saving keeps numchild right
    home.entries = [
        (
            "entry",
            {"title": "Guides juridiques", "text": "La loi, les signes.", "page": guides_page},
        ),
        ("entry", {"title": "Formations", "text": "Modules en ligne.", "path": "/formations/"}),
        ("entry", {"title": "Sessions", "text": "Pas encore ouvertes."}),
    ]
    home.purpose = "<p>Se former pour repérer et protéger.</p>"
    home.save_revision().publish()
    return home


def test_home_renders_entries_with_a_target_and_hides_the_others(client):
    _home_with_entries()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Guides juridiques" in html
    assert 'href="/tous-les-guides/"' in html
    assert 'href="/formations/"' in html
    assert "Sessions" not in html.split('id="home-entries-title"')[1].split("</section>")[0]
    assert "Se former pour repérer et protéger." in html
    assert "<h1" in html and "Repères" in html


def test_home_hides_an_entry_whose_page_is_unpublished(client):
    home = _home_with_entries()
    StandardPage.objects.get(slug="tous-les-guides").unpublish()
    home.refresh_from_db()
    html = client.get("/").content.decode()
    assert "Guides juridiques" not in html


def test_footer_shows_the_accessibility_status_from_the_setting(client):
    declaration = StandardPageFactory(title="Déclaration d'accessibilité", slug="accessibilite")
    legal = StandardPageFactory(title="Mentions légales", slug="mentions-legales")
    site_settings(
        accessibility_status=AccessibilityStatus.PARTIELLEMENT,
        accessibility_page=declaration,
        legal_notice_page=legal,
        contact_email="contact@example.org",
    )
    html = client.get("/").content.decode()
    assert '<a href="/accessibilite/">Accessibilité : partiellement conforme</a>' in html
    assert '<a href="/mentions-legales/">Mentions légales</a>' in html
    assert "mailto:contact@example.org" in html
    # No privacy page chosen yet: no link to it.
    assert "Données personnelles" not in html


def test_footer_defaults_to_non_conforme_without_settings(client):
    html = client.get("/").content.decode()
    assert "Accessibilité : non conforme" in html


def test_footer_never_links_a_draft_legal_page(client):
    privacy = StandardPageFactory(title="Données personnelles", slug="donnees-personnelles")
    site_settings(privacy_page=privacy)
    privacy.unpublish()
    html = client.get("/").content.decode()
    assert "/donnees-personnelles/" not in html


def test_standard_page_renders_with_breadcrumbs(client):
    StandardPageFactory(
        title="Mentions légales",
        slug="mentions-legales",
        body="<h2>Hébergement</h2><p>Serveurs situés en France.</p>",
    )
    response = client.get("/mentions-legales/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Mentions légales</h1>" in html
    assert "<h2>Hébergement</h2>" in html
    assert 'aria-label="Fil d’Ariane"' in html
    assert '<span aria-current="page">Mentions légales</span>' in html


def test_home_query_count_does_not_grow_with_child_pages(client, django_assert_max_num_queries):
    _home_with_entries()
    site_settings(
        legal_notice_page=StandardPageFactory(slug="mentions"),
        accessibility_page=StandardPageFactory(slug="accessibilite"),
        privacy_page=StandardPageFactory(slug="donnees"),
    )
    client.get("/")  # warm Wagtail's site-root cache, as any running site has
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
    for number in range(15):
        StandardPageFactory(slug=f"page-{number}")
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_signed_in_person_sees_profile_and_a_logout_form(client, professional):
    client.force_login(professional)
    html = client.get("/").content.decode()
    assert "Mon profil" in html
    assert 'action="/comptes/logout/"' in html and 'method="post"' in html
    assert "Se connecter" not in html
