"""Journey: a learner completes a module and answers the « à chaud » questionnaire from the
quiz result page; months later the follow-up e-mail's link answers « à froid », logged out."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from surveys.models import SurveyAnswer, SurveyInvitation, SurveyKind, SurveyResponse
from surveys.setup import ensure_platform_defaults
from tests.browser.axe import violations
from tests.browser.test_learner_journey import answer
from tests.courses.factories import build_module
from tests.courses.learning_helpers import finish_lessons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINK = re.compile(r"https?://[^/\s]+(/questionnaires/[^/\s]+/)")


def rate(page, question, label):
    """Pick `label` in the radio group (fieldset) of `question`."""
    group = page.get_by_role("group", name=re.compile(re.escape(question)))
    group.get_by_label(label, exact=True).check()


def assert_accessible(page):
    assert violations(page) == []


def test_learner_answers_hot_then_cold_questionnaire(
    page, browser, live_server, logged_in, professional
):
    ensure_platform_defaults()
    module, lessons, _ = build_module(lessons=1, title="Repérer les signaux")
    logged_in(professional)
    finish_lessons(professional, lessons)
    base = live_server.url

    # The quiz, passed: the module is completed and the questionnaire is offered.
    page.goto(f"{base}/apprendre/modules/{module.pk}/quiz/")
    page.get_by_role("button", name="Commencer le quiz").click()
    answer(page, "Le ou la mineur·e", "Absences répétées", "Cadeaux inexpliqués", "Faux")
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()
    page.get_by_role("link", name="Donnez votre avis sur ce module").click()

    # À chaud: a missing answer comes back with its message, then the answer goes in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire à chaud")
    assert_accessible(page)
    rate(page, "Les objectifs annoncés", "4")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("alert")).to_contain_text("Certaines réponses sont à corriger")
    assert_accessible(page)
    expect(
        page.get_by_role("group", name=re.compile("Les objectifs annoncés")).get_by_label(
            "4", exact=True
        )
    ).to_be_checked()
    rate(page, "Ce que j’ai appris sera utile", "5 — Tout à fait d’accord")
    rate(page, "Les contenus étaient clairs", "4")
    rate(page, "Dans l’ensemble", "5 — Tout à fait d’accord")
    rate(page, "Recommanderiez-vous", "9")
    page.get_by_label(re.compile("Vos suggestions")).fill("<b>Plus de cas pratiques</b>")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Merci : votre réponse est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Vous avez déjà répondu, merci.")).to_be_visible()
    assert_accessible(page)
    hot = SurveyInvitation.objects.get(user=professional, module=module, kind=SurveyKind.HOT)
    assert hot.answered_at is not None
    assert SurveyAnswer.objects.get(response__invitation=hot, is_satisfaction=True).value == 5
    assert SurveyAnswer.objects.get(response__invitation=hot, question_type="free_text").text == (
        "<b>Plus de cas pratiques</b>"
    )

    # Ninety days later, the follow-up command sends the « à froid » e-mail.
    cold = SurveyInvitation.objects.get(user=professional, module=module, kind=SurveyKind.COLD)
    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()
    call_command("send_followup_surveys", verbosity=0)
    call_command("send_followup_surveys", verbosity=0)
    assert len(mail.outbox) == 1
    path = LINK.search(mail.outbox[0].body).group(1)

    # The link, logged out, in a new browser.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    visitor = context.new_page()
    visitor.goto(base + path)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Questionnaire à froid")
    expect(visitor.get_by_role("link", name="Se connecter")).to_be_visible()
    rate(visitor, "Avez-vous utilisé ce que vous avez appris", "Oui")
    visitor.get_by_label("Je sais à qui transmettre une information préoccupante").check()
    rate(visitor, "Avec le recul, cette formation", "4")
    rate(visitor, "Avec le recul, je suis", "4")
    rate(visitor, "Recommanderiez-vous", "10 — Très probable")
    visitor.get_by_role("button", name="Envoyer mes réponses").click()
    expect(visitor.get_by_text("Vous avez déjà répondu, merci.")).to_be_visible()

    # The link again: already answered, nothing more is stored.
    visitor.goto(base + path)
    expect(visitor.get_by_text("Vous avez déjà répondu, merci.")).to_be_visible()
    context.close()
    assert SurveyResponse.objects.filter(invitation=cold).count() == 1
    cold.refresh_from_db()
    assert cold.answered_at is not None
