"""Participant pages: registering and cancelling, the calendar feed, check-in and signature."""

import base64
import html
import io
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from PIL import Image, ImageDraw

from courses.models import Attendance, AttendanceMark, CalendarFeed, Registration, SlotSignature
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import checkin
from courses.sessions.checkin_views import DEVICE_COOKIE

from .factories import add_participant, build_session
from .registration_helpers import new_professional

pytestmark = pytest.mark.django_db


def register_url(session):
    return f"/sessions/{session.uuid}/inscription/"


def cancel_url(registration):
    return f"/sessions/inscriptions/{registration.pk}/annuler/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- Registering and cancelling --------------------------------------------------------------------


def test_register_confirms_then_the_next_person_waits(client, professional):
    session = build_session(capacity=1)
    client.force_login(professional)

    response = client.post(register_url(session), follow=True)

    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Votre inscription est confirmée" in messages_of(response)[0]
    assert "Annuler mon inscription" in response.content.decode()
    other = new_professional()
    client.force_login(other)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Rejoindre la liste d’attente" in page
    response = client.post(register_url(session), follow=True)
    assert "liste d'attente" in messages_of(response)[0]
    assert Registration.objects.get(user=other).status == RegistrationStatus.WAITING
    assert "Quitter la liste d’attente" in response.content.decode()


def test_double_submit_is_idempotent(client, professional):
    session = build_session(capacity=5)
    client.force_login(professional)

    client.post(register_url(session))
    client.post(register_url(session))

    assert Registration.objects.filter(session=session).count() == 1


def test_register_requires_login_and_post(client, professional):
    session = build_session()

    response = client.post(register_url(session))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    client.force_login(professional)
    assert client.get(register_url(session)).status_code == 405
    assert not Registration.objects.exists()


def test_register_is_protected_by_csrf(professional):
    from django.test import Client

    session = build_session()
    client = Client(enforce_csrf_checks=True)
    client.force_login(professional)

    assert client.post(register_url(session)).status_code == 403
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": SessionStatus.CANCELLED}, "a été annulée"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "sont closes"),
    ],
)
def test_refused_registration_is_a_message_and_nothing_changes(
    client, professional, fields, expected
):
    fields.setdefault("registration_opens_at", timezone.now() - timedelta(days=3))
    session = build_session(**fields)
    client.force_login(professional)

    response = client.post(register_url(session), follow=True)

    assert expected in messages_of(response)[0]
    assert not Registration.objects.exists()


def test_unknown_session_is_a_404_for_registering(client, professional):
    client.force_login(professional)
    assert (
        client.post("/sessions/00000000-0000-0000-0000-000000000000/inscription/").status_code
        == 404
    )


def test_cancel_promotes_the_first_person_waiting(client, professional):
    session = build_session(capacity=1)
    mine = add_participant(session, professional)
    waiting = add_participant(session, new_professional(), status=RegistrationStatus.WAITING)
    client.force_login(professional)

    response = client.post(cancel_url(mine), follow=True)

    assert "Votre inscription est annulée." in messages_of(response)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert "S’inscrire" in response.content.decode() or "Rejoindre" in response.content.decode()


def test_cancelling_another_persons_registration_is_a_404(client, professional):
    session = build_session()
    theirs = add_participant(session, new_professional())
    client.force_login(professional)

    assert client.post(cancel_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.CONFIRMED


def test_cancel_after_close_is_refused_with_the_reason(client, professional):
    session = build_session(
        registration_opens_at=timezone.now() - timedelta(days=3),
        registration_closes_at=timezone.now() - timedelta(minutes=1),
    )
    mine = add_participant(session, professional)
    client.force_login(professional)

    page = client.get(session.get_absolute_url()).content.decode()
    assert "Annuler mon inscription" not in page
    response = client.post(cancel_url(mine), follow=True)

    assert "sont closes" in messages_of(response)[0]
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.CONFIRMED


# --- Calendar feed and « Mon espace » --------------------------------------------------------------


def test_feed_by_secret_token_without_login(client, professional):
    session = build_session(title="Session de Bobigny")
    add_participant(session, professional)
    feed = CalendarFeed.objects.create(user=professional)

    response = client.get(f"/calendrier/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "Session de Bobigny" in response.content.decode()
    assert client.get("/calendrier/pas-le-bon-jeton.ics").status_code == 404


def test_dashboard_lists_my_sessions_and_regenerates_the_feed(client, professional):
    session = build_session(title="Session de Saint-Denis")
    add_participant(session, professional, status=RegistrationStatus.WAITING)
    client.force_login(professional)

    page = client.get("/espace/").content.decode()
    assert "Session de Saint-Denis" in page
    assert "en liste d&#x27;attente" in page or "en liste d'attente" in page

    client.post("/sessions/calendrier/adresse/")
    first = CalendarFeed.objects.get(user=professional).token
    assert f"/calendrier/{first}.ics" in client.get("/espace/").content.decode()
    client.post("/sessions/calendrier/adresse/")
    second = CalendarFeed.objects.get(user=professional).token

    assert second != first
    assert client.get(f"/calendrier/{first}.ics").status_code == 404
    assert client.get(f"/calendrier/{second}.ics").status_code == 200


def test_each_person_sees_their_own_sessions_and_feed_on_mon_espace(client, professional):
    """The section's fixed texts are rendered once for everyone (content cache); the
    rows, their statuses and the feed are each person's, read at each visit."""
    mine = build_session(title="Session de Montreuil")
    add_participant(mine, professional, status=RegistrationStatus.WAITING)
    feed = CalendarFeed.objects.create(user=professional)
    other = new_professional()
    theirs = build_session(title="Session de Pantin")
    add_participant(theirs, other)
    client.force_login(professional)
    page = client.get("/espace/").content.decode()
    assert "Session de Montreuil" in page and "Session de Pantin" not in page
    assert f"/calendrier/{feed.token}.ics" in page and "tag--warning" in page

    client.force_login(other)
    page = client.get("/espace/").content.decode()
    assert "Session de Pantin" in page and "Session de Montreuil" not in page
    assert feed.token not in page and "Obtenir l’adresse de mon agenda" in page
    assert "tag--success" in page and "confirmée" in page

    # A session cancelled, renamed and moved shows so at the next visit.
    theirs.status = SessionStatus.CANCELLED
    theirs.title = "Session de Pantin (annulée)"
    theirs.save()
    page = client.get("/espace/").content.decode()
    assert "Session de Pantin (annulée)" in page and "tag--error" in page


def test_the_feed_address_is_the_public_one_not_the_requests_host(client, professional, settings):
    """A calendar app outside the site fetches it: the platform's public address, whatever
    Host header (an internal name behind a proxy) the page was requested with."""
    settings.WAGTAILADMIN_BASE_URL = "https://formation.exemple.fr"
    add_participant(build_session(), professional)
    feed = CalendarFeed.objects.create(user=professional)
    client.force_login(professional)

    page = client.get("/espace/", HTTP_HOST="127.0.0.1").content.decode()

    assert f'value="https://formation.exemple.fr/calendrier/{feed.token}.ics"' in page


# --- Check-in -------------------------------------------------------------------------------------


@pytest.fixture
def running(monkeypatch):
    """A session whose first slot is running: the clock is 30 minutes into it."""
    session = build_session(slots=2)
    slot = session.slots.first()
    now = slot.starts_at + timedelta(minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: now)
    return session, slot, now


def code_of(slot, now):
    return checkin.current_checkin(slot, now).short_code


def test_checkin_page_sets_a_private_device_cookie(client, professional):
    client.force_login(professional)

    response = client.get("/pointage/")

    cookie = response.cookies[DEVICE_COOKIE]
    assert response.status_code == 200
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get("/pointage/").cookies.get(DEVICE_COOKIE) is None  # kept, not replaced


def test_checkin_requires_login(client):
    response = client.get("/pointage/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_checkin_with_the_code_then_sign_with_the_typed_name(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    client.get("/pointage/")

    response = client.post("/pointage/", {"code": code_of(slot, now).lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/pointage/demi-journees/{slot.pk}/signature/"
    attendance = Attendance.objects.get(slot=slot)
    assert attendance.status == "present"
    assert AttendanceMark.objects.get(attendance=attendance).device  # hashed device id
    page = client.get(response["Location"]).content.decode()
    assert "Je certifie avoir été présent·e à cette demi-journée" in page

    response = client.post(
        response["Location"], {"typed_name": "Camille Martin", "certified": "on"}, follow=True
    )

    signature = SlotSignature.objects.get(slot=slot)
    assert signature.typed_name == "Camille Martin" and signature.certified
    assert "vous avez signé" in response.content.decode()


def test_a_typed_name_with_a_zero_width_space_is_refused_on_the_form(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    client.post("/pointage/", {"code": code_of(slot, now).lower()})

    response = client.post(
        f"/pointage/demi-journees/{slot.pk}/signature/",
        {"typed_name": "Camille\u200bMartin", "certified": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("typed_name", "control_characters")
    assert not SlotSignature.objects.filter(slot=slot).exists()


def test_qr_token_page_asks_then_checks_in_on_post(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    token = checkin.current_checkin(slot, now).token

    page = client.get(f"/pointage/{token}/")
    assert page.status_code == 200 and not Attendance.objects.exists()
    response = client.post(f"/pointage/{token}/")

    assert response["Location"] == f"/pointage/demi-journees/{slot.pk}/signature/"
    assert Attendance.objects.filter(slot=slot).exists()


def refusal(response):
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    return html.unescape(response.content.decode())


def test_expired_code_is_refused_with_a_clear_message(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    old = checkin.make_code(slot.pk, checkin.window_of(now) - 5)

    assert "a expiré" in refusal(client.post("/pointage/", {"code": old}))


def test_forged_token_is_refused(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    forged = signing.Signer(salt="autre-chose").sign_object([slot.pk, checkin.window_of(now)])

    assert "n'est pas valide" in refusal(client.post(f"/pointage/{forged}/"))
    assert "n'est pas valide" in refusal(client.post("/pointage/", {"code": "ZZZZZZ"}))


def test_replayed_token_after_its_window_is_refused(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    token = checkin.make_token(slot.pk, checkin.window_of(now) - 3)

    assert "a expiré" in refusal(client.post(f"/pointage/{token}/"))


def test_someone_not_registered_is_told_the_trainer_can_add_them(client, professional, running):
    _session, slot, now = running
    client.force_login(professional)

    html = refusal(client.post("/pointage/", {"code": code_of(slot, now)}))

    assert "peut l'ajouter" in html


def test_a_slot_that_is_not_running_is_refused(client, professional, running):
    session, _slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    tomorrow = session.slots.last()
    token = checkin.make_token(tomorrow.pk, checkin.window_of(now))

    assert "n'est pas ouvert" in refusal(client.post(f"/pointage/{token}/"))


def test_an_empty_code_is_a_form_error(client, professional):
    client.force_login(professional)
    assert client.post("/pointage/", {"code": ""}).status_code == 400


# --- Signature --------------------------------------------------------------------------------------


def png_data_url(size=(300, 120), blank=False, kind="PNG"):
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    if not blank:
        ImageDraw.Draw(image).line((10, 10, 200, 100), fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.convert("RGB" if kind == "JPEG" else "RGBA").save(buffer, format=kind)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def checked_in(client, professional, running):
    session, slot, now = running
    add_participant(session, professional)
    client.force_login(professional)
    client.post("/pointage/", {"code": code_of(slot, now)})
    return f"/pointage/demi-journees/{slot.pk}/signature/", slot


def test_sign_with_a_drawn_png(client, checked_in):
    url, slot = checked_in

    response = client.post(url, {"signature": png_data_url(), "certified": "on"})

    assert response.status_code == 302
    signature = SlotSignature.objects.get(slot=slot)
    assert signature.image and not signature.typed_name
    # Signing again changes nothing.
    client.post(url, {"typed_name": "Autre", "certified": "on"})
    assert SlotSignature.objects.get(slot=slot).pk == signature.pk


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"signature": png_data_url(kind="JPEG")}, "doit être une image PNG"),
        ({"signature": "data:image/png;base64,pas-du-base64!"}, "doit être une image PNG"),
        ({"signature": "data:image/svg+xml;base64,PHN2Zz4="}, "doit être une image PNG"),
        ({"signature": png_data_url(blank=True)}, "est vide"),
        ({}, "saisissez votre nom"),
    ],
)
def test_bad_signatures_are_refused(client, checked_in, data, expected):
    url, _slot = checked_in

    response = client.post(url, {**data, "certified": "on"})

    assert response.status_code == 400
    assert expected in html.unescape(response.content.decode())
    assert not SlotSignature.objects.exists()


def test_signing_requires_the_attestation(client, checked_in):
    url, _slot = checked_in

    response = client.post(url, {"typed_name": "Camille Martin"})

    assert response.status_code == 400
    assert "Cochez" in response.content.decode()
    assert not SlotSignature.objects.exists()


def test_an_oversized_signature_is_refused(client, checked_in):
    url, _slot = checked_in
    huge = "data:image/png;base64," + "A" * (300 * 1024)

    response = client.post(url, {"signature": huge, "certified": "on"})

    assert response.status_code == 400
    assert "dépasse" in response.content.decode()


def test_the_signature_page_of_another_session_is_a_404(client, professional, running):
    session, slot, _now = running
    client.force_login(professional)

    assert client.get(f"/pointage/demi-journees/{slot.pk}/signature/").status_code == 404
    add_participant(session, professional, status=RegistrationStatus.WAITING)
    assert client.get(f"/pointage/demi-journees/{slot.pk}/signature/").status_code == 404
