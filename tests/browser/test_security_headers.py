"""Content-Security-Policy in Chromium: no page of any type reports a violation.

Chromium fires `securitypolicyviolation` for whatever the policy blocked (an inline
script or style, a request to another origin, a frame) and logs it to the console,
as it does for an unknown Permissions-Policy feature. The pages' scripts are
exercised too: the quiz's autosave, the self-check, the signature pad, the check-in
display, the certificate's status poll, the language switcher, and in Wagtail's
admin the editor with its preview panel and the userbar on a public page.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Page

from accounts import roles
from certificates.models import Certificate
from courses.modules import services as course_services
from courses.sessions import checkin
from guides.setup import ensure_editorial_setup
from home.models import HomePage
from tests.browser.test_learner_journey import answer
from tests.browser.test_sessions_participant import running_session
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user
from tests.courses.factories import build_module
from tests.guides.factories import FULL_BODY, GuideIndexPageFactory, GuidePageFactory
from tests.home.factories import StandardPageFactory
from tests.sessions.factories import add_participant

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Installed before any script of the page runs, in every frame.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`
  );
});
"""
CONSOLE_SIGNS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")

SELF_CHECK = {
    "type": "self_check",
    "value": {
        "question": "Un·e mineur·e peut-il consentir à un acte sexuel tarifé ?",
        "choices": [
            {"text": "Non, jamais", "correct": True, "feedback": "La loi le protège."},
            {"text": "Oui, à partir de 15 ans", "correct": False, "feedback": ""},
        ],
        "explanation": "Le ou la mineur·e est toujours une victime.",
    },
}


class Watcher:
    """Browser contexts that record CSP violations and console complaints."""

    def __init__(self, browser, live_server):
        self.browser = browser
        self.base = live_server.url
        self.console = []

    def page_as(self, user=None, **context_args):
        context = self.browser.new_context(
            locale="fr-FR", timezone_id="Europe/Paris", **context_args
        )
        context.add_init_script(COLLECT_VIOLATIONS)
        if user is not None:
            client = Client()
            client.force_login(user, backend="accounts.backends.ModelBackend")
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base}]
            )
        page = context.new_page()
        page.on("console", lambda message: self.console.append(f"{page.url}: {message.text}"))
        return page

    def visit(self, page, path):
        response = page.goto(self.base + path)
        page.wait_for_load_state("networkidle")
        self.assert_clean(page)
        return response

    def assert_clean(self, page):
        found = []
        for frame in page.frames:
            found += frame.evaluate("window.__cspViolations || []")
        complaints = [text for text in self.console if any(s in text for s in CONSOLE_SIGNS)]
        assert found == [] and complaints == [], (page.url, found, complaints)


@pytest.fixture
def watcher(browser, live_server, settings):
    # The project's URLs plus one view that fails, for the 500 page.
    settings.ROOT_URLCONF = "tests.home.error_urls"
    return Watcher(browser, live_server)


def test_public_pages_and_their_scripts_report_no_violation(watcher, django_user_model):
    index = GuideIndexPageFactory()
    ensure_editorial_setup(index)
    guide = GuidePageFactory(parent=index, **FULL_BODY)
    module, (lesson,), _quiz = build_module(lessons=1, title="Repérer")
    lesson.body = [*lesson.body.raw_data, SELF_CHECK]
    lesson.save_revision().publish()
    standard = StandardPageFactory()
    session, slot = running_session()
    professional = make_user(
        django_user_model, "pro.csp@example.org", roles.PROFESSIONNEL, profession="cpe"
    )
    add_participant(session, professional)
    verified = make_certificate(professional)

    anonymous = watcher.page_as()
    for path in (
        HomePage.objects.first().url,
        standard.url,
        index.url,
        guide.url,
        module.url,
        reverse("sessions:list"),
        session.get_absolute_url(),
        reverse("certificates:verify_form"),
        reverse("certificates:verify", args=[verified.code]),
        reverse("account_login"),
        reverse("account_signup"),
        "/cette-page-n-existe-pas/",
    ):
        watcher.visit(anonymous, path)
    response = watcher.visit(anonymous, "/panne/")
    assert response.status == 500  # its inline styles are allowed by their hash
    # The language switcher (a GET form) comes back in English.
    watcher.visit(anonymous, standard.url)
    anonymous.get_by_role("button", name="English").click()
    expect(anonymous.locator("html")).to_have_attribute("lang", "en")
    watcher.assert_clean(anonymous)

    learner = watcher.page_as(professional)
    watcher.visit(learner, lesson.url)
    learner.get_by_text("Non, jamais").click()  # the self-check's <details>
    expect(learner.get_by_text("La loi le protège.")).to_be_visible()
    course_services.complete_lesson(professional, lesson)  # the quiz opens after the lessons
    watcher.visit(learner, reverse("courses:quiz", args=[module.pk]))
    learner.get_by_role("button", name="Commencer le quiz").click()
    answer(learner, "Le ou la mineur·e")  # saved by quiz.js (fetch)
    watcher.assert_clean(learner)
    watcher.visit(learner, reverse("courses:dashboard"))

    # The certificate's waiting page polls its status.
    waiting = make_certificate(professional, title="Accueillir la parole")
    watcher.visit(learner, reverse("certificates:download", kwargs={"uuid": waiting.uuid}))
    learner.wait_for_timeout(1500)  # the first poll
    watcher.assert_clean(learner)
    assert Certificate.objects.filter(holder=professional).count() == 2

    # Self check-in on a phone, then the signature pad.
    phone = watcher.page_as(professional, viewport={"width": 375, "height": 740}, has_touch=True)
    watcher.visit(phone, reverse("sessions:checkin"))
    phone.get_by_label("Code d'émargement").fill(checkin.current_checkin(slot).short_code)
    phone.get_by_role("button", name="Valider ma présence").click()
    canvas = phone.locator("canvas")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + 20)
    phone.mouse.down()
    phone.mouse.move(box["x"] + 120, box["y"] + 60)
    phone.mouse.up()
    watcher.assert_clean(phone)

    # The trainer's check-in display (QR code, its refresh script, the trainer's pad).
    trainer = watcher.page_as(session.trainers.get())
    watcher.visit(trainer, reverse("trainer:sessions"))
    watcher.visit(
        trainer, reverse("trainer:checkin", kwargs={"uuid": session.uuid, "slot_id": slot.pk})
    )
    expect(trainer.locator("[data-checkin-qr] svg")).to_be_visible()
    watcher.assert_clean(trainer)
    # The session form adds a half-day row with its script.
    watcher.visit(trainer, reverse("trainer:session_create"))
    rows = trainer.locator("[data-slot-rows] > *")
    before = rows.count()
    trainer.locator("[data-add-slot]").click()
    expect(rows).to_have_count(before + 1)
    watcher.assert_clean(trainer)


def test_admin_pages_report_no_violation(watcher, django_user_model):
    index = GuideIndexPageFactory()
    ensure_editorial_setup(index)
    guide = GuidePageFactory(parent=index, **FULL_BODY)
    admin = make_user(django_user_model, "admin.csp@example.org", is_superuser=True)
    page = watcher.page_as(admin, viewport={"width": 1400, "height": 900})

    for path in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[Page.get_first_root_node().pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtailimages:add"),
        reverse("wagtailusers_users:index"),
        reverse("reperes_audit_log"),  # the project's own report (home/audit_views.py)
    ):
        watcher.visit(page, path)

    watcher.visit(page, reverse("wagtailadmin_pages:edit", args=[guide.pk]))
    page.locator("[data-side-panel-toggle=preview]").first.click()
    preview = page.frame_locator("iframe[id='w-preview-iframe'], .preview-panel iframe").first
    expect(preview.locator("h1")).to_contain_text(guide.title)
    watcher.assert_clean(page)

    # The userbar on a public page, for staff.
    watcher.visit(page, guide.url)
    expect(page.locator("wagtail-userbar")).to_be_attached()
    watcher.assert_clean(page)
