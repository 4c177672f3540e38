"""Public verification: /verifier/ and /verifier/<code>/."""

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from certificates import views
from certificates.codes import ALPHABET, format_code, new_code
from certificates.models import Certificate, CertificateKind
from certificates.ratelimit import client_key
from certificates.services import reissue_certificate, revoke_certificate
from tests.certificates.helpers import certificate_of, complete_module
from tests.concurrency import run_in_parallel
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

UNKNOWN = "Aucun certificat ne correspond à ce code"


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limit counts in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


_sequence = iter(range(1, 10_000))


def make_certificate(holder, **fields):
    """A certificate row as the services would leave it (no PDF yet)."""
    number = next(_sequence)
    issued_at = fields.pop("issued_at", timezone.now())
    defaults = {
        "kind": CertificateKind.COMPLETION,
        "number": f"RP-{issued_at.year}-{number:06d}",
        "year": issued_at.year,
        "sequence": number,
        "code": new_code(),
        "holder": holder,
        "holder_first_name": holder.first_name if holder else "Camille",
        "holder_last_name": holder.last_name if holder else "Martin",
        "holder_profession": "Conseiller·ère principal·e d'éducation",
        "holder_organisation": "Lycée Victor-Hugo",
        "title": "Repérer les situations de prostitution",
        "publisher_name": "Observatoire départemental",
        "planned_minutes": 150,
        "achieved_minutes": 160,
        "started_on": datetime.date(2026, 3, 2),
        "completed_on": datetime.date(2026, 3, 5),
        "issuer_name": "Amicale du Nid",
        "signatory_name": "Claire Dubois",
        "signatory_role": "directrice",
        "issued_at": issued_at,
    }
    return Certificate.objects.create(**{**defaults, **fields})


@pytest.fixture
def holder(django_user_model):
    return make_user(
        django_user_model,
        "nadia.roux@example.org",
        roles.PROFESSIONNEL,
        first_name="Nadia",
        last_name="Roux",
        profession="cpe",
        organisation="Lycée Victor-Hugo",
    )


@pytest.fixture
def certificate(holder):
    return make_certificate(holder)


def verify_url(code):
    return reverse("certificates:verify", kwargs={"code": code})


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


# --- The form -------------------------------------------------------------------------------


def test_form_page_asks_for_the_code(client):
    response = client.get(reverse("certificates:verify_form"))
    assert response.status_code == 200
    html = text(response)
    assert '<label class="field__label" for="id_code">Code de vérification</label>' in html
    assert 'method="get"' in html


def test_form_sends_the_code_as_typed_to_its_page(client):
    response = client.get(reverse("certificates:verify_form"), {"code": "  7kq2 mx9d-4htv "})
    assert response.status_code == 302
    assert response.url == "/verifier/7kq2%20mx9d-4htv/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez le code de vérification"),
        ("7KQ2-MX9D", "Ce n’est pas un code de vérification"),
        ("7KQ2-MX9D-4HTU", "Ce n’est pas un code de vérification"),  # U is not base32
        ("../../etc/passwd", "Ce n’est pas un code de vérification"),
        ("X" * 65, "Ce code est trop long"),
    ],
)
def test_form_explains_a_malformed_code(client, typed, message):
    response = client.get(reverse("certificates:verify_form"), {"code": typed})
    assert response.status_code == 200
    html = text(response)
    assert message in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


# --- Statuses ---------------------------------------------------------------------------------


def test_valid_certificate_shows_what_it_certifies_and_nothing_else(client, certificate):
    response = client.get(verify_url(certificate.display_code))
    assert response.status_code == 200
    html = text(response)
    assert "Authentique" in html
    for shown in (
        certificate.number,
        "Nadia Roux",
        "Repérer les situations de prostitution",
        "Observatoire départemental",
        "Attestation de fin de formation",
        "2 h 30",
        "du 2 mars 2026 au 5 mars 2026",
        "Amicale du Nid",
        "Claire Dubois",
        certificate.display_code,
    ):
        assert shown in html, shown
    for private in ("nadia.roux@example.org", "Lycée Victor-Hugo", "principal·e", "@"):
        assert private not in html, private


def test_verification_pages_are_not_indexed(client, certificate):
    for code in (certificate.display_code, "ZZZZ-ZZZZ-ZZZZ", "nonsense"):
        response = client.get(verify_url(code))
        assert response["X-Robots-Tag"].startswith("noindex")
        assert '<meta name="robots" content="noindex, nofollow">' in text(response)
        assert "no-store" in response["Cache-Control"]


def test_expired_certificate(client, holder):
    certificate = make_certificate(holder, expires_on=timezone.localdate() - datetime.timedelta(1))
    html = text(client.get(verify_url(certificate.code)))
    assert "Expiré" in html and "Authentique" not in html
    assert certificate.expires_on.strftime("%Y-%m-%d") in html


def test_certificate_valid_until_its_expiry_day(client, holder):
    certificate = make_certificate(holder, expires_on=timezone.localdate())
    html = text(client.get(verify_url(certificate.code)))
    assert "Authentique" in html and "Valable jusqu’au" in html


def test_revoked_certificate_shows_the_date_not_the_reason(client, certificate, django_user_model):
    coordinator = make_user(django_user_model, "coordination@example.org", roles.COORDINATION)
    revoked = revoke_certificate(certificate, by=coordinator, reason="Fraude au quiz constatée")
    html = text(client.get(verify_url(certificate.display_code)))
    assert "Révoqué" in html and "Authentique" not in html
    assert f"révoqué le {timezone.localtime(revoked.revoked_at):%-d}" in html
    assert "Fraude" not in html and "coordination@example.org" not in html


def test_replaced_certificate_says_so_without_leading_to_the_new_one(client, certificate):
    new = reissue_certificate(certificate, by=None, reason="Changement de nom")
    html = text(client.get(verify_url(certificate.display_code)))
    assert "Remplacé" in html and "Authentique" not in html
    assert "certificat plus récent" in html
    assert new.code not in html and new.display_code not in html and new.number not in html
    assert "Changement de nom" not in html
    assert "Authentique" in text(client.get(verify_url(new.display_code)))


def test_certificate_issued_by_completing_a_module(client, professional):
    module, _completion = complete_module(professional, title="Accueillir la parole")
    certificate = certificate_of(professional, module)
    html = text(client.get(verify_url(certificate.display_code)))
    assert "Authentique" in html and "Accueillir la parole" in html
    assert professional.email not in html


def test_holder_text_is_shown_literally(client, holder):
    certificate = make_certificate(holder, holder_last_name='<img src="file:///etc/passwd">')
    html = client.get(verify_url(certificate.code)).content.decode()
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:' not in html


# --- Codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "01AB-CDEF-GHJK",
        "01ABCDEFGHJK",
        "01abcdefghjk",
        "oi ab cd ef gh jk",
        "OLAB-cdef-GHJK",
        "0lab–cdef—ghjk".replace("—", "-"),  # an en dash from a word processor
    ],
)
def test_code_is_folded_in_the_url(client, holder, typed):
    make_certificate(holder, code="01ABCDEFGHJK")
    html = text(client.get(verify_url(typed)))
    assert "Authentique" in html
    assert "01AB-CDEF-GHJK" in html


def _shift(code, step):
    """The code whose base32 value is `step` away (the « next » code)."""
    value = sum(ALPHABET.index(symbol) * 32**i for i, symbol in enumerate(reversed(code)))
    value = (value + step) % 32 ** len(code)
    symbols = []
    for _ in code:
        value, digit = divmod(value, 32)
        symbols.append(ALPHABET[digit])
    return "".join(reversed(symbols))


def test_forged_truncated_and_sequential_codes_are_not_verified(client, certificate):
    code = certificate.code
    others = [
        _shift(code, 1),
        _shift(code, -1),
        code[:-1],
        code[:8],
        code + "0",
        code[::-1],
        new_code(),
        certificate.number,
        str(certificate.uuid),
    ]
    for forged in others:
        assert forged != code
        response = client.get(f"/verifier/{forged}/")
        assert response.status_code == 200, forged
        html = text(response)
        assert UNKNOWN in html, forged
        assert "Authentique" not in html and "Nadia Roux" not in html, forged


def certificate_queries(queries):
    return [q for q in queries.captured_queries if "certificates_certificate" in q["sql"]]


def test_unknown_malformed_and_valid_codes_look_alike(client, certificate):
    """Same status, template and number of queries: the response tells only what it says."""
    for _ in range(2):  # the shell's first-request work (site settings, then its cache)
        client.get(verify_url("warm-up"))
    results = {}
    for name, code in {
        "valid": certificate.display_code,
        "unknown": format_code(_shift(certificate.code, 1)),
        "malformed": "pas-un-code",
        "too-long": "A" * 200,
    }.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(verify_url(code))
        results[name] = (
            response.status_code,
            response.templates[0].name,
            len(queries),
            len(certificate_queries(queries)),
        )
    # One lookup; the rest (if any: it may be cached) is the site shell's footer.
    status_code, template, total, lookups = results["valid"]
    assert (status_code, template, lookups) == (200, "certificates/verify.html", 1)
    assert total <= 3
    assert results["unknown"] == results["valid"]
    assert results["malformed"] == results["valid"]
    assert results["too-long"] == results["valid"]


def test_the_page_repeats_the_code_it_checked(client):
    html = text(client.get("/verifier/%3Cscript%3Ealert(1)%3C%5Cscript%3E/"))
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;" in html and "<script>alert" not in html
    html = text(client.get(verify_url("zzzzzzzzzzzz")))
    assert "ZZZZ-ZZZZ-ZZZZ" in html


# --- Rate limit ---------------------------------------------------------------------------------


def test_lookups_are_rate_limited_per_address(client, certificate, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", 3)
    for _ in range(3):
        assert client.get(verify_url(new_code())).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(verify_url(certificate.code))
    assert response.status_code == 429
    assert certificate_queries(queries) == []  # refused before any lookup
    assert "Trop de vérifications en peu de temps" in text(response)
    assert "Nadia Roux" not in text(response)
    assert 1 <= int(response["Retry-After"]) <= 61
    assert response["X-Robots-Tag"].startswith("noindex")
    # Someone else, elsewhere, is not affected.
    other = client.get(verify_url(certificate.code), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and "Authentique" in text(other)
    # The form itself is never limited: it looks nothing up.
    assert client.get(reverse("certificates:verify_form")).status_code == 200


def test_default_limit_is_twenty_a_minute(client):
    statuses = [client.get(verify_url(new_code())).status_code for _ in range(21)]
    assert statuses == [200] * 20 + [429]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_limit_holds_exactly_under_concurrent_requests(shared_cache, monkeypatch):
    """60 requests at once from one address, on the cache production runs: 20 get through."""
    # One instant for every request: a burst that crossed the minute would start a new
    # window halfway and let a few more through (seen once on CI: 25).
    frozen = (time.time() // 60) * 60 + 30
    monkeypatch.setattr("certificates.ratelimit.time.time", lambda: frozen)
    statuses, errors = run_in_parallel(
        lambda _number: Client().get(verify_url(new_code())).status_code, range(60)
    )
    assert not errors
    assert statuses.count(200) == views.VERIFY_LIMIT
    assert statuses.count(429) == 60 - views.VERIFY_LIMIT


def test_limit_window_ends(client, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", 1)
    now = [1_000_000.0]
    monkeypatch.setattr("certificates.ratelimit.time.time", lambda: now[0])
    assert client.get(verify_url(new_code())).status_code == 200
    assert client.get(verify_url(new_code())).status_code == 429
    now[0] += 60
    assert client.get(verify_url(new_code())).status_code == 200


class _Request:
    def __init__(self, address):
        self.META = {"REMOTE_ADDR": address}


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("", "unknown"),
    ],
)
def test_clients_are_counted_by_address_or_ipv6_network(address, key):
    assert client_key(_Request(address)) == key
