"""The directory of contacts (/ressources/): filters, bad input, queries, page cache."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from core import page_cache
from guides.models import Contact, ContactDirectoryPage, ContactHours, ContactNeed, GuideIndexPage
from home.models import HomePage
from tests.home.factories import site_home

pytestmark = pytest.mark.django_db

URL = "/ressources/"


@pytest.fixture
def directory():
    page = ContactDirectoryPage(
        title="Ressources et contacts", slug="ressources", intro="Qui appeler."
    )
    site_home().add_child(instance=page)
    return page


def make_contact(name, needs=(), commune="", hours=(), **kwargs):
    kwargs.setdefault("description", f"Exemple : {name}.")
    contact = Contact.objects.create(name=name, commune=commune, **kwargs)
    contact.needs.set(ContactNeed.objects.filter(code__in=needs))
    contact.save()  # a ParentalManyToManyField is written on save
    for weekday, opens, closes in hours:
        ContactHours.objects.create(contact=contact, weekday=weekday, opens=opens, closes=closes)
    return contact


def names(response):
    return [contact.name for contact in response.context["contacts"]]


@pytest.fixture
def contacts(directory):
    return [
        make_contact(
            "119",
            needs=["urgence", "transmettre"],
            is_emergency=True,
            always_open=True,
            phone="119",
        ),
        make_contact("CRIP", needs=["transmettre", "conseil"]),
        make_contact("Maison des ados de Bobigny", needs=["ecoute"], commune="93008"),
        make_contact("Centre de santé de Montreuil", needs=["soins"], commune="93048"),
    ]


class TestPageTree(WagtailPageTestCase):
    def test_parent_and_children(self):
        self.assertAllowedParentPageTypes(ContactDirectoryPage, {HomePage})
        self.assertAllowedSubpageTypes(ContactDirectoryPage, {})
        self.assertCanCreateAt(HomePage, ContactDirectoryPage)
        self.assertCanNotCreateAt(GuideIndexPage, ContactDirectoryPage)


def test_lists_every_contact_emergencies_first(client, contacts):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "119",
        "Centre de santé de Montreuil",
        "CRIP",
        "Maison des ados de Bobigny",
    ]
    html = response.content.decode()
    assert "4 contacts" in html
    assert '<h2 class="contact-card__name">119</h2>' in html
    assert 'href="tel:119"' in html


def test_filter_by_need_is_one_of(client, contacts):
    assert names(client.get(URL, {"besoin": "transmettre"})) == ["119", "CRIP"]
    assert names(client.get(URL, {"besoin": ["ecoute", "soins"]})) == [
        "Centre de santé de Montreuil",
        "Maison des ados de Bobigny",
    ]
    html = client.get(URL, {"besoin": "ecoute"}).content.decode()
    assert 'value="ecoute" id="besoin-ecoute" checked' in html
    assert 'value="soins" id="besoin-soins">' in html


def test_filter_by_commune_keeps_national_numbers(client, contacts):
    response = client.get(URL, {"commune": "93008"})
    assert names(response) == ["119", "CRIP", "Maison des ados de Bobigny"]
    html = response.content.decode()
    assert '<option value="93008" selected>Bobigny</option>' in html
    assert "3 contacts pour Bobigny" in " ".join(html.split())


def test_filters_combine(client, contacts):
    assert names(client.get(URL, {"besoin": "ecoute", "commune": "93048"})) == []
    html = client.get(URL, {"besoin": "ecoute", "commune": "93048"}).content.decode()
    assert "Aucun contact ne correspond à ces filtres." in html


@pytest.mark.parametrize(
    "query",
    [
        {"besoin": "inconnu"},
        {"commune": "75056"},  # Paris: not a commune of the département
        {"commune": "<script>"},
        {"besoin": ["urgence", "' OR 1=1 --"]},
    ],
)
def test_tampered_values_are_ignored_with_a_message(client, contacts, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert "Un filtre n'a pas été reconnu : il a été ignoré." in response.content.decode()
    assert "<script>" not in response.content.decode().split("</form>")[1]


def test_valid_values_are_kept_beside_invalid_ones(client, contacts):
    response = client.get(URL, {"besoin": ["soins", "inconnu"], "commune": "00000"})
    assert names(response) == ["Centre de santé de Montreuil"]
    assert "Un filtre n'a pas été reconnu" in response.content.decode()


def test_ten_needs_at_once(client, contacts):
    codes = ["urgence", "transmettre", "conseil", "ecoute", "soins", "droits", "abri"]
    response = client.get(URL, {"besoin": [*codes, "urgence", "soins", "abri"]})
    assert response.status_code == 200
    assert len(names(response)) == 4
    assert "Un filtre n'a pas été reconnu" not in response.content.decode()


def test_huge_query_strings_are_no_error(client, contacts):
    response = client.get(URL + "?" + "&".join(["besoin=urgence"] * 900) + "&commune=" + "9" * 5000)
    assert response.status_code == 200
    assert "Un filtre n'a pas été reconnu" in response.content.decode()
    # Beyond Django's limit on the number of fields: a 400, not a 500.
    response = client.get(URL + "?" + "&".join(f"besoin={n}" for n in range(1200)))
    assert response.status_code in (200, 400)


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?besoin=urgence&besoin=soins&commune=93008"])
def test_constant_queries_whatever_the_number_of_contacts(
    client, directory, query, django_assert_max_num_queries
):
    def add(start, count):
        for n in range(start, start + count):
            make_contact(
                f"Contact {n:02}",
                needs=["urgence", "soins"],
                commune="93008" if n % 2 else "",
                hours=[(0, dt.time(9), dt.time(12)), (2, dt.time(14), dt.time(17))],
                is_emergency=n % 3 == 0,
            )

    add(0, 3)
    few = count_queries(client, URL + query)
    with django_assert_max_num_queries(8):
        client.get(URL + query)
    add(3, 27)
    many = count_queries(client, URL + query)
    assert few == many, f"{few} queries with 3 contacts, {many} with 30"


def test_status_and_freshness(client, directory):
    make_contact("Permanence", hours=[(day, dt.time(9), dt.time(17)) for day in range(7)])
    response = client.get(URL)
    html = response.content.decode()
    assert "Ouvert maintenant — ferme à 17 h" in html or "Fermé — ouvre" in html
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 <= max_age <= 24 * 3600


def test_no_hours_no_status_no_max_age(client, directory):
    make_contact("Sans horaires")
    response = client.get(URL)
    assert "Ouvert" not in response.content.decode()
    assert "max-age" not in response.get("Cache-Control", "")


# --- Validation ------------------------------------------------------------------------------


def test_unknown_commune_is_refused():
    contact = Contact(name="X", description="Y", commune="75056")
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert error.value.error_dict["commune"][0].code == "unknown_commune"


def test_closing_before_opening_is_refused():
    contact = Contact.objects.create(name="X", description="Y")
    hours = ContactHours(contact=contact, weekday=0, opens=dt.time(17), closes=dt.time(9))
    with pytest.raises(ValidationError) as error:
        hours.full_clean()
    assert error.value.error_dict["closes"][0].code == "hours_order"


# --- Page cache ------------------------------------------------------------------------------


def answered_from_cache(client, url):
    """The response, and whether it came from the page cache (the view did not run)."""
    with mock.patch.object(
        ContactDirectoryPage, "serve", autospec=True, side_effect=ContactDirectoryPage.serve
    ) as served:
        response = client.get(url)
    return response, not served.called


def test_anonymous_page_is_cached_and_dropped_when_a_contact_changes(client, settings, contacts):
    settings.PAGE_CACHE_ENABLED = True
    client.get(URL)
    response, hit = answered_from_cache(client, URL)
    assert hit and "CRIP" in response.content.decode()

    crip = Contact.objects.get(name="CRIP")
    crip.phone = "01 99 00 00 42"
    crip.save()
    response, hit = answered_from_cache(client, URL)
    assert "01 99 00 00 42" in response.content.decode()

    ContactHours.objects.create(contact=crip, weekday=0, opens=dt.time(9), closes=dt.time(17))
    response, _hit = answered_from_cache(client, URL)
    assert "Lundi, 9 h – 17 h" in response.content.decode()

    crip.delete()
    response, _hit = answered_from_cache(client, URL)
    assert "CRIP" not in response.content.decode()


def test_a_need_added_drops_the_cached_page(client, settings, contacts):
    settings.PAGE_CACHE_ENABLED = True
    client.get(URL)
    crip = Contact.objects.get(name="CRIP")
    crip.needs.add(ContactNeed.objects.get(code="abri"))
    crip.save()
    client.get(URL)
    _response, hit = answered_from_cache(client, URL + "?besoin=abri")
    assert not hit
    assert "CRIP" in names(client.get(URL, {"besoin": "abri"}))


def test_the_cached_page_expires_at_the_next_change_of_status(client, settings, directory):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_TIMEOUT = 7 * 24 * 3600  # longer than any status lasts
    make_contact("Permanence", hours=[(day, dt.time(9), dt.time(17)) for day in range(7)])
    first = client.get(URL)
    assert "stale-while-revalidate" not in first["Cache-Control"]
    _response, hit = answered_from_cache(client, URL)
    assert hit
    with mock.patch.object(page_cache.time, "time", return_value=page_cache.time.time() + 86400):
        _response, hit = answered_from_cache(client, URL)
    assert not hit


def test_a_guide_shows_a_changed_number_at_once(client, make_guide):
    """The guide's body is kept in the content cache: a contact saved drops it."""
    crip = make_contact("CRIP", phone="01 99 00 00 01")
    guide = make_guide(published=True, full_body=False)
    guide.body = [
        ("directory_contacts", {"heading": "Qui appeler ?", "contacts": [crip]}),
    ]
    guide.save_revision().publish()
    assert 'href="tel:0199000001"' in client.get(guide.url).content.decode()
    crip.phone = "01 99 00 00 02"
    crip.save()
    html = client.get(guide.url).content.decode()
    assert 'href="tel:0199000002"' in html and "0199000001" not in html
