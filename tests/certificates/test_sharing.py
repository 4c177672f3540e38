"""« Mes certificats »: the badge file and the « Ajouter à mon profil LinkedIn » link."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.badges import envelope
from certificates.services import reissue_certificate, revoke_certificate
from tests.certificates.test_holder_views import holder, intruder, store_pdf  # noqa: F401
from tests.certificates.test_verify import make_certificate

pytestmark = pytest.mark.django_db

# The shape of a compact JWS is all these views look at; the badge tests sign real ones.
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"


def with_badge(certificate, jwt=JWT):
    certificate.badge_jwt = jwt
    certificate.save(update_fields=["badge_jwt"])
    return certificate


def badge_url(certificate):
    return reverse("certificates:badge", kwargs={"uuid": certificate.uuid})


def test_the_holder_downloads_the_badge_as_an_enveloped_credential(client, holder):  # noqa: F811
    certificate = with_badge(store_pdf(make_certificate(holder)))
    client.force_login(holder)
    response = client.get(badge_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        f'filename="open-badge-{certificate.number.lower()}.json"'
        in response["Content-Disposition"]
    )
    data = json.loads(response.content)
    assert data["type"] == "EnvelopedVerifiableCredential"
    assert envelope.unwrap(response.content.decode()) == JWT


def test_someone_elses_badge_is_a_404(client, holder, intruder):  # noqa: F811
    certificate = with_badge(store_pdf(make_certificate(holder)))
    client.force_login(intruder)
    assert client.get(badge_url(certificate)).status_code == 404
    client.logout()
    assert client.get(badge_url(certificate)).status_code == 302


def test_a_badge_not_yet_signed_is_a_404_and_not_offered(client, holder):  # noqa: F811
    certificate = store_pdf(make_certificate(holder))
    client.force_login(holder)
    assert client.get(badge_url(certificate)).status_code == 404
    assert badge_url(certificate) not in client.get(reverse("certificates:list")).content.decode()


def test_revoked_or_replaced_badges_are_not_handed_out(client, holder):  # noqa: F811
    revoked = revoke_certificate(
        with_badge(store_pdf(make_certificate(holder))), by=None, reason="Erreur"
    )
    old = with_badge(store_pdf(make_certificate(holder, title="Remplacé")))
    reissue_certificate(old, by=None, reason="Nom corrigé")
    client.force_login(holder)
    assert client.get(badge_url(revoked)).status_code == 410
    assert client.get(badge_url(old)).status_code == 410
    html = client.get(reverse("certificates:list")).content.decode()
    assert badge_url(revoked) not in html and badge_url(old) not in html


def test_the_list_offers_the_pdf_the_badge_and_linkedin(client, holder):  # noqa: F811
    certificate = with_badge(
        store_pdf(make_certificate(holder, expires_on=timezone.localdate().replace(year=2031)))
    )
    client.force_login(holder)
    html = client.get(reverse("certificates:list")).content.decode()
    assert badge_url(certificate) in html
    assert "Ajouter à mon profil LinkedIn" in html
    start = html.index("https://www.linkedin.com/profile/add?")
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    issued = timezone.localtime(certificate.issued_at)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [certificate.title]
    assert query["organizationName"] == [certificate.issuer_name]
    assert query["issueYear"] == [str(issued.year)]
    assert query["issueMonth"] == [str(issued.month)]
    assert query["expirationYear"] == ["2031"]
    assert query["certId"] == [certificate.number]
    assert query["certUrl"] == [certificate.get_verification_url()]
    # Nothing about the person goes into the link.
    assert holder.email not in link and holder.last_name not in link


def test_the_list_reads_no_badge_text(client, holder, django_assert_max_num_queries):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with_badge(store_pdf(make_certificate(holder)), jwt=JWT * 50)
    client.force_login(holder)
    client.get(reverse("certificates:list"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("certificates:list"))
    certificate_reads = [q["sql"] for q in queries if 'FROM "certificates_certificate"' in q["sql"]]
    assert certificate_reads
    assert all(
        '"badge_jwt",' not in sql and '"badge_jwt" FROM' not in sql for sql in certificate_reads
    )
