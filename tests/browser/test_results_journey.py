"""Journey: the public results page (/resultats/) shows a new completion and its answer.

Four people have completed a module and four answered its « à chaud » questionnaire
(3 satisfied): the page shows « < 5 » and « — ». A fifth passes the quiz in the browser
and answers the questionnaire (satisfied); an hour later (the figures are cached for
an hour) the page shows 5 people trained, 100 % completion and 80 % satisfaction on
5 answers, overall and on the publisher's page.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Enrolment, ModuleCompletion
from pilotage.results import views as results_views
from surveys.setup import ensure_platform_defaults
from tests.conftest import make_user
from tests.courses.factories import build_module
from tests.guides.factories import PublisherFactory
from tests.pilotage.satisfaction import satisfaction_answers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def answer(page, *labels):
    """Tick choices and wait until the quiz script has saved each of them."""
    for label in labels:
        field = page.get_by_label(label, exact=True)
        field.check()
        status = page.locator("fieldset", has=field).locator("[data-status]")
        expect(status).to_have_text("Réponse enregistrée.")


def figure(page, label):
    row = page.get_by_role("row", name=label)
    return row.get_by_role("cell").first


def based_on(page, label):
    return page.get_by_role("row", name=label).get_by_role("cell").last


def rate(page, question, label):
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    group.get_by_label(label, exact=True).check()


HOT = "Satisfaction à chaud (fin de formation)"


def test_the_results_page_shows_a_new_completion(
    page, live_server, logged_in, professional, django_user_model, monkeypatch
):
    publisher = PublisherFactory(name="Observatoire des violences")
    module, _lessons, _quiz = build_module(lessons=0, publisher=publisher, title="Repérer")
    for number in range(4):
        user = make_user(django_user_model, f"deja{number}@example.org", mfa=False)
        Enrolment.objects.create(user=user, module=module)
        ModuleCompletion.objects.create(user=user, module=module, completed_at=timezone.now())
    ensure_platform_defaults()
    satisfaction_answers("chaud", [5, 4, 3, 5], publisher=publisher, module=module)
    base = live_server.url

    page.goto(base + "/")
    page.get_by_role("link", name="Nos résultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos résultats")
    expect(figure(page, "Personnes formées")).to_have_text("< 5")
    expect(figure(page, "Taux d’achèvement des modules en ligne")).to_have_text("—")
    expect(figure(page, HOT)).to_have_text("—")
    expect(based_on(page, HOT)).to_have_text("moins de 5 réponses")

    logged_in(professional)
    page.goto(f"{base}/apprendre/modules/{module.pk}/quiz/")
    page.get_by_role("button", name="Commencer le quiz").click()
    answer(page, "Le ou la mineur·e", "Absences répétées", "Cadeaux inexpliqués", "Faux")
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()
    page.get_by_role("link", name="Donnez votre avis sur ce module").click()
    rate(page, "Les objectifs annoncés", "4")
    rate(page, "Ce que j’ai appris sera utile", "4")
    rate(page, "Les contenus étaient clairs", "4")
    rate(page, "Dans l’ensemble", "5 — Tout à fait d’accord")
    rate(page, "Recommanderiez-vous", "9")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci : votre réponse est enregistrée.")).to_be_visible()

    next_hour = results_views.current_hour() + 1
    monkeypatch.setattr(results_views, "current_hour", lambda: next_hour)
    page.goto(base + "/resultats/")
    expect(figure(page, "Personnes formées")).to_have_text("5")
    expect(figure(page, HOT)).to_have_text("80 %")
    expect(figure(page, "Taux d’achèvement des modules en ligne")).to_have_text("100 %")
    expect(figure(page, HOT)).to_have_text("80 %")
    expect(based_on(page, HOT)).to_have_text("5 réponses")
    page.get_by_role("link", name="Observatoire des violences").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatoire des violences")
    expect(figure(page, "Personnes formées")).to_have_text("5")
    expect(figure(page, HOT)).to_have_text("80 %")
