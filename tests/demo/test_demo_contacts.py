"""Demo contacts and the directory page: example content marked as such, idempotent."""

import io
import re
from html import unescape

import pytest
from django.core.management import call_command

from demo.contacts import CONTACTS
from guides.models import Contact, ContactDirectoryPage, ContactHours, GuidePage
from home.models import HomePage

pytestmark = pytest.mark.django_db

NATIONAL = {"17", "112", "114", "15", "119", "3919"}
FICTION = re.compile(r"^01 99 00 \d\d \d\d$")  # ARCEP's range for fiction


def load():
    call_command("load_demo", stdout=io.StringIO())


def test_demo_contacts_and_directory(settings, client):
    settings.DEBUG = True
    load()
    assert Contact.objects.count() == len(CONTACTS) >= 10
    for contact in Contact.objects.all():
        if contact.phone in NATIONAL:
            assert contact.always_open
        else:
            assert FICTION.match(contact.phone), contact.phone
            assert contact.description.startswith("Exemple : "), contact.name
            assert contact.address.startswith("Adresse d'exemple"), contact.name
            assert contact.hours.exists()
            assert contact.hours_note.startswith("Horaires d'exemple"), contact.name
    directory = ContactDirectoryPage.objects.live().get()
    assert directory.url == "/ressources/"
    html = unescape(client.get("/ressources/").content.decode())
    assert "Contenu d'exemple" in html
    assert 'href="tel:119"' in html

    guide = GuidePage.objects.live().get(slug="que-faire-qui-appeler")
    assert [b.block_type for b in guide.body].count("directory_contacts") == 1
    html = client.get(guide.url).content.decode()
    assert 'href="tel:0199000110"' in html  # the CRIP, from the directory

    home = HomePage.objects.get()
    assert [e.value["page"].pk for e in home.entries if e.value["page"]].count(directory.pk) == 1

    counts = (Contact.objects.count(), ContactHours.objects.count(), len(home.entries.raw_data))
    load()
    home.refresh_from_db()
    assert (
        Contact.objects.count(),
        ContactHours.objects.count(),
        len(home.entries.raw_data),
    ) == counts
    assert ContactDirectoryPage.objects.count() == 1
