"""Journey: a professional completes a module, downloads the attestation, anyone verifies it.

The PDF task is held back while the quiz is passed (in tests the task backend runs
tasks at once), so that « en préparation » is really shown; the test then runs the
task itself, as a worker would, and the waiting page notices on its own.
"""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates import services as certificate_services
from certificates.models import Certificate
from certificates.services import revoke_certificate
from certificates.tasks import render_certificate_pdf
from courses.modules import services as course_services
from tests.browser.axe import assert_accessible
from tests.browser.test_learner_journey import answer
from tests.courses.factories import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def held_pdf_tasks(monkeypatch):
    """Certificates issued during the test whose PDF task has not run yet."""
    held = []
    monkeypatch.setattr(certificate_services, "_enqueue_pdf", held.append)
    return held


def test_certificate_from_completion_to_revocation(
    page, live_server, logged_in, professional, coordinator, held_pdf_tasks, settings
):
    # The URL printed in the PDF must lead to this server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    base = live_server.url
    module, lessons, _quiz = build_module(lessons=2, title="Repérer les signaux faibles")
    for lesson in lessons:
        course_services.complete_lesson(professional, lesson)
    logged_in(professional)

    # The quiz, passed in the browser, completes the module.
    page.goto(f"{base}/apprendre/modules/{module.pk}/quiz/")
    page.get_by_role("button", name="Commencer le quiz").click()
    answer(page, "Le ou la mineur·e", "Absences répétées", "Cadeaux inexpliqués", "Faux")
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()
    certificate = Certificate.objects.get(holder=professional, module=module)
    assert held_pdf_tasks == [certificate.pk] and not certificate.pdf

    # « Mon espace » lists it « en préparation ».
    page.get_by_role("link", name="Mon espace").first.click()
    section = page.get_by_role("region", name="Mes certificats")
    row = section.get_by_role("row", name=re.compile("Repérer les signaux faibles"))
    expect(row).to_contain_text(certificate.number)
    expect(row.get_by_role("link", name=re.compile("En préparation"))).to_be_visible()

    # « Mes certificats », then the waiting page.
    section.get_by_role("link", name="Tous mes certificats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes certificats")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("En préparation")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Votre attestation est en préparation"
    )
    link = page.locator("[data-certificate-link]")
    expect(link).to_have_text("Actualiser la page")
    assert_accessible(page)

    # A worker renders the PDF; the page notices by itself and offers the download.
    render_certificate_pdf.enqueue(certificate.pk)
    expect(page.get_by_role("status")).to_have_text("Votre attestation est prête.", timeout=15_000)
    expect(link).to_have_text("Télécharger l’attestation (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    content = Path(download.path()).read_bytes()
    certificate.refresh_from_db()
    assert hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    assert download.suggested_filename == f"attestation-{module.slug}-martin.pdf"

    # The verification address printed on the paper.
    pdf_text = "".join(p.extract_text() for p in PdfReader(download.path()).pages)
    url = re.search(r"https?://\S+/verifier/[0-9A-Z-]+/", pdf_text).group(0)
    assert url == f"{base}/verifier/{certificate.display_code}/"
    assert certificate.display_code in pdf_text

    # Anyone (here, a fresh browser context) opens it: « Authentique ».
    visitor = page.context.browser.new_page()
    visitor.goto(url)
    expect(visitor.get_by_role("heading", level=2, name="Authentique")).to_be_visible()
    expect(visitor.get_by_role("table")).to_contain_text(certificate.number)
    expect(visitor.get_by_role("table")).to_contain_text("Repérer les signaux faibles")
    assert_accessible(visitor)

    # Coordination revokes it: the same address now says « Révoqué ».
    revoke_certificate(certificate, by=coordinator, reason="Quiz passé par un tiers")
    visitor.reload()
    expect(visitor.get_by_role("heading", level=2, name="Révoqué")).to_be_visible()
    expect(visitor.get_by_text("Quiz passé par un tiers")).to_have_count(0)
    visitor.close()

    # The holder can no longer download it, and the list says why.
    page.goto(f"{base}/espace/certificats/")
    expect(page.get_by_role("row", name=re.compile(certificate.number))).to_contain_text("Révoqué")


def test_verification_form_and_unknown_code(page, live_server, professional):
    certificate = Certificate.objects.create(
        kind="completion",
        number="RP-2026-000042",
        year=2026,
        sequence=42,
        code="01ABCDEFGHJK",
        holder=professional,
        holder_first_name="Camille",
        holder_last_name="Martin",
        title="Accueillir la parole",
        publisher_name="Observatoire départemental",
        planned_minutes=90,
        completed_on="2026-03-05",
        issuer_name="Amicale du Nid",
        issued_at="2026-03-05T10:00:00+01:00",
    )
    page.goto(f"{live_server.url}/verifier/")
    assert_accessible(page)

    # A malformed code is explained next to the field.
    page.get_by_label("Code de vérification").fill("01AB-CDEF")
    page.get_by_role("button", name="Vérifier le code").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce n’est pas un code de vérification")
    assert_accessible(page)

    # Typed loosely (lower case, O for 0, spaces): still found.
    page.get_by_label("Code de vérification").fill("oiab cdef ghjk")
    page.get_by_role("button", name="Vérifier le code").click()
    expect(page.get_by_role("heading", level=2, name="Authentique")).to_be_visible()
    expect(page.get_by_text(certificate.number)).to_be_visible()

    # An unknown code.
    page.goto(f"{live_server.url}/verifier/ZZZZ-ZZZZ-ZZZZ/")
    expect(
        page.get_by_role("heading", name="Aucun certificat ne correspond à ce code")
    ).to_be_visible()
    assert_accessible(page)
