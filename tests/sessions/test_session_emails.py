"""Session e-mails: French content, .ics attached, reminders once, mail server down."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from courses.models import Registration
from courses.models.sessions import RegistrationStatus
from courses.sessions import emails as session_emails
from courses.sessions import registrations
from courses.sessions.errors import SessionError

from .factories import build_session
from .registration_helpers import FAILING_BACKEND, new_professional, sent_to

pytestmark = pytest.mark.django_db


def ics_of(message):
    (name, content, mimetype), *_ = message.attachments
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def html_of(message):
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def test_confirmation_is_french_with_slots_place_and_ics(act, professional):
    session = build_session(slots=2, commune="Bobigny", venue_name="Maison des associations")

    act.register(professional, session)

    (message,) = sent_to(professional.email)
    assert message.subject == "[Repères] Inscription confirmée : " + session.title
    assert "\n" not in message.subject
    body = message.body
    assert body.startswith("Bonjour Camille,")
    assert f"Votre inscription à la session « {session.title} » est confirmée." in body
    first = session.slots.first()
    weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert f"- {weekday[first.date.weekday()]} {first.date.day} " in body
    assert "9 h 00 – 12 h 30" in body
    assert "Maison des associations, 12 rue de la République, Bobigny" in body
    assert "7 h" in body  # two half-days of 3 h 30
    assert "http://testserver/espace/" in body
    assert "&#x27;" not in body and "&amp;" not in body  # plain text is not escaped
    html = html_of(message)
    assert '<html lang="fr">' in html
    assert 'href="http://testserver/espace/"' in html
    assert len(ics_of(message).events) == 2


def test_confirmation_of_a_remote_session_gives_the_meeting_link(act, professional):
    session = build_session(is_remote=True, meeting_url="https://visio.example.org/salle-42")

    act.register(professional, session)

    (message,) = sent_to(professional.email)
    assert "https://visio.example.org/salle-42" in message.body
    assert 'href="https://visio.example.org/salle-42"' in html_of(message)
    event = ics_of(message).events[0]
    assert "https://visio.example.org/salle-42" in str(event["description"])


def test_waiting_notice_tells_the_position_and_carries_no_meeting_link(act):
    session = build_session(capacity=1, is_remote=True, meeting_url="https://visio.example.org/x")
    act.register(new_professional(), session)
    act.register(new_professional(), session)
    third = new_professional()

    act.register(third, session)

    (message,) = sent_to(third.email)
    assert "liste d'attente, en position 2" in message.body
    assert "visio.example.org" not in message.body
    assert "visio.example.org" not in html_of(message)
    assert message.attachments == []


def test_promotion_email_carries_the_ics(act):
    session = build_session(capacity=1)
    holder, waiting = new_professional(), new_professional()
    seat = act.register(holder, session)
    act.register(waiting, session)
    mail.outbox.clear()

    act.cancel_registration(holder, seat)

    (message,) = sent_to(waiting.email)
    assert "votre inscription est maintenant confirmée" in message.body
    assert len(ics_of(message).events) == 2


def test_cancelled_session_email_to_an_invitation_says_bonjour_without_name(act, trainer):
    session = build_session(trainer=trainer)
    act.add_participant(trainer, session, "invite@example.org")
    mail.outbox.clear()

    act.cancel_session(session, trainer, "")

    (message,) = sent_to("invite@example.org")
    assert message.body.startswith("Bonjour,")
    assert "Motif" not in message.body


def test_message_no_longer_due_is_skipped(act, professional):
    session = build_session()
    registration = act.register(professional, session)
    mail.outbox.clear()
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.CANCELLED)

    assert session_emails.send("confirmed", registration.pk) is False
    assert session_emails.send("confirmed", 999_999) is False
    assert mail.outbox == []


def test_refused_registration_sends_nothing(act, professional):
    session = build_session()

    with pytest.raises(SessionError):
        act.register(professional, session, now=session.registration_closes_at + timedelta(days=1))

    assert mail.outbox == []


# --- Mail server down ---------------------------------------------------------------------


def test_failing_mail_server_keeps_the_registration(act, settings, professional):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    session = build_session(capacity=1)

    registration = act.register(professional, session)  # the task fails after commit
    waiting = act.register(new_professional(), session)
    act.cancel_registration(professional, registration)  # promotion e-mail fails too

    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("role_groups")
def test_failing_mail_server_after_a_real_commit_keeps_the_registration(settings, caplog):
    """With real transactions: the e-mail task runs after COMMIT and fails there."""
    settings.EMAIL_BACKEND = FAILING_BACKEND
    session = build_session(capacity=1)
    person = new_professional()

    registration = registrations.register(person, session)

    stored = Registration.objects.get(pk=registration.pk)
    assert stored.status == RegistrationStatus.CONFIRMED
    assert "ConnectionRefusedError" in caplog.text


# --- Reminders ----------------------------------------------------------------------------


def starting_in(days, **fields):
    start = timezone.localdate() + timedelta(days=days)
    return build_session(
        start=start,
        registration_closes_at=timezone.now() + timedelta(hours=1),
        **fields,
    )


def test_reminder_command_sends_once_per_registration(act):
    soon, later = starting_in(1), starting_in(6)
    person, other, gone = new_professional(), new_professional(), new_professional()
    act.register(person, soon)
    act.register(other, later)
    own = act.register(gone, soon)
    act.cancel_registration(gone, own)
    mail.outbox.clear()

    call_command("send_session_reminders", verbosity=0)
    call_command("send_session_reminders", verbosity=0)

    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject == "[Repères] Rappel : " + soon.title
    assert len(ics_of(message).events) == 2
    assert Registration.objects.get(user=person).reminder_sent_at is not None
    assert Registration.objects.get(user=other).reminder_sent_at is None


def test_reminder_task_twice_sends_one_message(act, professional):
    session = starting_in(1)
    registration = act.register(professional, session)
    mail.outbox.clear()

    session_emails.send_session_reminder.enqueue(registration.pk)
    session_emails.send_session_reminder.enqueue(registration.pk)

    assert len(mail.outbox) == 1


def test_no_reminder_for_a_cancelled_session_or_a_started_one(act, trainer):
    cancelled = starting_in(1, trainer=trainer)
    act.register(new_professional(), cancelled)
    act.cancel_session(cancelled, trainer, "")
    mail.outbox.clear()

    assert session_emails.queue_due_reminders() == 0
    started = starting_in(1)
    registration = act.register(new_professional(), started)
    mail.outbox.clear()
    later = started.starts_at + timedelta(minutes=5)
    assert session_emails.queue_due_reminders(now=later) == 0
    # A task queued earlier but run late sends nothing either.
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=None)
    started.starts_at = timezone.now() - timedelta(minutes=1)
    started.save(update_fields=["starts_at"])
    session_emails.send_session_reminder.enqueue(registration.pk)
    assert mail.outbox == []


def test_failed_reminder_is_tried_again_on_the_next_run(act, settings, professional):
    session = starting_in(1)
    registration = act.register(professional, session)
    mail.outbox.clear()

    settings.EMAIL_BACKEND = FAILING_BACKEND
    call_command("send_session_reminders", verbosity=0)
    assert Registration.objects.get(pk=registration.pk).reminder_sent_at is None
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_session_reminders", verbosity=0)
    assert len(mail.outbox) == 1
