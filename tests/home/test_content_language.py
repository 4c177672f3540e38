"""Content keeps its language (French) when the interface is in English (WCAG 3.1.2).

The browser sweep (tests/browser/test_accessibility.py) checks every page type; here,
the template helpers and one page, quickly.
"""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from .factories import StandardPageFactory

pytestmark = pytest.mark.django_db

HELPERS = Template(
    "{% load home_tags %}<p{% content_lang %}>{{ title }}</p> {{ title|content_span }}"
)


def test_helpers_mark_content_only_in_another_interface_language():
    context = Context({"title": "Repérer <les> signaux"})
    with translation.override("fr"):
        french = HELPERS.render(context)
    with translation.override("en"):
        english = HELPERS.render(context)
    assert french == "<p>Repérer &lt;les&gt; signaux</p> Repérer &lt;les&gt; signaux"
    assert english == (
        '<p lang="fr">Repérer &lt;les&gt; signaux</p> '
        '<span lang="fr">Repérer &lt;les&gt; signaux</span>'
    )


def test_a_page_in_the_english_interface_marks_its_content_french(client):
    page = StandardPageFactory(title="Mentions légales", intro="Qui publie Repères.")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page.url).content.decode()
    assert '<html lang="en">' in html
    assert '<h1 lang="fr">Mentions légales</h1>' in html
    assert '<p class="lead" lang="fr">Qui publie Repères.</p>' in html
    # The breadcrumb's page title too; the interface's « Home » stays English.
    assert '<li lang="fr"><span aria-current="page">Mentions légales</span></li>' in html
