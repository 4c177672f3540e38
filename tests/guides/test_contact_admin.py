"""Contacts in the Wagtail admin (Fragments › Contacts): who may edit them, validation."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from guides.models import Contact, ContactNeed
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ADD_URL = "wagtailsnippets_guides_contact:add"


def contact_form(hours=(), **fields):
    needs = [
        str(pk)
        for pk in ContactNeed.objects.filter(code__in=["transmettre", "conseil"]).values_list(
            "pk", flat=True
        )
    ]
    data = {
        "name": "Cellule de recueil des informations préoccupantes",
        "description": "Exemple : reçoit les informations préoccupantes.",
        "for_whom": "Les professionnel·le·s",
        "phone": "01 99 00 12 34",
        "email": "crip@example.org",
        "website": "",
        "address": "1 rue de l'Exemple",
        "commune": "93008",
        "hours_note": "",
        "hours": inline_formset(
            [{"weekday": day, "opens": opens, "closes": closes} for day, opens, closes in hours]
        ),
        **fields,
    }
    data = nested_form_data(data)
    data.setdefault("needs", needs)
    return data


@pytest.mark.parametrize("role", ["editor", "coordinator"])
def test_staff_creates_a_contact(client, request, role):
    user = request.getfixturevalue(role)
    assert client.login(email=user.email, password=PASSWORD)
    assert client.get(reverse(ADD_URL)).status_code == 200
    response = client.post(reverse(ADD_URL), contact_form(hours=[(0, "09:00", "17:00")]))
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert contact.commune == "93008"
    assert sorted(n.code for n in contact.needs.all()) == ["conseil", "transmettre"]
    assert [(h.weekday, f"{h.opens:%H:%M}") for h in contact.hours.all()] == [(0, "09:00")]


def test_bad_commune_and_hours_are_refused_with_a_clear_error(client, editor):
    assert client.login(email=editor.email, password=PASSWORD)
    response = client.post(
        reverse(ADD_URL), contact_form(commune="75056", hours=[(0, "17:00", "09:00")])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commune inconnue." in html
    assert "La fermeture doit suivre l&#x27;ouverture." in html
    assert not Contact.objects.exists()


def test_professionals_and_reviewers_cannot_edit_contacts(client, professional, reviewer):
    for user in (professional, reviewer):
        client.force_login(user)
        response = client.get(reverse(ADD_URL))
        assert response.status_code in (302, 403)
