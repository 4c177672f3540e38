"""Journey: the trainer downloads the feuille d'émargement, closes the session, and a
participant downloads their certificat de réalisation.

The half-days took place two days ago: attendance and signatures were recorded then,
through the services (which take the time of the action). axe-core runs on the pages
this journey shows in a state no other test does: the trainer's session once closed,
and « Mon espace » holding a finished session and a certificat de réalisation.
"""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates.models import Certificate, CertificateKind
from courses.models.sessions import SessionStatus
from courses.sessions import signatures
from courses.sessions.attendance import mark_attendance
from demo.sessions import signature_png
from tests.browser.axe import assert_accessible
from tests.sessions.factories import add_participant, add_slot, build_session
from tests.sessions.registration_helpers import new_professional

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Repérer et protéger : session de Bondy"
#: Each participant's mark for the morning and the afternoon.
MARKS = {"Leroy": ("present", "present"), "Nguyen": ("absent", "late"), "Diallo": ("absent",) * 2}


@pytest.fixture(autouse=True)
def settings_module(settings):
    # As in test_trainer_area: the live server's overridden settings lack SETTINGS_MODULE,
    # which core.content_cache reads.
    if not settings.SETTINGS_MODULE:
        settings.SETTINGS_MODULE = "config.test_settings"


def page_for(browser, live_server, user):
    """A new browser context logged in as `user` (the participant, on their own device)."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True)
    client = Client()
    client.force_login(user, backend="accounts.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return context.new_page()


def held_two_days_ago(trainer):
    """A session of two half-days two days ago: marks and signatures made at the time."""
    day = timezone.localdate() - timedelta(days=2)
    now = timezone.now()
    session = build_session(
        slots=0,
        trainer=trainer,
        title=TITLE,
        commune="Bondy",
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=now - timedelta(days=3),
    )
    slots = [add_slot(session, day, "09:00", "12:30"), add_slot(session, day, "13:30", "17:00")]
    people = {
        "Leroy": new_professional(first_name="Alice", last_name="Leroy"),
        "Nguyen": new_professional(first_name="Bruno", last_name="Nguyen"),
        "Diallo": new_professional(first_name="Chloé", last_name="Diallo"),
    }
    registrations = {name: add_participant(session, user) for name, user in people.items()}
    for number, slot in enumerate(slots):
        slot.session = session
        during = slot.starts_at + timedelta(minutes=20)
        for name, statuses in MARKS.items():
            mark_attendance(trainer, slot, registrations[name], statuses[number], now=during)
        # Alice draws on the canvas, Bruno types his name (the accessible alternative).
        signatures.sign_slot(
            people["Leroy"],
            slot,
            image_bytes=signature_png(1, number),
            certified=True,
            now=during,
        )
        if MARKS["Nguyen"][number] != "absent":
            signatures.sign_slot(
                people["Nguyen"], slot, typed_name="Bruno Nguyen", certified=True, now=during
            )
        signatures.sign_slot_as_trainer(
            trainer,
            slot,
            image_bytes=signature_png(4, number),
            certified=True,
            now=slot.ends_at - timedelta(minutes=5),
        )
    return session, slots, people


def test_trainer_downloads_the_sheet_closes_and_participant_gets_the_certificate(
    page, browser, live_server, logged_in, trainer
):
    base = live_server.url
    session, slots, people = held_two_days_ago(trainer)
    logged_in(trainer)

    page.goto(f"{base}/formateur/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The feuille d'émargement, as the funder will read it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Feuille d’émargement (PDF)").click()
    download = download_info.value
    paris_today = datetime.now(ZoneInfo("Europe/Paris")).date()
    assert download.suggested_filename == (
        f"emargement-{slugify(session.title)}-{paris_today:%Y-%m-%d}.pdf"
    )
    reader = PdfReader(download.path())
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    for expected in (
        "Feuille d’émargement",
        TITLE,
        "Alice Leroy",
        "Bruno Nguyen",
        "Chloé Diallo",
        f"{slots[0].date:%d/%m/%Y}",
        "09:00–12:30",
        "13:30–17:00",
        "absent·e",
        "Heures suivies",
    ):
        assert expected in text, expected
    assert text.count("absent·e") == 3  # Bruno's morning, Chloé's two half-days
    # Drawn signatures are images: Alice's two and the trainer's two (typed ones are text).
    assert sum(len(sheet.images) for sheet in reader.pages) == 4

    # The trainer closes the session.
    page.get_by_role("button", name="Clôturer la session").click()
    expect(page.get_by_text("2 certificats de réalisation délivrés")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="terminée")).to_be_visible()
    expect(page.get_by_role("button", name="Clôturer la session")).to_have_count(0)
    assert_accessible(page)
    session.refresh_from_db()
    assert session.status == SessionStatus.FINISHED
    issued = Certificate.objects.filter(session=session, kind=CertificateKind.ACHIEVEMENT)
    assert sorted(issued.values_list("holder_last_name", flat=True)) == ["Leroy", "Nguyen"]

    # Bruno, on his own device: « Mon espace », then « Mes certificats », then the PDF.
    bruno = page_for(browser, live_server, people["Nguyen"])
    bruno.goto(f"{base}/espace/")
    sessions = bruno.get_by_role("region", name="Mes sessions")
    expect(sessions.get_by_role("row", name=re.compile(TITLE))).to_contain_text("terminée")
    section = bruno.get_by_role("region", name="Mes certificats")
    row = section.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Certificat de réalisation", ignore_case=True)
    assert_accessible(bruno)
    section.get_by_role("link", name="Tous mes certificats").click()
    expect(bruno.get_by_role("heading", level=1)).to_have_text("Mes certificats")
    certificate = issued.get(holder_last_name="Nguyen")
    with bruno.expect_download() as download_info:
        bruno.get_by_role(
            "link", name=re.compile(f"Télécharger le PDF — certificat {certificate.number}")
        ).click()
    download = download_info.value
    assert download.suggested_filename.startswith("certificat-realisation-")
    paper = "".join(sheet.extract_text() for sheet in PdfReader(download.path()).pages)
    assert "Certificat de réalisation" in paper and "Bruno Nguyen" in paper
    assert "3 h 30 sur 7 h" in paper  # the afternoon only, out of two half-days
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    bruno.context.close()

    # Chloé attended nothing: no certificate for her.
    assert not Certificate.objects.filter(holder=people["Diallo"]).exists()
