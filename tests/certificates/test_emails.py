"""« Votre attestation est prête »: to the holder, with the link, without the code."""

import logging
from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from certificates.emails import send_certificate_ready
from certificates.models import Certificate, CertificateKind

pytestmark = pytest.mark.django_db

LIST_URL = "http://testserver/espace/certificats/"


@pytest.fixture
def make_certificate(professional):
    def make(sequence=1, **overrides):
        fields = {
            "kind": CertificateKind.COMPLETION,
            "number": f"RP-2026-{sequence:06d}",
            "year": 2026,
            "sequence": sequence,
            "code": f"7KQ2MX9D{sequence:04d}",
            "holder": professional,
            "holder_first_name": "Camille",
            "holder_last_name": "Martin",
            "title": "Le cadre légal",
            "publisher_name": "Amicale du Nid",
            "completed_on": date(2026, 1, 19),
            "issuer_name": "Amicale du Nid",
            "issued_at": timezone.make_aware(datetime(2026, 1, 19, 10, 0)),
        }
        return Certificate.objects.create(**{**fields, **overrides})

    return make


def test_holder_gets_the_link_and_not_the_code(make_certificate, professional):
    certificate = make_certificate()
    assert send_certificate_ready(certificate.pk) is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [professional.email]
    assert "Votre attestation est prête" in message.subject
    assert "\n" not in message.subject
    assert LIST_URL in message.body
    assert "Bonjour Camille," in message.body
    assert "« Le cadre légal »" in message.body
    assert message.attachments == []  # the PDF is downloaded, never mailed
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{LIST_URL}"' in html
    for part in (message.subject, message.body, html):
        assert certificate.code not in part
        assert certificate.display_code not in part
        assert "/verifier/" not in part


def test_a_certificat_de_realisation_has_its_own_subject(make_certificate):
    certificate = make_certificate(kind=CertificateKind.ACHIEVEMENT)
    send_certificate_ready(certificate.pk)
    assert "Votre certificat de réalisation est prêt" in mail.outbox[0].subject


def test_mail_is_in_french_whatever_the_active_language(make_certificate):
    certificate = make_certificate()
    with translation.override("en"):
        send_certificate_ready(certificate.pk)
    assert "Votre attestation est prête" in mail.outbox[0].subject


def test_html_part_escapes_the_snapshot(make_certificate):
    certificate = make_certificate(title='<img src="file:///etc/passwd">')
    send_certificate_ready(certificate.pk)
    html = mail.outbox[0].alternatives[0][0]
    assert "<img" not in html
    assert "&lt;img" in html


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"revoked_at": timezone.make_aware(datetime(2026, 2, 1))}, "certificate_revoked"),
        ({"replaced_at": timezone.make_aware(datetime(2026, 2, 1))}, "certificate_replaced"),
        ({"holder": None}, "holder_deleted"),
    ],
)
def test_no_mail_when_it_makes_no_sense(make_certificate, caplog, change, reason):
    certificate = make_certificate(**change)
    with caplog.at_level(logging.INFO, logger="reperes.certificates"):
        assert send_certificate_ready(certificate.pk) is False
    assert mail.outbox == []
    assert [record.reason for record in caplog.records if hasattr(record, "reason")] == [reason]


def test_no_mail_without_an_address(make_certificate, professional):
    professional.email = ""
    professional.save()
    assert send_certificate_ready(make_certificate().pk) is False
    assert mail.outbox == []


def test_no_mail_for_an_unknown_certificate():
    assert send_certificate_ready(999_999) is False
    assert mail.outbox == []


def test_a_retried_task_does_not_send_twice(make_certificate):
    certificate = make_certificate()
    assert send_certificate_ready(certificate.pk) is True
    assert send_certificate_ready(certificate.pk) is False
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.ready_email_sent_at is not None


def test_a_failing_mail_server_leaves_the_mail_to_send(make_certificate, settings):
    certificate = make_certificate()
    settings.EMAIL_BACKEND = "tests.certificates.test_emails.FailingBackend"
    with pytest.raises(OSError):
        send_certificate_ready(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.ready_email_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_certificate_ready(certificate.pk) is True


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")
