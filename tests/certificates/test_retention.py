"""Certificates of deleted accounts: verifiable during the retention period, then anonymised."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import roles
from accounts.privacy.erasure import delete_account
from certificates.retention import anonymise_certificates, years_before
from tests.certificates.test_holder_views import store_pdf
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def holder(django_user_model):
    return make_user(
        django_user_model,
        "nadia.roux@example.org",
        roles.PROFESSIONNEL,
        first_name="Nadia",
        last_name="Roux",
    )


def certificate_of_deleted_account(holder, committed, issued_at):
    """A certificate with its PDF, whose holder then deleted their account."""
    certificate = store_pdf(make_certificate(holder, issued_at=issued_at))
    committed(delete_account, holder, reason="self", by=holder)
    certificate.refresh_from_db()
    assert certificate.holder_id is None
    return certificate


def test_years_before_handles_29_february():
    leap = timezone.make_aware(datetime(2028, 2, 29, 12, 0))
    assert years_before(leap, 3).date().isoformat() == "2025-02-28"


def test_after_the_retention_period_the_holder_is_anonymised(client, committed, holder):
    certificate = certificate_of_deleted_account(
        holder, committed, issued_at=years_before(NOW, 3) - timedelta(days=1)
    )
    storage, pdf_name = certificate.pdf.storage, certificate.pdf.name
    assert storage.exists(pdf_name)

    count = committed(anonymise_certificates, now=NOW)

    assert count == 1
    certificate.refresh_from_db()
    assert certificate.holder_name == "Titulaire anonymisé·e"
    assert certificate.holder_profession == "" and certificate.holder_organisation == ""
    assert certificate.anonymised_at == NOW
    assert not certificate.pdf
    assert not storage.exists(pdf_name)
    # What was certified stays, and still verifies.
    assert certificate.number.startswith("RP-") and certificate.title
    html = client.get(certificate.get_verification_path()).content.decode()
    assert "Authentique" in html
    assert "Titulaire anonymisé·e (compte supprimé)" in html
    assert certificate.number in html and certificate.title in html
    assert "Roux" not in html and "Nadia" not in html


def test_within_the_retention_period_nothing_changes(committed, holder):
    certificate = certificate_of_deleted_account(
        holder, committed, issued_at=years_before(NOW, 3) + timedelta(days=1)
    )

    assert committed(anonymise_certificates, now=NOW) == 0

    certificate.refresh_from_db()
    assert certificate.holder_name == "Nadia Roux" and certificate.pdf
    assert certificate.anonymised_at is None


def test_certificates_of_existing_accounts_are_never_anonymised(committed, holder):
    certificate = store_pdf(make_certificate(holder, issued_at=years_before(NOW, 10)))

    assert committed(anonymise_certificates, now=NOW) == 0

    certificate.refresh_from_db()
    assert certificate.holder_name == "Nadia Roux" and certificate.pdf


def test_anonymising_again_does_nothing(committed, holder):
    certificate = certificate_of_deleted_account(holder, committed, issued_at=years_before(NOW, 5))
    committed(anonymise_certificates, now=NOW)

    assert committed(anonymise_certificates, now=NOW + timedelta(days=1)) == 0

    certificate.refresh_from_db()
    assert certificate.anonymised_at == NOW


def test_the_retention_period_is_a_setting(committed, holder, settings):
    settings.CERTIFICATE_RETENTION_YEARS = 1
    certificate_of_deleted_account(holder, committed, issued_at=years_before(NOW, 1))

    assert committed(anonymise_certificates, now=NOW + timedelta(days=1)) == 1


def test_the_command_prints_its_count(committed, holder):
    certificate_of_deleted_account(holder, committed, issued_at=years_before(NOW, 4))
    out = StringIO()

    call_command("anonymise_certificates", stdout=out)

    assert out.getvalue().strip() == "1 certificat anonymisé (conservation : 3 ans)."


def test_anonymised_certificates_are_not_rendered_again_nor_reported(committed, holder):
    certificate = certificate_of_deleted_account(holder, committed, issued_at=years_before(NOW, 4))
    committed(anonymise_certificates, now=NOW)
    out = StringIO()

    call_command("verify_certificates", stdout=out)  # no CommandError: nothing missing
    call_command("certificates_catch_up", stdout=out)

    assert "0 PDF remis en file d'attente" in out.getvalue()
    certificate.refresh_from_db()
    assert not certificate.pdf


def test_the_command_replays_a_given_moment(committed, holder):
    certificate_of_deleted_account(holder, committed, issued_at=years_before(NOW, 4))
    two_years_earlier = (NOW - timedelta(days=2 * 365)).isoformat()
    out = StringIO()

    call_command("anonymise_certificates", "--now", two_years_earlier, stdout=out)
    call_command("anonymise_certificates", "--now", NOW.isoformat(), stdout=out)

    assert out.getvalue().splitlines() == [
        "0 certificat anonymisé (conservation : 3 ans).",
        "1 certificat anonymisé (conservation : 3 ans).",
    ]


class UnreachableStorage:
    """A storage whose deletes fail as a remote one's do (not with OSError)."""

    def delete(self, name):
        raise RuntimeError("bucket unreachable")


def test_a_pdf_that_cannot_be_deleted_is_logged_and_never_raised(caplog):
    from certificates.retention import delete_pdf

    delete_pdf(UnreachableStorage(), "certificates/2026/x.pdf", "RP-2026-000001")

    assert "anonymised certificate pdf not removed" in caplog.text
    assert "RP-2026-000001" in [getattr(r, "certificate", None) for r in caplog.records]
