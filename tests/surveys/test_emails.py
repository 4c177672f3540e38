"""`send_followup_surveys`: due questionnaires e-mailed once, with a signed link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courses.sessions.certificates import finish_session
from surveys import emails
from surveys.models import SurveyInvitation, SurveyKind
from surveys.tokens import invitation_for_token

from .helpers import attended_session, completed_module, paris

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+/questionnaires/([^/\s]+)/")


def send():
    call_command("send_followup_surveys", verbosity=0)


def test_a_cold_module_survey_is_sent_once_when_due(professional):
    _, hot, cold = completed_module(professional, title="Repérer les signaux")
    send()
    assert mail.outbox == []  # nothing due by e-mail yet: the hot one is offered on screen

    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now() - timedelta(hours=1))
    send()
    send()  # run twice: sent once

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [professional.email]
    assert "Repérer les signaux" in message.subject
    token = LINK.search(message.body).group(1)
    assert invitation_for_token(token).pk == cold.pk
    html = message.alternatives[0][0]
    assert token in html
    cold.refresh_from_db()
    assert cold.emailed_at is not None
    hot.refresh_from_db()
    assert hot.emailed_at is None  # a module's « à chaud » is never e-mailed


def test_answered_or_inactive_people_get_nothing(professional, django_user_model):
    _, _, cold = completed_module(professional)
    SurveyInvitation.objects.filter(pk=cold.pk).update(
        due_at=timezone.now() - timedelta(hours=1), answered_at=timezone.now()
    )
    from tests.conftest import make_user

    gone = make_user(django_user_model, "parti@example.org")
    _, _, other = completed_module(gone)
    SurveyInvitation.objects.filter(pk=other.pk).update(due_at=timezone.now() - timedelta(hours=1))
    gone.is_active = False
    gone.save()

    send()
    assert mail.outbox == []


def test_the_task_claims_the_invitation(professional):
    _, _, cold = completed_module(professional)
    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert emails.send_survey_invitation.call(cold.pk) is True
    assert emails.send_survey_invitation.call(cold.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_the_claim_back(professional, monkeypatch):
    _, _, cold = completed_module(professional)
    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now() - timedelta(hours=1))

    def broken(invitation):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(emails, "send", broken)
    with pytest.raises(ConnectionError):
        emails.send_survey_invitation.call(cold.pk)
    cold.refresh_from_db()
    assert cold.emailed_at is None


def test_a_session_hot_survey_leaves_the_evening_of_the_last_half_day(trainer, professional):
    start = timezone.localdate() + timedelta(days=1)
    session = attended_session([professional], start=start, trainer=trainer)
    last_day = start + timedelta(days=1)
    # The trainer closes the session at noon on the last day.
    finish_session(session, by=trainer, now=paris(last_day, 12, 45))
    assert emails.queue_due_emails(now=paris(last_day, 12, 45)) == 0
    assert emails.queue_due_emails(now=paris(last_day, 17, 59)) == 0
    assert mail.outbox == []
    assert emails.queue_due_emails(now=paris(last_day, 18, 0)) == 1
    assert emails.queue_due_emails(now=paris(last_day, 18, 5)) == 0
    assert len(mail.outbox) == 1
    assert "Merci d’avoir participé à la session" in mail.outbox[0].body
    hot = SurveyInvitation.objects.get(session=session, kind=SurveyKind.HOT)
    assert hot.emailed_at is not None
    # The cold one, 90 days later.
    cold_due = paris(last_day, 18) + timedelta(days=90)
    assert emails.queue_due_emails(now=cold_due - timedelta(minutes=1)) == 0
    assert emails.queue_due_emails(now=cold_due) == 1
    assert len(mail.outbox) == 2
    assert "il y a quelques mois" in mail.outbox[1].body


def test_a_session_closed_late_sends_at_once(trainer, professional):
    session = attended_session([professional], trainer=trainer)  # ended two days ago
    finish_session(session, by=trainer)
    send()
    assert len(mail.outbox) == 1


def test_one_message_per_person_and_course(trainer, professional, django_user_model):
    from tests.conftest import make_user

    other = make_user(django_user_model, "autre@example.org")
    session = attended_session([professional, other], trainer=trainer)
    finish_session(session, by=trainer)
    send()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [professional.email, other.email]
    )
