"""Journey: a new professional signs up, follows a module, fails then passes its quiz."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.courses.factories import (
    ModulePageFactory,
    QuizPageFactory,
    build_module,
    choice,
    single_choice,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_up_and_confirm(page, base_url, email):
    page.goto(f"{base_url}/comptes/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_first_name").fill("Nadia")
    page.locator("#id_last_name").fill("Roux")
    page.locator("#id_profession").select_option("cpe")
    page.locator("#id_organisation").fill("Lycée Victor-Hugo")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    message = next(m for m in mail.outbox if email in m.to)
    path = re.search(r"https?://[^/\s]+(/comptes/confirm-email/\S+/)", message.body).group(1)
    page.goto(base_url + path)
    page.get_by_role("button", name="Confirmer").click()


def answer(page, *labels):
    """Tick choices and wait until the quiz script has saved each of them."""
    for label in labels:
        field = page.get_by_label(label, exact=True)
        field.check()
        status = page.locator("fieldset", has=field).locator("[data-status]")
        expect(status).to_have_text("Réponse enregistrée.")


def test_new_professional_follows_a_module(page, live_server):
    module, (first, second), _ = build_module(lessons=2, max_attempts=3, title="Repérer")
    base = live_server.url
    sign_up_and_confirm(page, base, "nadia.roux@example.org")

    # Start the module: the first lesson opens.
    page.goto(base + module.url)
    page.get_by_role("button", name="Commencer le module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    page.get_by_role("button", name="J'ai terminé cette leçon").click()

    # The second lesson, on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)
    assert not page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The quiz: answers are saved as chosen and survive a reload.
    page.get_by_role("button", name="Commencer le quiz").click()
    answer(page, "Personne")
    page.reload()
    expect(page.get_by_label("Personne", exact=True)).to_be_checked()
    answer(page, "Absences répétées", "Vrai")
    page.get_by_role("button", name="Valider mes réponses").click()

    # Failed: the chosen choices' feedback, never the expected answers.
    expect(page.get_by_text("Quiz non réussi")).to_be_visible()
    expect(page.get_by_text("Non : la loi protège le ou la mineur·e.")).to_be_visible()
    expect(page.get_by_text("réponse attendue")).to_have_count(0)
    expect(page.get_by_text("Oui : un·e mineur·e est toujours victime.")).to_have_count(0)

    # Second attempt, all right.
    page.get_by_role("button", name="Commencer une nouvelle tentative").click()
    answer(page, "Le ou la mineur·e", "Absences répétées", "Cadeaux inexpliqués", "Faux")
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()

    # « Mon espace » shows the module as completed.
    page.get_by_role("link", name="Mon espace").first.click()
    completed = page.get_by_role("region", name="Modules terminés")
    expect(completed.get_by_role("link", name="Repérer")).to_be_visible()
    expect(completed).to_contain_text("100 %")


def test_script_in_a_quiz_prompt_never_runs(page, live_server, logged_in, professional):
    script = "<script>window.__pwned = true; alert('pwned')</script>"
    module = ModulePageFactory()
    QuizPageFactory(
        parent=module,
        questions=[
            single_choice(
                prompt=f"Question {script}",
                choices=[choice(f"Oui {script}", True, f"Retour {script}"), choice("Non")],
            )
        ],
    )
    logged_in(professional)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/apprendre/modules/{module.pk}/quiz/")
    page.get_by_role("button", name="Commencer le quiz").click()
    expect(page.get_by_text("Question <script>", exact=False)).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    page.locator("input[type=radio]").first.check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
