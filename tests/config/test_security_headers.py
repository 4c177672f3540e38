"""Security headers on one page of every type: CSP, HSTS, nosniff, referrer, COOP,
Permissions-Policy, framing.

The requests are made over HTTPS (`secure=True`) with the production HSTS settings,
as behind the production proxy. tests/browser/test_security_headers.py checks in
Chromium that the same pages report no CSP violation.
"""

import re

import pytest
from django.urls import reverse

from accounts import roles
from guides.setup import ensure_editorial_setup
from home.models import HomePage
from tests.certificates.test_holder_views import store_pdf
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user
from tests.courses.factories import build_module
from tests.guides.factories import FULL_BODY, GuideIndexPageFactory, GuidePageFactory
from tests.home.factories import StandardPageFactory
from tests.sessions.factories import add_participant, build_session

pytestmark = pytest.mark.django_db

ONE_YEAR = 365 * 24 * 3600


def parse_csp(header):
    """{directive: [sources]} of a Content-Security-Policy header."""
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.fixture(autouse=True)
def production_https(settings):
    settings.SECURE_HSTS_SECONDS = ONE_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.fixture
def site_content(django_user_model):
    """One page of every public type, and the people who see the private ones."""
    index = GuideIndexPageFactory()
    ensure_editorial_setup(index)
    guide = GuidePageFactory(parent=index, **FULL_BODY)
    module, lessons, quiz = build_module(lessons=1)
    standard = StandardPageFactory()
    professional = make_user(
        django_user_model, "pro.entetes@example.org", roles.PROFESSIONNEL, profession="cpe"
    )
    # Staff accounts made by make_user have the second factor they need.
    trainer = make_user(django_user_model, "formation.entetes@example.org", roles.FORMATEUR)
    session = build_session(trainer=trainer)
    add_participant(session, professional)
    certificate = store_pdf(make_certificate(professional))
    return {
        "index": index,
        "guide": guide,
        "module": module,
        "lesson": lessons[0],
        "quiz": quiz,
        "standard": standard,
        "professional": professional,
        "trainer": trainer,
        "session": session,
        "certificate": certificate,
    }


def public_pages(content):
    guide, certificate = content["guide"], content["certificate"]
    return {
        "home": (None, HomePage.objects.first().url),
        "standard page": (None, content["standard"].url),
        "guide index": (None, content["index"].url),
        "guide page": (None, guide.url),
        "guide PDF": (None, f"{guide.url}pdf/"),
        "module": (None, content["module"].url),
        "lesson": ("professional", content["lesson"].url),
        "quiz": ("professional", content["quiz"].url),
        "sessions list": (None, reverse("sessions:list")),
        "session page": (None, reverse("sessions:detail", args=[content["session"].uuid])),
        "trainer page": ("trainer", reverse("trainer:sessions")),
        "verification page": (None, reverse("certificates:verify", args=[certificate.code])),
        "certificate download": (
            "professional",
            reverse("certificates:download", kwargs={"uuid": certificate.uuid}),
        ),
        "login": (None, reverse("account_login")),
        "healthz": (None, reverse("healthz")),
        "404": (None, "/cette-page-n-existe-pas/"),
        "robots.txt": (None, reverse("robots_txt")),
        "offline page": (None, reverse("offline:fallback")),
        "service worker": (None, reverse("offline:service_worker")),
        "web app manifest": (None, reverse("offline:manifest")),
        "content version": (None, reverse("offline:version")),
    }


def get(client, content, who, url):
    """The page at `url` as `who`, redirects followed over HTTPS (the test client's
    `follow` would go on over HTTP); also the URLs it went through."""
    client.logout()
    if who:
        client.force_login(content[who], backend="accounts.backends.ModelBackend")
    chain = [url]
    response = client.get(url, secure=True)
    while response.status_code in {301, 302} and len(chain) < 5:
        chain.append(response["Location"])
        response = client.get(chain[-1], secure=True)
    return response, chain


def assert_common_headers(response, label):
    assert response["Strict-Transport-Security"] == (
        f"max-age={ONE_YEAR}; includeSubDomains; preload"
    ), label
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["Referrer-Policy"] == "same-origin", label
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", label
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, (label, feature)


def assert_no_other_origin(policy, label):
    for directive, sources in policy.items():
        for source in sources:
            assert not re.match(r"^(https?:|\*|//)", source), (label, directive, source)


def test_every_public_page_type_sends_the_strict_policy(client, site_content):
    expected_status = {"404": 404}
    for label, (who, url) in public_pages(site_content).items():
        response, chain = get(client, site_content, who, url)
        assert response.status_code == expected_status.get(label, 200), (label, chain)
        # The module's quiz page sends the learner to their attempt.
        assert len(chain) == 1 or label == "quiz", (label, chain)
        assert_common_headers(response, label)
        assert response["X-Frame-Options"] == "DENY", label
        policy = parse_csp(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], label
        assert policy["frame-ancestors"] == ["'none'"], label
        assert policy["object-src"] == ["'none'"], label
        assert policy["base-uri"] == ["'self'"], label
        assert policy["form-action"] == ["'self'"], label
        assert policy["style-src"] == ["'self'"], label
        # The installable app (site/offline/): its manifest and service worker, ours only.
        assert policy["manifest-src"] == ["'self'"], label
        assert policy["worker-src"] == ["'self'"], label
        assert policy["script-src"][0] == "'self'", label
        for source in policy["script-src"][1:]:
            # Only a nonce, when the page uses one: never 'unsafe-inline' or 'unsafe-eval'.
            assert source.startswith("'nonce-"), (label, source)
        assert_no_other_origin(policy, label)


def test_the_admin_has_its_own_policy_without_other_origins(admin_client):
    client = admin_client
    for url in (reverse("wagtailadmin_home"), reverse("wagtaildocs:index")):
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        assert response["X-Frame-Options"] == "DENY"
        policy = parse_csp(response["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert_no_other_origin(policy, url)
        # No request to Gravatar or to Wagtail's release feed from the admin.
        html = response.content.decode()
        assert "gravatar.com" not in html and "releases.wagtail.org" not in html


def test_wagtail_preview_can_be_framed_by_the_admin(admin_client):
    """A preview (here « view draft ») runs the page through the middleware as a dummy
    request for its public URL: the admin's policy, which lets the admin frame the
    preview panel, is the one sent, not the public one."""
    standard = StandardPageFactory()
    url = reverse("wagtailadmin_pages:view_draft", args=[standard.pk])
    response = admin_client.get(url, secure=True)
    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]


def test_documents_keep_wagtails_own_policy(client):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Fiche réflexe", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="fiche.pdf")
    )
    response = client.get(document.url, secure=True)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert_common_headers(response, "document")


def test_a_page_script_may_use_the_nonce(rf):
    """The nonce is added to script-src only when a template asked for it."""
    from django.http import HttpResponse

    from config.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in parse_csp(response["Content-Security-Policy"])["script-src"]
    plain = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert parse_csp(plain["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_the_500_page_styles_are_allowed_by_their_hash_only(client, settings):
    settings.ROOT_URLCONF = "tests.home.error_urls"
    client.raise_request_exception = False
    response = client.get("/panne/", secure=True)
    assert response.status_code == 500
    style_src = parse_csp(response["Content-Security-Policy"])["style-src"]
    assert style_src[0] == "'self'" and len(style_src) == 2
    assert style_src[1].startswith("'sha256-")
    assert "'unsafe-inline'" not in style_src
