"""Journey: someone files a complaint, Coordination handles and answers it in the admin."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from quality.models import Complaint, ComplaintStatus
from tests.browser.test_editor_publishes_guide import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = "La vidéo de la leçon 2 ne se lance pas sur mon téléphone.\nMerci de regarder."
ANSWER = "Merci pour votre message : la vidéo est de nouveau lisible sur téléphone."


def test_anonymous_files_a_complaint_and_coordination_answers_it(browser, live_server, coordinator):
    # Someone, not logged in, finds the form from the footer and files a complaint.
    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + "/")
    visitor.locator("footer").get_by_role(
        "link", name="Signaler un problème ou faire une réclamation"
    ).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Signaler un problème ou faire une réclamation"
    )
    visitor.get_by_role("button", name="Envoyer").click()
    expect(visitor.locator(".error-summary")).to_be_visible()  # nothing filled: errors
    visitor.get_by_label("Votre nom").fill("Alex Durand")
    visitor.get_by_label("Votre adresse e-mail").fill("alex@example.org")
    visitor.get_by_label("Votre message concerne").select_option("platform")
    visitor.get_by_label("Votre message", exact=True).fill(MESSAGE)
    visitor.get_by_role("button", name="Envoyer").click()

    expect(visitor.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    complaint = Complaint.objects.get()
    expect(visitor.locator("main")).to_contain_text(complaint.reference)
    assert "alex" not in visitor.url
    receipt = mail.outbox[-1]
    assert receipt.to == ["alex@example.org"] and complaint.reference in receipt.subject

    # Coordination opens it in the admin, takes it in hand, then answers.
    staff = browser.new_context().new_page()
    log_in(staff, live_server.url, coordinator.email)
    staff.goto(live_server.url + "/admin/qualite/reclamations/")
    staff.get_by_role("link", name=complaint.reference).click()
    expect(staff.locator("[data-reperes-admin-view]")).to_contain_text("La vidéo de la leçon 2")
    staff.locator("#id_status").select_option("en_cours")
    staff.get_by_role("button", name="Enregistrer").click()
    expect(staff.locator(".messages")).to_contain_text("enregistrée")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.EN_COURS

    staff.locator("#id_answer").fill(ANSWER)
    staff.locator("footer").get_by_role("button", name="Plus d'actions").click()
    staff.get_by_role("button", name="Envoyer la réponse").click()
    expect(staff.locator(".messages")).to_contain_text("Réponse envoyée")

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.TRAITEE
    assert complaint.answered_at is not None
    answers = [message for message in mail.outbox if message.to == ["alex@example.org"]]
    assert len(answers) == 2  # the receipt, then the answer
    assert ANSWER in answers[-1].body
    assert complaint.reference in answers[-1].subject

    # The history says who did what.
    staff.goto(live_server.url + f"/admin/qualite/reclamations/history/{complaint.pk}/")
    expect(staff.locator("main")).to_contain_text("Réponse envoyée par e-mail")
    expect(staff.locator("main")).to_contain_text("Statut de la réclamation modifié")
