"""Trainer services: add a participant, invitations and their claim, capacity, cancel."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from wagtail.models import ModelLogEntry

from courses.models import Registration
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions.errors import SessionError
from tests.conftest import PASSWORD

from .factories import build_session, new_trainer
from .registration_helpers import after_close, new_professional, subjects_to

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED, INVITED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.INVITED,
)


# --- add_participant ---------------------------------------------------------------------


def test_trainer_adds_an_existing_account_by_email_any_case(act, trainer, professional):
    session = build_session(trainer=trainer)

    registration = act.add_participant(trainer, session, "  PRO@Example.org ")

    assert registration.user == professional
    assert registration.status == CONFIRMED
    assert registration.added_by == trainer
    assert subjects_to(professional.email) == ["[Repères] Inscription confirmée : " + session.title]
    message = mail.outbox[0]
    assert message.attachments[0][0].endswith(".ics")


def test_trainer_may_add_after_registrations_close(act, trainer, professional):
    session = build_session(trainer=trainer)

    registration = act.add_participant(
        trainer, session, professional.email, now=after_close(session)
    )

    assert registration.status == CONFIRMED


def test_adding_someone_already_confirmed_changes_nothing(act, trainer, professional):
    session = build_session(trainer=trainer)
    own = act.register(professional, session)
    mail.outbox.clear()

    again = act.add_participant(trainer, session, professional.email)

    assert again.pk == own.pk
    assert again.added_by is None
    assert mail.outbox == []


def test_adding_a_waiting_person_gives_them_a_free_seat(act, trainer):
    session = build_session(trainer=trainer, capacity=1)
    holder, waiting = new_professional(), new_professional()
    seat = act.register(holder, session)
    row = act.register(waiting, session)
    act.set_capacity(session, 1, trainer)  # no change
    assert Registration.objects.get(pk=row.pk).status == WAITING
    act.cancel_registration(holder, seat)  # `waiting` is promoted
    assert Registration.objects.get(pk=row.pk).status == CONFIRMED

    other = new_professional()
    with pytest.raises(SessionError) as excinfo:
        act.add_participant(trainer, session, other.email)

    assert excinfo.value.code == "session_full"
    assert not Registration.objects.filter(user=other).exists()


def test_adding_to_a_full_session_is_refused(act, trainer, professional):
    session = build_session(trainer=trainer, capacity=1)
    act.register(new_professional(), session)

    with pytest.raises(SessionError) as excinfo:
        act.add_participant(trainer, session, professional.email)

    assert excinfo.value.code == "session_full"
    assert excinfo.value.message.startswith("Il n'y a plus de place")
    assert session.registrations.count() == 1


def test_invalid_address_is_refused(act, trainer):
    session = build_session(trainer=trainer)

    with pytest.raises(SessionError) as excinfo:
        act.add_participant(trainer, session, "pas-une-adresse")

    assert excinfo.value.code == "invalid_email"
    assert not Registration.objects.exists()


def test_another_trainer_cannot_add_to_the_session(act, trainer, professional):
    session = build_session()  # its own trainer

    with pytest.raises(SessionError) as excinfo:
        act.add_participant(trainer, session, professional.email)

    assert excinfo.value.code == "not_allowed"
    assert not Registration.objects.exists()


def test_coordination_may_add_to_any_session(act, coordinator, professional):
    session = build_session()

    registration = act.add_participant(coordinator, session, professional.email)

    assert registration.status == CONFIRMED


def test_professional_cannot_use_trainer_services(act, professional):
    session = build_session()

    for call in (
        lambda: act.add_participant(professional, session, "x@example.org"),
        lambda: act.set_capacity(session, 50, professional),
        lambda: act.cancel_session(session, professional, ""),
    ):
        with pytest.raises(SessionError) as excinfo:
            call()
        assert excinfo.value.code == "not_allowed"
    session.refresh_from_db()
    assert session.capacity == 20
    assert session.status == SessionStatus.PLANNED


# --- Invitations ----------------------------------------------------------------------------


def test_address_without_account_gets_an_invitation_holding_a_seat(act, trainer):
    session = build_session(trainer=trainer, capacity=1)

    invitation = act.add_participant(trainer, session, "Nouvelle.Personne@Example.org")

    assert invitation.user is None
    assert invitation.email == "nouvelle.personne@example.org"
    assert invitation.status == INVITED
    (message,) = mail.outbox
    assert message.to == ["nouvelle.personne@example.org"]
    assert message.subject == "[Repères] Invitation : " + session.title
    assert "http://testserver/comptes/signup/" in message.body
    assert "nouvelle.personne@example.org" in message.body
    assert message.attachments == []
    (html, _mimetype), *_ = message.alternatives
    assert 'href="http://testserver/comptes/signup/"' in html
    # The invitation holds the only seat: a registration now waits.
    assert act.register(new_professional(), session).status == WAITING


def test_inviting_twice_sends_one_invitation(act, trainer):
    session = build_session(trainer=trainer)

    first = act.add_participant(trainer, session, "invite@example.org")
    again = act.add_participant(trainer, session, "INVITE@example.org")

    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    assert ModelLogEntry.objects.filter(action="reperes.session_invite").count() == 1


def test_verified_address_claims_the_invitation(act, trainer, django_user_model):
    session = build_session(trainer=trainer)
    invitation = act.add_participant(trainer, session, "invite@example.org")
    mail.outbox.clear()
    user = django_user_model.objects.create_user(email="invite@example.org", password="x" * 12)
    address = EmailAddress.objects.create(user=user, email="invite@example.org", verified=False)

    assert act.claim_invitations(user) == []  # not verified yet: nothing linked
    address.verified = True
    address.save()
    claimed = act.claim_invitations(user)

    assert [registration.pk for registration in claimed] == [invitation.pk]
    invitation.refresh_from_db()
    assert invitation.user == user
    assert invitation.status == CONFIRMED
    assert invitation.confirmed_at is not None
    assert subjects_to(user.email) == ["[Repères] Inscription confirmée : " + session.title]
    assert act.claim_invitations(user) == []  # twice: nothing more


def test_email_confirmed_signal_claims_invitations(
    trainer, django_user_model, django_capture_on_commit_callbacks, act
):
    session = build_session(trainer=trainer)
    invitation = act.add_participant(trainer, session, "invite@example.org")
    user = django_user_model.objects.create_user(email="invite@example.org", password="x" * 12)
    address = EmailAddress.objects.create(user=user, email="invite@example.org", verified=True)

    with django_capture_on_commit_callbacks(execute=True):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    invitation.refresh_from_db()
    assert invitation.user == user
    assert invitation.status == CONFIRMED


def test_signing_up_through_allauth_and_confirming_claims_the_invitation(
    act, trainer, client, django_capture_on_commit_callbacks
):
    """The whole path: invitation → sign-up form → confirmation link → confirmed seat."""
    session = build_session(trainer=trainer)
    act.add_participant(trainer, session, "invite@example.org")
    mail.outbox.clear()

    response = client.post(
        "/comptes/signup/",
        {
            "email": "Invite@Example.org",
            "first_name": "Sacha",
            "last_name": "Durand",
            "profession": "infirmier-scolaire",
            "organisation": "Collège Jean Moulin",
            "commune": "Saint-Denis",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    registration = session.registrations.get()
    assert registration.user is None  # the address is not verified yet
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/comptes/confirm-email/\S+/)", message.body).group(1)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 302

    registration.refresh_from_db()
    assert registration.user.email == "invite@example.org"
    assert registration.status == CONFIRMED
    assert subjects_to("invite@example.org")[-1] == (
        "[Repères] Inscription confirmée : " + session.title
    )


def test_claim_when_the_person_already_has_a_seat_frees_the_invitation_seat(
    act, trainer, professional
):
    session = build_session(trainer=trainer, capacity=2)
    act.register(professional, session)
    invitation = act.add_participant(trainer, session, "autre-adresse@example.org")
    waiting = act.register(new_professional(), session)
    assert waiting.status == WAITING
    EmailAddress.objects.create(user=professional, email="autre-adresse@example.org", verified=True)

    act.claim_invitations(professional)

    invitation.refresh_from_db()
    assert invitation.status == CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert session.registrations.filter(user=professional).get().status == CONFIRMED


def test_claim_when_the_person_was_waiting_gives_them_the_invitation_seat(act, trainer):
    session = build_session(trainer=trainer, capacity=1)
    person = new_professional()
    invitation = act.add_participant(trainer, session, "perso@example.org")
    own = act.register(person, session)
    assert own.status == WAITING
    EmailAddress.objects.create(user=person, email="perso@example.org", verified=True)

    act.claim_invitations(person)

    invitation.refresh_from_db()
    own.refresh_from_db()
    assert (invitation.status, own.status) == (CANCELLED, CONFIRMED)
    assert session.registrations.filter(status__in=[CONFIRMED, INVITED]).count() == 1


def test_registering_with_an_invited_address_confirms_the_invitation(act, trainer, professional):
    session = build_session(trainer=trainer, capacity=1)
    Registration.objects.create(
        session=session, email=professional.email, status=INVITED, added_by=trainer
    )

    registration = act.register(professional, session, now=after_close(session))

    assert registration.status == CONFIRMED
    assert registration.user == professional
    assert session.registrations.count() == 1


# --- set_capacity ---------------------------------------------------------------------------


def test_capacity_below_seats_taken_is_refused_with_the_numbers(act, trainer):
    session = build_session(trainer=trainer, capacity=3)
    act.register(new_professional(), session)
    act.register(new_professional(), session)
    act.add_participant(trainer, session, "invite@example.org")

    with pytest.raises(SessionError) as excinfo:
        act.set_capacity(session, 2, trainer)

    assert excinfo.value.code == "capacity_below_confirmed"
    assert excinfo.value.details == {"capacity": 2, "taken": 3}
    assert "2 places" in excinfo.value.message
    assert "3 personnes" in excinfo.value.message
    session.refresh_from_db()
    assert session.capacity == 3


def test_capacity_down_to_seats_taken_is_accepted(act, trainer):
    session = build_session(trainer=trainer, capacity=5)
    act.register(new_professional(), session)

    assert act.set_capacity(session, 1, trainer).capacity == 1
    assert ModelLogEntry.objects.filter(action="reperes.session_capacity").count() == 1


@pytest.mark.parametrize("capacity", [0, -1, 40000, "12"])
def test_capacity_out_of_range_is_refused(act, trainer, capacity):
    session = build_session(trainer=trainer)

    with pytest.raises(SessionError) as excinfo:
        act.set_capacity(session, capacity, trainer)

    assert excinfo.value.code == "invalid_capacity"


def test_raising_capacity_promotes_the_waiting_list_in_order(act, trainer):
    session = build_session(trainer=trainer, capacity=1)
    act.register(new_professional(), session)
    first, second, third = new_professional(), new_professional(), new_professional()
    for person in (first, second, third):
        act.register(person, session)
    mail.outbox.clear()

    act.set_capacity(session, 3, trainer)

    statuses = dict(session.registrations.values_list("user", "status"))
    assert [statuses[p.pk] for p in (first, second, third)] == [CONFIRMED, CONFIRMED, WAITING]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    assert all("Une place s'est libérée" in m.subject for m in mail.outbox)


# --- cancel_session -------------------------------------------------------------------------


def test_cancel_session_tells_everyone_with_or_awaiting_a_seat(act, trainer):
    session = build_session(trainer=trainer, capacity=2)
    confirmed, waiting, gone = new_professional(), new_professional(), new_professional()
    act.register(confirmed, session)
    own = act.register(gone, session)
    act.cancel_registration(gone, own)
    act.add_participant(trainer, session, "invite@example.org")
    act.register(waiting, session)
    mail.outbox.clear()

    cancelled = act.cancel_session(session, trainer, "Formatrice indisponible")

    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([confirmed.email, waiting.email, "invite@example.org"])
    for message in mail.outbox:
        assert message.subject == "[Repères] Session annulée : " + session.title
        assert "Formatrice indisponible" in message.body
    entry = ModelLogEntry.objects.get(action="reperes.session_cancel")
    assert entry.data["reason"] == "Formatrice indisponible"
    assert entry.data["notified"] == 3


def test_cancel_session_twice_sends_nothing_more(act, trainer, professional):
    session = build_session(trainer=trainer)
    act.register(professional, session)
    act.cancel_session(session, trainer, "")
    mail.outbox.clear()

    act.cancel_session(session, trainer, "encore")

    assert mail.outbox == []
    assert ModelLogEntry.objects.filter(action="reperes.session_cancel").count() == 1


def test_cancel_a_finished_session_is_refused(act, trainer):
    session = build_session(trainer=trainer, status=SessionStatus.FINISHED)

    with pytest.raises(SessionError) as excinfo:
        act.cancel_session(session, trainer, "")

    assert excinfo.value.code == "session_finished"


def test_trainer_services_refuse_a_cancelled_session(act, trainer, professional):
    session = build_session(trainer=trainer)
    act.cancel_session(session, trainer, "")

    for call in (
        lambda: act.add_participant(trainer, session, professional.email),
        lambda: act.set_capacity(session, 30, trainer),
    ):
        with pytest.raises(SessionError) as excinfo:
            call()
        assert excinfo.value.code == "session_cancelled"


def test_new_trainer_helper_makes_distinct_trainers():
    assert new_trainer().pk != new_trainer().pk


def test_adding_an_invited_address_that_now_has_an_account_confirms_it(act, trainer):
    session = build_session(trainer=trainer)
    invitation = act.add_participant(trainer, session, "invite@example.org")
    person = new_professional("invite@example.org")

    registration = act.add_participant(trainer, session, "invite@example.org")

    assert registration.pk == invitation.pk
    assert registration.user == person
    assert registration.status == CONFIRMED
