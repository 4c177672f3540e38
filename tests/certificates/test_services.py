"""Issuing, numbering, snapshots, revocation, re-issue and expiry of certificates."""

import base64
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.errors import CertificateError
from certificates.models import (
    Certificate,
    CertificateKind,
    CertificateSequence,
    CertificateStatus,
    CertificateTemplate,
)
from courses.models import ModuleCompletion

from .helpers import certificate_of, complete_module, png_bytes

pytestmark = pytest.mark.django_db


def log_actions(certificate):
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            object_id=str(certificate.pk),
        )
        .order_by("timestamp")
        .values_list("action", flat=True)
    )


def test_completing_a_module_issues_one_attestation(professional):
    module, completion = complete_module(professional)
    certificate = certificate_of(professional, module)
    year = timezone.localdate().year
    assert certificate.kind == CertificateKind.COMPLETION
    assert certificate.number == f"RP-{year}-000001"
    assert len(certificate.code) == 12
    assert certificate.completion == completion
    assert certificate.status() == CertificateStatus.VALID
    assert log_actions(certificate) == ["reperes.certificate_issue"]


def test_snapshot_copies_holder_module_and_issuer(professional):
    professional.organisation = "Collège Jean Moulin"
    professional.save()
    module, completion = complete_module(
        professional, title="Repérer", duration_hours=2, duration_minutes=30
    )
    certificate = certificate_of(professional, module)
    assert certificate.holder_name == "Camille Martin"
    assert certificate.holder_profession  # the French label, not the code
    assert certificate.holder_profession != professional.profession
    assert certificate.holder_organisation == "Collège Jean Moulin"
    assert certificate.title == "Repérer"
    assert certificate.planned_minutes == 150
    assert certificate.publisher_name == module.publisher.name
    assert certificate.issuer_name == module.publisher.name  # no template: the publisher
    assert certificate.score == completion.score
    assert certificate.completed_on == timezone.localdate(completion.completed_at)
    assert certificate.started_on is not None
    assert "<" not in certificate.objectives_summary


def test_issue_is_idempotent(professional):
    module, completion = complete_module(professional)
    first = certificate_of(professional, module)
    assert services.issue_certificate(completion) == first
    assert services.issue_certificate(completion) == first
    assert Certificate.objects.count() == 1
    assert CertificateSequence.objects.get().last_number == 1


def test_issue_refused_for_a_module_not_completed(professional):
    with pytest.raises(CertificateError) as error:
        services.issue_certificate(ModuleCompletion(pk=987654))
    assert error.value.code == "module_not_completed"
    with pytest.raises(CertificateError) as error:
        services.issue_certificate(None)
    assert error.value.code == "module_not_completed"
    assert not Certificate.objects.exists()


def test_numbers_follow_each_other_and_restart_each_year(professional, coordinator):
    year = timezone.localdate().year
    numbers = [
        certificate_of(professional, complete_module(professional)[0]).number for _ in range(3)
    ]
    assert numbers == [f"RP-{year}-00000{n}" for n in (1, 2, 3)]
    assert services.allocate_number(year + 1) == (1, f"RP-{year + 1}-000001")
    assert services.allocate_number(year) == (4, f"RP-{year}-000004")


def test_template_of_the_publisher_is_copied(professional):
    from tests.courses.factories import ModulePageFactory  # noqa: F401  (publisher factory below)

    module, _ = complete_module(professional)  # a first module creates a publisher
    template = CertificateTemplate.objects.create(
        publisher=module.publisher,
        issuer_name="Amicale du Nid",
        signatory_name="Claire Exemple",
        signatory_role="Directrice",
        signature_file=ContentFile(png_bytes(), name="signature.png"),
        accent_colour="#123456",
        footer_text="Exemple de mentions",
    )
    other, _ = complete_module(professional, publisher=module.publisher)
    certificate = certificate_of(professional, other)
    assert certificate.issuer_name == "Amicale du Nid"
    assert certificate.signatory_name == "Claire Exemple"
    # Read from the private storage, where the template keeps it.
    header, _, payload = certificate.signature_data.partition(",")
    assert header == "data:image/png;base64"
    template.signature_file.open("rb")
    assert base64.b64decode(payload) == template.signature_file.read()
    template.signature_file.close()
    assert certificate.accent_colour == "#123456"
    # Editing the template changes future certificates only.
    template.signatory_name = "Autre Personne"
    template.save()
    certificate.refresh_from_db()
    assert certificate.signatory_name == "Claire Exemple"


def test_snapshot_survives_edits_of_user_module_and_template(
    professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        module, _ = complete_module(professional, title="Titre d'origine")
    certificate = certificate_of(professional, module)
    assert certificate.pdf, "the PDF task ran at commit"
    pdf_bytes = certificate.pdf.read()
    before = {f.name: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields}

    professional.first_name, professional.last_name = "Dominique", "Autre"
    professional.organisation = "Ailleurs"
    professional.save()
    module.title = "Titre modifié"
    module.save_revision().publish()

    certificate = Certificate.objects.get(pk=certificate.pk)
    after = {f.name: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields}
    assert after == before
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == pdf_bytes


def test_revoke_needs_a_reason_and_is_logged(professional, coordinator):
    module, _ = complete_module(professional)
    certificate = certificate_of(professional, module)
    for reason in ("", "   ", None):
        with pytest.raises(CertificateError) as error:
            services.revoke_certificate(certificate, by=coordinator, reason=reason)
        assert error.value.code == "reason_required"
    with pytest.raises(CertificateError) as error:
        services.revoke_certificate(certificate, by=coordinator, reason="x" * 1001)
    assert error.value.code == "reason_too_long"
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    revoked = services.revoke_certificate(certificate, by=coordinator, reason="Erreur de saisie")
    assert revoked.status() == CertificateStatus.REVOKED
    assert revoked.revoked_by == coordinator
    again = services.revoke_certificate(certificate, by=coordinator, reason="Autre motif")
    assert again.revocation_reason == "Erreur de saisie"  # a second revoke changes nothing
    assert log_actions(certificate) == ["reperes.certificate_issue", "reperes.certificate_revoke"]


def test_revoked_certificate_is_not_silently_reissued(professional, coordinator):
    module, completion = complete_module(professional)
    services.revoke_certificate(
        certificate_of(professional, module), by=coordinator, reason="Fraude"
    )
    with pytest.raises(CertificateError) as error:
        services.issue_certificate(completion)
    assert error.value.code == "certificate_revoked"
    with pytest.raises(CertificateError) as error:
        services.reissue_certificate(Certificate.objects.get(), by=coordinator, reason="Nom")
    assert error.value.code == "certificate_revoked"
    assert Certificate.objects.count() == 1


def test_reissue_chain(professional, coordinator):
    module, completion = complete_module(professional)
    first = certificate_of(professional, module)
    professional.last_name = "Martin-Durand"
    professional.save()

    second = services.reissue_certificate(first, by=coordinator, reason="Changement de nom")
    first.refresh_from_db()
    assert second.number != first.number and second.code != first.code
    assert second.replaces == first and first.replaced_by == second
    assert first.status() == CertificateStatus.REPLACED
    assert second.status() == CertificateStatus.VALID
    assert second.holder_last_name == "Martin-Durand"
    assert first.holder_last_name == "Martin"
    assert (second.title, second.completed_on, second.score) == (
        first.title,
        first.completed_on,
        first.score,
    )
    assert services.issue_certificate(completion) == second

    third = services.reissue_certificate(second, by=coordinator, reason="Encore")
    assert services.issue_certificate(completion) == third
    for old in (first, second):
        with pytest.raises(CertificateError) as error:
            services.reissue_certificate(old, by=coordinator, reason="Doublon")
        assert error.value.code == "certificate_replaced"
        with pytest.raises(CertificateError) as error:
            services.revoke_certificate(old, by=coordinator, reason="Doublon")
        assert error.value.code == "certificate_replaced"
    assert Certificate.objects.current().get() == third
    assert "reperes.certificate_reissue" in log_actions(third)
    assert log_actions(first) == ["reperes.certificate_issue", "reperes.certificate_reissue"]


def test_expiry(professional):
    module, _ = complete_module(professional)
    certificate = certificate_of(professional, module)
    today = timezone.localdate()
    certificate.expires_on = today
    assert certificate.status(today) == CertificateStatus.VALID
    assert certificate.status(today + timedelta(days=1)) == CertificateStatus.EXPIRED
    certificate.save()
    assert list(Certificate.objects.with_status(CertificateStatus.VALID)) == [certificate]
    assert list(
        Certificate.objects.with_status(CertificateStatus.EXPIRED, today + timedelta(days=1))
    ) == [certificate]


def test_expiry_date_from_validity_years():
    class Module:
        certificate_validity_years = 3

    assert services.expiry_for(Module(), date(2026, 11, 30)) == date(2029, 11, 30)
    assert services.expiry_for(Module(), date(2028, 2, 29)) == date(2031, 3, 1)

    class Open:
        certificate_validity_years = None

    assert services.expiry_for(Open(), date(2026, 11, 30)) is None


def test_objectives_become_one_readable_line():
    html = "<ul><li>Connaître les textes</li><li>Savoir <b>agir</b></li></ul><p>Et transmettre</p>"
    assert services.objectives_text(html) == "Connaître les textes ; Savoir agir ; Et transmettre"
    assert services.objectives_text("") == ""


def test_module_validity_sets_the_expiry_of_its_attestations(professional):
    module, _ = complete_module(professional, certificate_validity_years=2)
    certificate = certificate_of(professional, module)
    issued_on = timezone.localdate(certificate.issued_at)
    assert certificate.expires_on == services.expiry_for(module, issued_on)
    assert certificate.expires_on.year == issued_on.year + 2
