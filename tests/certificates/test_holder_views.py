"""The holder's certificates: « Mes certificats », « Mon espace », download, /etat/."""

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

import config.settings as base_settings
from accounts import roles
from certificates.models import Certificate
from certificates.pdf import certificate_filename
from certificates.services import reissue_certificate, revoke_certificate
from core.models import SiteSettings
from tests.certificates.helpers import certificate_of, complete_module
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user
from tests.storage_down import store_down

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a stored certificate\n%%EOF\n"


def store_pdf(certificate, content=PDF):
    """What the render task leaves: the file in private storage and its SHA-256."""
    certificate.pdf_sha256 = hashlib.sha256(content).hexdigest()
    certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(content), save=False)
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    return certificate


@pytest.fixture
def holder(django_user_model):
    return make_user(
        django_user_model, "nadia.roux@example.org", roles.PROFESSIONNEL, last_name="Roux"
    )


@pytest.fixture
def intruder(django_user_model):
    return make_user(django_user_model, "intrus@example.org", roles.PROFESSIONNEL)


@pytest.fixture
def ready(holder):
    return store_pdf(make_certificate(holder, title="Repérer les signaux faibles"))


@pytest.fixture
def pending(holder):
    return make_certificate(holder, title="Accueillir la parole")


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def numbers(html):
    """The certificate numbers on a page, in order, each once."""
    return list(dict.fromkeys(re.findall(r"RP-\d{4}-\d{6}", html)))


def download_url(certificate):
    return reverse("certificates:download", kwargs={"uuid": certificate.uuid})


def status_url(certificate):
    return reverse("certificates:status", kwargs={"uuid": certificate.uuid})


# --- « Mes certificats » ------------------------------------------------------------------------


def test_list_needs_a_login(client):
    response = client.get(reverse("certificates:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_list_shows_own_certificates_with_status_and_download(client, holder, ready, pending):
    theirs = make_certificate(make_user_like(holder), title="Le certificat de quelqu'un d'autre")
    client.force_login(holder)
    html = text(client.get(reverse("certificates:list")))
    assert ready.number in html and pending.number in html
    assert "Repérer les signaux faibles" in html and "Accueillir la parole" in html
    assert "En vigueur" in html
    assert f'href="{download_url(ready)}">Télécharger' in html
    assert f'href="{download_url(pending)}">En préparation' in html
    assert theirs.number not in html and "quelqu'un d'autre" not in html
    assert '<meta name="robots" content="noindex">' in html


def make_user_like(holder):
    return make_user(type(holder), f"autre-{uuid.uuid4().hex[:8]}@example.org", roles.PROFESSIONNEL)


def test_list_shows_revoked_replaced_and_expired(client, holder, django_user_model):
    revoked = revoke_certificate(store_pdf(make_certificate(holder)), by=None, reason="Erreur")
    old = store_pdf(make_certificate(holder, title="Module remplacé"))
    reissue_certificate(old, by=None, reason="Changement de nom")
    expired = store_pdf(
        make_certificate(holder, expires_on=timezone.localdate().replace(year=2020))
    )
    client.force_login(holder)
    html = text(client.get(reverse("certificates:list")))
    assert "Révoqué" in html and "Remplacé" in html and "Expiré" in html
    assert f'href="{download_url(revoked)}"' not in html
    assert f'href="{download_url(old)}"' not in html
    assert f'href="{download_url(expired)}">Télécharger' in html


def test_list_without_certificates(client, holder):
    client.force_login(holder)
    assert "Vous n’avez pas encore de certificat" in text(client.get(reverse("certificates:list")))


def _count_queries(client, url):
    for _ in range(2):  # the shell's first-request work (site settings, then its cache)
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow(client, holder, django_assert_max_num_queries):
    client.force_login(holder)
    store_pdf(make_certificate(holder))
    one = _count_queries(client, reverse("certificates:list"))
    for _ in range(6):
        store_pdf(make_certificate(holder))
    make_certificate(holder)
    with django_assert_max_num_queries(one):
        assert len(numbers(text(client.get(reverse("certificates:list"))))) == 8
    assert one <= 7


# --- « Mon espace » ------------------------------------------------------------------------------


def test_dashboard_shows_the_latest_certificates(client, holder):
    certificates = [store_pdf(make_certificate(holder, title=f"Module {n}")) for n in range(5)]
    client.force_login(holder)
    html = text(client.get(reverse("courses:dashboard")))
    section = html.split('id="certificates-title"')[1].split("</section>")[0]
    # Newest first, three of them, and the way to the others.
    assert [c.number for c in certificates[-3:]][::-1] == numbers(section)
    assert f'href="{reverse("certificates:list")}">Tous mes certificats' in section


def test_dashboard_certificates_cost_one_query(client, holder):
    client.force_login(holder)
    none = _count_queries(client, reverse("courses:dashboard"))
    for _ in range(6):
        store_pdf(make_certificate(holder))
    many = _count_queries(client, reverse("courses:dashboard"))
    assert many == none


def test_header_links_to_my_certificates(client, holder):
    client.force_login(holder)
    html = text(client.get(reverse("certificates:list")))
    assert f'<a href="{reverse("certificates:list")}">Mes certificats</a>' in html


# --- Download ----------------------------------------------------------------------------------


def test_download_streams_the_stored_file(client, holder, ready):
    client.force_login(holder)
    response = client.get(download_url(ready))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == PDF
    assert hashlib.sha256(content).hexdigest() == ready.pdf_sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate_filename(ready)}"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_of_a_real_certificate(client, professional, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        module, _completion = complete_module(professional, title="Repérer")
    certificate = certificate_of(professional, module)
    assert certificate.pdf
    client.force_login(professional)
    response = client.get(download_url(certificate))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == certificate.pdf_sha256
    with certificate.pdf.open("rb") as stored:
        assert stored.read() == content
    assert 'filename="attestation-' in response["Content-Disposition"]


def test_pending_certificate_page(client, holder, pending):
    client.force_login(holder)
    response = client.get(download_url(pending))
    assert response.status_code == 202
    html = text(response)
    assert "Votre attestation est en préparation" in html
    assert f'data-status-url="{status_url(pending)}"' in html
    assert f'href="{download_url(pending)}" data-certificate-link' in html  # works without JS
    assert 'src="/static/js/certificate-status.js"' in html
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html)
    assert scripts and all(body.strip() == "" for body in scripts)  # nothing inline
    assert "no-store" in response["Cache-Control"]


def test_revoked_and_replaced_certificates_are_not_handed_out(client, holder):
    revoked = revoke_certificate(store_pdf(make_certificate(holder)), by=None, reason="Erreur")
    replaced = store_pdf(make_certificate(holder, title="Ancien"))
    reissue_certificate(replaced, by=None, reason="Changement de nom")
    client.force_login(holder)
    response = client.get(download_url(revoked))
    assert response.status_code == 410
    assert "a été révoqué le" in text(response) and "Erreur" not in text(response)
    response = client.get(download_url(replaced))
    assert response.status_code == 410
    assert "a été remplacé le" in text(response)
    assert response["Content-Type"].startswith("text/html")


def test_expired_certificate_is_still_downloadable(client, holder):
    expired = store_pdf(
        make_certificate(holder, expires_on=timezone.localdate().replace(year=2020))
    )
    client.force_login(holder)
    response = client.get(download_url(expired))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_missing_file_is_a_404_not_a_crash(client, holder, ready):
    ready.pdf.storage.delete(ready.pdf.name)
    client.force_login(holder)
    assert client.get(download_url(ready)).status_code == 404


def test_with_the_object_store_down_the_download_says_retry_later(
    client, holder, ready, monkeypatch, caplog
):
    """S3 unreachable (botocore's errors are no OSError): a 503 page, not a 500."""
    store_down(monkeypatch, Certificate, "pdf")
    client.force_login(holder)
    # The site's settings row, which the first page of a new site creates (Wagtail's
    # `for_site`), exists already: only the download's own writes are looked for.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO"):
        response = client.get(download_url(ready))
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Le document est momentanément indisponible, réessayez dans quelques minutes." in (
        text(response)
    )
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []  # nothing changed in the database
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.name for r in errors] == ["reperes.storage"]  # logged once, with the error
    assert "EndpointConnectionError" in errors[0].getMessage()
    # The status the « en préparation » page polls still says ready: nothing failed.
    assert client.get(status_url(ready)).json() == {"ready": True}
    ready.refresh_from_db()
    assert ready.pdf.name and ready.pdf_sha256


def test_download_query_count(client, holder, ready, django_assert_max_num_queries):
    client.force_login(holder)
    # Session, user, the certificate with its module: nothing grows with content.
    with django_assert_max_num_queries(3):
        assert client.get(download_url(ready)).status_code == 200


def test_a_download_reads_one_row_of_the_columns_it_needs(client, holder, ready, caplog):
    """One query on certificates, compiled once (core/prepared.py): the file, the
    status columns and the name's parts, never the row's images or the holder's data."""
    client.force_login(holder)
    client.get(download_url(ready))
    caplog.clear()
    with CaptureQueriesContext(connection) as queries, caplog.at_level("INFO"):
        response = client.get(download_url(ready))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    reads = [q["sql"] for q in queries if "certificates_certificate" in q["sql"]]
    assert len(reads) == 1
    columns = reads[0].split(" FROM ")[0]
    for column in ("logo_data", "signature_data", "holder_email", "objectives_summary"):
        assert column not in columns
    logged = [r for r in caplog.records if r.getMessage() == "certificate downloaded"]
    assert [(r.certificate, r.user_id) for r in logged] == [(ready.number, holder.pk)]


def test_each_download_reads_its_own_row(client, holder, intruder, ready):
    """The SQL is compiled once; every request runs it with its own UUID and user."""
    other = store_pdf(make_certificate(holder, title="Accueillir la parole"), b"%PDF other")
    theirs = store_pdf(make_certificate(intruder, title="Le cadre légal"), b"%PDF theirs")
    client.force_login(holder)
    for certificate, content in ((ready, PDF), (other, b"%PDF other"), (ready, PDF)):
        response = client.get(download_url(certificate))
        assert b"".join(response.streaming_content) == content
        assert certificate_filename(certificate) in response["Content-Disposition"]
    assert client.get(download_url(theirs)).status_code == 404
    client.force_login(intruder)
    assert client.get(download_url(ready)).status_code == 404
    assert b"".join(client.get(download_url(theirs)).streaming_content) == b"%PDF theirs"


def test_a_certificate_revoked_after_a_download_is_no_longer_handed_out(client, holder, ready):
    client.force_login(holder)
    assert client.get(download_url(ready)).status_code == 200
    revoke_certificate(ready, by=None, reason="Erreur")
    response = client.get(download_url(ready))
    assert response.status_code == 410
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_rendered_between_the_two_reads_is_served(client, holder, pending, monkeypatch):
    """The quick read saw no file, the page's read sees one: the file, not « en préparation »."""
    from certificates import views

    real = views.DOWNLOAD_ROW.rows

    def before_the_render(**values):
        rows = real(**values)
        store_pdf(pending)
        return rows

    monkeypatch.setattr(views.DOWNLOAD_ROW, "rows", before_the_render)
    client.force_login(holder)
    response = client.get(download_url(pending))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    pending.refresh_from_db()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate_filename(pending)}"'
    )


# --- Someone else's certificate ------------------------------------------------------------------


def test_another_users_certificate_is_a_404(client, intruder, ready, pending):
    client.force_login(intruder)
    for certificate in (ready, pending):
        assert client.get(download_url(certificate)).status_code == 404
        assert client.get(status_url(certificate)).status_code == 404


def test_unknown_uuid_number_or_code_is_a_404(client, holder, ready):
    client.force_login(holder)
    assert client.get(f"/espace/certificats/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/espace/certificats/{uuid.uuid4()}/etat/").status_code == 404
    assert client.get(f"/espace/certificats/{ready.number}/").status_code == 404
    assert client.get(f"/espace/certificats/{ready.code}/").status_code == 404
    assert client.get(f"/espace/certificats/{ready.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, ready):
    for url in (download_url(ready), status_url(ready)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_certificate_files_are_never_served_from_media(client, holder, ready):
    client.force_login(holder)
    assert ready.pdf.name.startswith("certificates/")
    for url in (
        settings.MEDIA_URL + ready.pdf.name,
        f"{settings.MEDIA_URL}certificates/",
        f"{settings.MEDIA_URL}{ready.uuid}.pdf",
        f"/private/{ready.pdf.name}",
        f"/{ready.pdf.name}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert PDF not in response.content
    # The private storage is outside the public media folder, here and by default.
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not private.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert Path(ready.pdf.path).resolve().is_relative_to(private)
    default_private = Path(base_settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not default_private.is_relative_to(Path(base_settings.MEDIA_ROOT).resolve())


# --- /etat/ -------------------------------------------------------------------------------------


def test_status_says_whether_the_pdf_is_ready(client, holder, pending):
    client.force_login(holder)
    response = client.get(status_url(pending))
    assert response.status_code == 200
    assert response.json() == {"ready": False}
    assert "no-store" in response["Cache-Control"]
    store_pdf(Certificate.objects.get(pk=pending.pk))
    assert client.get(status_url(pending)).json() == {"ready": True}
    assert client.get(download_url(pending)).status_code == 200


def test_state_changes_only_on_get(client, holder, pending):
    client.force_login(holder)
    assert client.post(status_url(pending)).status_code == 405
    assert client.post(download_url(pending)).status_code == 405
