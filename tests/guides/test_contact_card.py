"""The shared contact card (guides/includes/contact_card.html)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from guides.models import Contact, ContactHours, ContactNeed
from guides.templatetags.contact_tags import tel_href

pytestmark = pytest.mark.django_db


def make_contact(**kwargs):
    params = {
        "name": "Maison des adolescents",
        "description": "Exemple : accueil des 11-21 ans.",
        "phone": "01 99 00 12 34",
        "email": "mda@example.org",
        "website": "https://example.org/mda",
        "address": "1 rue de l'Exemple",
        "commune": "93008",
        **kwargs,
    }
    contact = Contact.objects.create(**params)
    return contact


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("119", "119"),
        ("01 99 00 12 34", "0199001234"),
        ("01.99.00.12.34", "0199001234"),
        ("+33 (0)1 99 00 12 34", "+33199001234"),
        ("+33 1 99 00 12 34", "+33199001234"),
        ("3919 (appel gratuit)", "3919"),
        ("sans numéro", ""),
    ],
)
def test_tel_href(written, dialled):
    assert tel_href(written) == dialled


def test_card_shows_everything_with_links():
    contact = make_contact(is_emergency=True, for_whom="Les 11-21 ans")
    for day in range(5):
        ContactHours.objects.create(
            contact=contact, weekday=day, opens=dt.time(9), closes=dt.time(17)
        )
    html = render_to_string("guides/includes/contact_card.html", {"contact": contact})
    assert '<h3 class="contact-card__name">Maison des adolescents</h3>' in html
    assert 'href="tel:0199001234">01 99 00 12 34</a>' in html
    assert 'href="mailto:mda@example.org"' in html
    assert "Bobigny" in html
    assert "Du lundi au vendredi, 9 h – 17 h" in html
    assert "Urgence" in html
    assert ("Ouvert maintenant" in html) or ("Fermé — ouvre" in html)


def test_heading_level_and_no_status():
    contact = make_contact(commune="")
    ContactHours.objects.create(contact=contact, weekday=0, opens=dt.time(9), closes=dt.time(17))
    html = render_to_string(
        "guides/includes/contact_card.html",
        {"contact": contact, "heading_level": 2, "show_status": False},
    )
    assert "<h2" in html
    assert "Lundi, 9 h – 17 h" in html
    assert "Ouvert maintenant" not in html and "Fermé" not in html


def test_always_open_and_no_hours():
    always = make_contact(name="119", phone="119", always_open=True)
    html = render_to_string("guides/includes/contact_card.html", {"contact": always})
    assert "24 h/24, 7 j/7" in html and "Ouvert maintenant, 24 h/24" in html
    bare = make_contact(name="Sans horaires")
    html = render_to_string("guides/includes/contact_card.html", {"contact": bare})
    assert "Horaires" not in html and "Ouvert" not in html and "Fermé" not in html
    assert ContactNeed.objects.count() == 7


@pytest.mark.parametrize("count", [2, 6])
def test_directory_contacts_block_in_two_queries(count, django_assert_num_queries):
    from guides.models import GuidePage

    contacts = [make_contact(name=f"Structure {n}") for n in range(count)]
    for contact in contacts:
        ContactHours.objects.create(
            contact=contact, weekday=0, opens=dt.time(9), closes=dt.time(12)
        )
    stream_block = GuidePage._meta.get_field("body").stream_block
    raw = [
        {"type": "directory_contacts", "value": {"heading": "Qui appeler ?", "contacts": [c.pk]}}
        for c in contacts
    ]
    with django_assert_num_queries(2):  # contacts, then their hours
        html = stream_block.to_python(raw).render_as_block()
    assert html.count('class="contact-card"') == count
    assert '<h3 class="guide-contacts__title">Qui appeler ?</h3>' in html
    assert '<h4 class="contact-card__name">Structure 0</h4>' in html
    assert "Lundi, 9 h – 12 h" in html
    # Kept in the content cache and in the PDF: hours, never a status that goes stale.
    assert "Ouvert maintenant" not in html and "Fermé" not in html


def test_a_deleted_contact_disappears_from_the_block():
    from guides.models import GuidePage

    kept, gone = make_contact(name="Gardé"), make_contact(name="Supprimé")
    raw = [{"type": "directory_contacts", "value": {"heading": "", "contacts": [kept.pk, gone.pk]}}]
    gone.delete()
    html = GuidePage._meta.get_field("body").stream_block.to_python(raw).render_as_block()
    assert "Gardé" in html and "Supprimé" not in html
