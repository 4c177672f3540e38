"""Journey: a professional whose sector and workplace are blank is asked once, on « Mon
espace », politely; they answer, and the box is gone. Without JavaScript, « hors
département » with a wrong number gets a clear message, then is saved. axe-core runs on
every page of the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROMPT = "Votre secteur et votre commune d’exercice"


def log_in(page, base, email="pro@example.org"):
    page.goto(f"{base}/comptes/login/?next=/espace/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")


def test_a_professional_answers_the_prompt_once(page, live_server, professional):
    base = live_server.url
    log_in(page, base)

    box = page.get_by_role("region", name=PROMPT)
    expect(box).to_be_visible()
    expect(box).to_contain_text("facultatif")
    assert_accessible(page)

    box.get_by_label("Secteur (facultatif)").select_option(label="Éducation nationale")
    box.get_by_label("Commune d'exercice (facultatif)").select_option(label="Saint-Denis")
    box.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_text("Merci, votre profil a été enregistré.")).to_be_visible()
    expect(page.get_by_role("region", name=PROMPT)).to_have_count(0)
    assert_accessible(page)
    professional.refresh_from_db()
    assert professional.sector == "education_nationale"
    assert (professional.workplace_commune, professional.workplace_departement) == ("93066", "93")

    # Asked once: not again on the next visit; the profile shows the answer.
    page.goto(f"{base}/espace/")
    expect(page.get_by_role("region", name=PROMPT)).to_have_count(0)
    page.goto(f"{base}/comptes/profil/")
    expect(page.get_by_label("Commune d'exercice (facultatif)")).to_have_value("93066")
    expect(page.get_by_label("Secteur (facultatif)")).to_have_value("education_nationale")
    assert_accessible(page)


def test_ne_plus_me_demander(page, live_server, professional):
    log_in(page, live_server.url)
    page.get_by_role("region", name=PROMPT).get_by_role(
        "button", name="Ne plus me demander"
    ).click()
    expect(page.get_by_text("nous ne vous le demanderons plus")).to_be_visible()
    expect(page.get_by_role("region", name=PROMPT)).to_have_count(0)
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is not None
    assert professional.sector == ""


def test_hors_departement_without_javascript(browser, live_server, professional):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    base = live_server.url
    log_in(page, base)
    box = page.get_by_role("region", name=PROMPT)
    box.get_by_label("Commune d'exercice (facultatif)").select_option(
        label="Hors Seine-Saint-Denis"
    )
    box.get_by_label(re.compile("Numéro du département")).fill("93")
    box.get_by_role("button", name="Enregistrer").click()

    # Its own page, the error tied to the field; nothing stored yet.
    expect(page.get_by_role("heading", level=1)).to_have_text(PROMPT)
    expect(page.get_by_role("alert")).to_contain_text("Le 93 est la Seine-Saint-Denis")
    number = page.get_by_label(re.compile("Numéro du département"))
    expect(number).to_have_attribute("aria-invalid", "true")
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is None

    number.fill("75")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    expect(page.get_by_role("region", name=PROMPT)).to_have_count(0)
    professional.refresh_from_db()
    assert (professional.workplace_commune, professional.workplace_departement) == ("", "75")
    context.close()


def test_the_error_page_is_accessible(page, live_server, professional):
    log_in(page, live_server.url)
    box = page.get_by_role("region", name=PROMPT)
    box.get_by_label("Commune d'exercice (facultatif)").select_option(
        label="Hors Seine-Saint-Denis"
    )
    box.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le numéro du département")
    assert_accessible(page)
