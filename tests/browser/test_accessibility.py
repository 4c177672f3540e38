"""Every page type, four checks: axe-core with all its rules, no horizontal scrolling at
320 px, valid HTML (Nu HTML Checker) and, with the interface in English, the French
content marked `lang="fr"` (tests/browser/sweep.py).

One demo world (`load_demo`) per test, seen by each kind of person: anonymous
visitors, a professional (learning, sessions, check-in, certificates, account and
two-factor pages), a trainer, coordination in its own admin views. The HTML of every
page is validated at the end, in one run of the checker.
"""

import re
import tempfile
from datetime import datetime, timedelta
from html import unescape

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.mfa import totp_code
from certificates.models import Certificate
from courses.models import ModulePage
from courses.models import TrainingSession as Session
from courses.modules import services
from courses.sessions import checkin
from demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET
from demo.progress import DEMO_LEARNER, DEMO_MODULE_SLUG
from demo.sessions import DEMO_TRAINER
from guides.models import (
    Contact,
    ContactDirectoryPage,
    GuidePage,
    OrientationOutcomePage,
    OrientationPage,
)
from home.models import HomePage, StandardPage
from pilotage.models import BilanReport
from tests.browser.sweep import DESKTOP, HtmlPages, Sweep, nu_checker_missing
from tests.certificates.test_verify import make_certificate
from tests.courses.learning_helpers import finish_lessons, wrong_answers
from tests.sessions.factories import add_participant, add_slot, build_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

User = get_user_model()


@pytest.fixture(scope="session")
def html_pages():
    """The HTML of the pages the sweep saw, validated in one go by the last test."""
    # Not pytest's tmp_path: other pytest runs on the machine prune its old folders.
    with tempfile.TemporaryDirectory(prefix="reperes-html-") as folder:
        yield HtmlPages(folder)


@pytest.fixture
def sweep(live_server, html_pages):
    return Sweep(live_server.url, html_pages)


@pytest.fixture
def demo(settings):
    # The project's URLs plus one view that fails, for the 500 page.
    settings.ROOT_URLCONF = "tests.home.error_urls"
    call_command("load_demo", "--force", verbosity=0)


@pytest.fixture
def visitor(browser, live_server):
    """A new browser (its own cookies), logged in as `user` when given."""
    contexts = []

    def open_as(user=None, *, language=None):
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=DESKTOP)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user, backend="accounts.backends.ModelBackend")
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        if language is not None:
            context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
            )
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def reauthenticate(page, sweep):
    """allauth asks again, before account pages, for the password or for the code of the
    authenticator app (the page it sent to says which); checked on the way."""
    if "reauthenticate" not in page.url:
        return
    sweep.check(page)
    if "/2fa/" in page.url:
        page.get_by_label("Code").fill(totp_code(DEMO_TOTP_SECRET))
    else:
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_load_state("load")
    assert "reauthenticate" not in page.url, page.url


def running_session(trainer, participant):
    """A session of `trainer` whose only half-day runs now, `participant` registered."""
    now = timezone.localtime()
    start = max(now - timedelta(minutes=30), now.replace(hour=0, minute=0, second=0))
    end = min(now + timedelta(hours=2), now.replace(hour=23, minute=59, second=0))
    first_slot = timezone.make_aware(datetime.combine(now.date(), start.time()))
    session = build_session(
        slots=0,
        trainer=trainer,
        title="Sensibilisation au Blanc-Mesnil",
        registration_opens_at=first_slot - timedelta(days=10),
        registration_closes_at=first_slot - timedelta(days=1),
    )
    slot = add_slot(session, now.date(), start.time().replace(microsecond=0), end.time())
    add_participant(session, participant)
    return session, slot


def test_public_pages(demo, sweep, visitor):
    page = visitor()
    certificate = Certificate.objects.filter(revoked_at__isnull=True).first()
    session = Session.objects.filter(starts_at__gt=timezone.now()).first()
    for path in [
        "/",
        *[standard.url for standard in StandardPage.objects.live()],
        "/guides/",
        "/guides/?public=magistrat",
        *[guide.url for guide in GuidePage.objects.live()],
        "/ressources/",
        "/ressources/?besoin=ecoute&besoin=soins&commune=93048",
        "/ressources/?besoin=inconnu&commune=75056",  # ignored filters, their message
        "/ressources/?besoin=abri&commune=93048",  # no contact: the empty state
        "/que-faire/",
        "/que-faire/non/",
        *[outcome.url for outcome in OrientationOutcomePage.objects.live()],
        "/formations/",
        *[module.url for module in ModulePage.objects.live()],
        reverse("sessions:list"),
        session.get_absolute_url(),
        reverse("certificates:verify_form"),
        reverse("certificates:verify", args=[certificate.display_code]),
        "/recherche/",
        "/recherche/?q=signalement",
        "/recherche/?q=zzzzzz",
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_email_verification_sent"),
        reverse("account_deleted"),
        reverse("offline:fallback"),
    ]:
        sweep.visit(page, path)
    sweep.visit(page, reverse("certificates:verify", args=["AAAA-BBBB-CCCC"]))
    _sweep_file_checks(page, sweep)
    sweep.visit(page, "/page-qui-n-existe-pas/", status=404)
    sweep.visit(page, "/panne/", status=500)

    # The links sent by e-mail: a new password, an address to confirm.
    learner = User.objects.get(email=DEMO_LEARNER)
    sweep.visit(page, reverse("account_reset_password_from_key", kwargs=_reset_kwargs(learner)))
    address = EmailAddress.objects.create(user=learner, email="autre@reperes.example")
    confirmation = EmailConfirmationHMAC(address)
    sweep.visit(page, reverse("account_confirm_email", args=[confirmation.key]))

    # The code page of the second factor, after the password.
    sweep.visit(page, reverse("account_login"))
    page.get_by_label("E-mail").fill(DEMO_TRAINER)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    sweep.check(page)
    sweep.assert_clean()


def _sweep_file_checks(page, sweep):
    """The answers of /verifier/ to a sent file: a signed PDF, a file that is not one, a
    badge, a refused badge, and the form with its errors."""
    from certificates.badges import envelope

    signed = Certificate.objects.exclude(pdf="").exclude(badge_jwt="").first()
    pdf = {"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": signed.pdf.read()}
    not_pdf = {"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"pas un PDF"}
    for upload in (pdf, not_pdf):
        sweep.visit(page, reverse("certificates:verify_form"))
        page.get_by_label("Fichier PDF du certificat").set_input_files(upload)
        page.get_by_role("button", name="Vérifier le fichier").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Vérification d’un document")
        sweep.check(page)
    for text in (envelope.file_bytes(signed.badge_jwt).decode(), "{pas un badge"):
        sweep.visit(page, reverse("certificates:verify_form"))
        page.get_by_label("Ou le contenu du badge, collé ici").fill(text)
        page.get_by_role("button", name="Vérifier le badge").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Vérification d’un badge")
        sweep.check(page)
    sweep.visit(page, reverse("certificates:verify_form"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("alert")).to_contain_text("Choisissez le fichier PDF")
    sweep.check(page)


def _reset_kwargs(user):
    """The link of allauth's « new password » e-mail."""
    return {
        "uidb36": user_pk_to_url_str(user),
        "key": default_token_generator.make_token(user),
    }


def test_professional_pages(demo, sweep, visitor):
    learner = User.objects.get(email=DEMO_LEARNER)
    page = visitor(learner)
    module = ModulePage.objects.get(slug=DEMO_MODULE_SLUG)
    lessons = services.module_lessons(module)
    for path in [
        reverse("courses:dashboard"),
        reverse("certificates:list"),
        reverse("account_profile"),
        "/formations/",
        module.url,
        *[
            lesson.url
            for each in ModulePage.objects.live()
            for lesson in services.module_lessons(each)
        ],
        reverse("sessions:list"),
        *[
            session.get_absolute_url()
            for session in Session.objects.filter(registrations__user=learner)
        ],
        reverse("account_logout"),
    ]:
        sweep.visit(page, path)

    # The quiz: its page, an attempt, a failed result; the passed one of the demo.
    finish_lessons(learner, lessons)
    sweep.visit(page, reverse("courses:quiz", args=[module.pk]))
    page.get_by_role("button", name="Commencer le quiz").click()
    page.get_by_role("button", name="Valider mes réponses").wait_for()
    sweep.check(page)
    attempt = services.start_attempt(learner, services.module_quiz(module))
    services.submit_attempt(learner, attempt, wrong_answers(attempt))
    sweep.visit(page, reverse("courses:attempt_result", args=[attempt.pk]))
    for passed in learner.quiz_attempts.filter(passed=True):
        sweep.visit(page, reverse("courses:attempt_result", args=[passed.pk]))

    # A certificate whose PDF is still being made.
    sequence = Certificate.objects.count() + 1000  # after the demo's own numbers
    waiting = make_certificate(
        learner, title="Accueillir la parole", sequence=sequence, number=f"RP-X-{sequence}"
    )
    sweep.visit(page, reverse("certificates:download", kwargs={"uuid": waiting.uuid}), status=202)

    # Check-in with the code, then the signature page.
    trainer = User.objects.get(email=DEMO_TRAINER)
    _session, slot = running_session(trainer, learner)
    sweep.visit(page, reverse("sessions:checkin_token", args=[checkin.current_checkin(slot).token]))
    sweep.visit(page, reverse("sessions:checkin"))
    page.get_by_label("Code d'émargement").fill(checkin.current_checkin(slot).short_code)
    page.get_by_role("button", name="Valider ma présence").click()
    expect(page.locator("canvas")).to_be_visible()
    sweep.check(page)

    # Account pages, after the password again.
    page.goto(sweep.base + reverse("account_my_data"))
    reauthenticate(page, sweep)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    sweep.check(page)
    for path in [
        reverse("account_delete"),
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
    ]:
        sweep.visit(page, path)
    sweep.assert_clean()


def test_trainer_pages(demo, sweep, visitor):
    trainer = User.objects.get(email=DEMO_TRAINER)
    learner = User.objects.get(email=DEMO_LEARNER)
    running, slot = running_session(trainer, learner)
    finished = Session.objects.filter(trainers=trainer, ends_at__lt=timezone.now()).first()
    upcoming = Session.objects.filter(trainers=trainer, starts_at__gt=timezone.now()).first()
    page = visitor(trainer)
    for path in [
        reverse("trainer:sessions"),
        reverse("trainer:session_create"),
        reverse("trainer:session", kwargs={"uuid": upcoming.uuid}),
        reverse("trainer:session_edit", kwargs={"uuid": upcoming.uuid}),
        reverse("trainer:session", kwargs={"uuid": finished.uuid}),
        reverse(
            "trainer:attendance",
            kwargs={"uuid": finished.uuid, "slot_id": finished.slots.first().pk},
        ),
        reverse("trainer:attendance_history", kwargs={"uuid": finished.uuid}),
        reverse("trainer:session", kwargs={"uuid": running.uuid}),
        reverse("trainer:attendance", kwargs={"uuid": running.uuid, "slot_id": slot.pk}),
        reverse("trainer:checkin", kwargs={"uuid": running.uuid, "slot_id": slot.pk}),
    ]:
        sweep.visit(page, path)

    # The two-factor pages of an account that has an authenticator app.
    page.goto(sweep.base + reverse("mfa_generate_recovery_codes"))
    reauthenticate(page, sweep)
    for path in [
        reverse("mfa_index"),
        reverse("mfa_generate_recovery_codes"),
        reverse("mfa_deactivate_totp"),
        reverse("mfa_list_webauthn"),
        reverse("mfa_add_webauthn"),
    ]:
        sweep.visit(page, path)
    sweep.assert_clean()


def test_coordination_admin_views(demo, sweep, visitor):
    """The project's own admin views; Wagtail's own chrome is Wagtail's business."""
    coordination = User.objects.get(email="coordination@reperes.example")
    certificate = Certificate.objects.first()
    page = visitor(coordination)
    for path in [
        reverse("certificates_admin:inspect", args=[certificate.pk]),
        reverse("certificates_admin:revoke", args=[certificate.pk]),
        reverse("certificates_admin:reissue", args=[certificate.pk]),
        reverse("certificates_admin:zip"),
        reverse("guides_to_review"),
    ]:
        page.goto(sweep.base + path)
        sweep.check_admin_view(page)
    sweep.assert_clean()


def test_pilotage_dashboard(demo, sweep, visitor):
    """The pilotage dashboard (issue 14) on the demo's history, whole and filtered."""
    coordination = User.objects.get(email="coordination@reperes.example")
    page = visitor(coordination)
    dashboard = reverse("pilotage:dashboard")
    for path in [dashboard, f"{dashboard}?period=annee&profession=cpe", f"{dashboard}?sector=x"]:
        page.goto(sweep.base + path)
        sweep.check_admin_view(page)
    # The bilan's status page: ready at once with the tests' ImmediateBackend; then a
    # pending and a failed report, which the page shows differently.
    page.goto(sweep.base + dashboard)
    page.get_by_role("button", name="Préparer le bilan PDF").click()
    page.wait_for_url(re.compile(r"/admin/pilotage/bilan/\d+/$"))  # rendered, then redirected
    expect(page.get_by_role("link", name="Télécharger le bilan (PDF)")).to_be_visible()
    sweep.check_admin_view(page)
    for status, error in (("pending", ""), ("failed", "render")):
        report = BilanReport.objects.create(
            requested_by=coordination, filters={}, status=status, error=error
        )
        page.goto(sweep.base + reverse("pilotage:bilan_status", args=[report.pk]))
        sweep.check_admin_view(page)
    sweep.assert_clean()


def first_words(html):
    """The start of the first run of 20 characters or more of rich text, between tags."""
    text = re.search(r">([^<]{20,})<", html).group(1)
    return unescape(text)[:30]


def lines_of(text):
    return text.splitlines()[0][:40]


def test_content_is_marked_french_when_the_interface_is_english(demo, sweep, visitor):
    """Editors' and trainers' text keeps a French voice in an English interface."""
    learner = User.objects.get(email=DEMO_LEARNER)
    page = visitor(learner, language="en")
    guide = GuidePage.objects.live().get(slug="que-faire-qui-appeler")
    paragraph = next(block for block in guide.body if block.block_type == "paragraph")
    module = ModulePage.objects.get(slug=DEMO_MODULE_SLUG)
    lessons = services.module_lessons(module)
    lesson = lessons[0]
    lesson_text = next(block for block in lesson.body if block.block_type == "paragraph")
    standard = StandardPage.objects.live().get(slug="accessibilite")
    directory = ContactDirectoryPage.objects.live().get()
    contact = Contact.objects.exclude(commune="").order_by("name").first()
    session = Session.objects.filter(registrations__user=learner, starts_at__gt=timezone.now())[0]
    certificate = Certificate.objects.filter(holder=learner).first()
    orientation = OrientationPage.objects.get()
    outcome = OrientationOutcomePage.objects.live().get(slug="c-est-mon-choix")
    sweep.visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    pages = {
        "/": [first_words(HomePage.objects.get().intro)],
        standard.url: [standard.title, lines_of(standard.intro), first_words(standard.body)],
        guide.get_parent().url: [guide.title, lines_of(guide.summary)],
        guide.url: [guide.title, lines_of(guide.summary), first_words(str(paragraph.value))],
        "/formations/": [module.title, lines_of(module.summary)],
        module.url: [module.title, lines_of(module.summary), lesson.title],
        lesson.url: [lesson.title, module.title, first_words(str(lesson_text.value))],
        reverse("sessions:list"): [session.title],
        session.get_absolute_url(): [session.title, lines_of(session.description)],
        reverse("courses:dashboard"): [module.title, session.title],
        reverse("certificates:list"): [certificate.title],
        "/recherche/?q=signalement": [guide.title],
        "/ressources/": [directory.title, lines_of(directory.intro), contact.name],
        "/que-faire/": [orientation.title, orientation.start_step.question],
        outcome.url: [outcome.title, lines_of(outcome.summary), outcome.do_now[0].value],
    }
    for path, texts in pages.items():
        sweep.visit(page, path)
        sweep.check_french(page, texts)

    # The quiz: its questions and choices, then the result with its explanations.
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, services.module_quiz(module))
    question = attempt.questions[0]
    sweep.visit(page, reverse("courses:attempt", args=[attempt.pk]))
    sweep.check_french(page, [module.title, lines_of(question["prompt"])])
    services.submit_attempt(learner, attempt, wrong_answers(attempt))
    sweep.visit(page, reverse("courses:attempt_result", args=[attempt.pk]))
    sweep.check_french(page, [module.title, lines_of(question["prompt"])])
    sweep.assert_clean()


def test_positioning_and_reminder_pages(demo, sweep, visitor):
    """Self-positioning (before, a refused post, after with both columns) and the
    reminders' one-click opt-out (confirmation, done, invalid link), logged out."""
    from accounts import reminders
    from courses.modules import positioning
    from tests.courses.learning_helpers import right_answers

    # A newcomer: the demo learner has already started or finished the demo modules.
    learner = User.objects.create_user(
        email="nouvelle.venue@example.org", first_name="Inès", last_name="Roy"
    )
    module = ModulePage.objects.get(slug=DEMO_MODULE_SLUG)
    assert positioning.statements(module), "the demo modules carry statements"
    page = visitor(learner)
    before = reverse("courses:positioning", args=[module.pk, "avant"])
    sweep.visit(page, before)
    # A refused post: the error summary on the page, the form kept.
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    page.wait_for_load_state("load")
    sweep.check(page)
    values = {key: 2 for key, _text in positioning.statements(module)}
    positioning.submit_positioning(learner, module, positioning.BEFORE, values)
    sweep.visit(page, before)  # the answers as a table
    lessons = services.module_lessons(module)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, services.module_quiz(module))
    services.submit_attempt(learner, attempt, right_answers(attempt))
    sweep.visit(page, reverse("courses:attempt_result", args=[attempt.pk]))  # « Et maintenant ? »
    after = reverse("courses:positioning", args=[module.pk, "apres"])
    sweep.visit(page, after)
    positioning.submit_positioning(learner, module, positioning.AFTER, dict.fromkeys(values, 4))
    sweep.visit(page, after)

    anonymous = visitor()
    optout = reverse("account_learning_reminders_optout", args=[reminders.optout_token(learner)])
    sweep.visit(anonymous, optout)
    anonymous.get_by_role("button", name="Ne plus recevoir de rappels").click()
    anonymous.wait_for_load_state("load")
    sweep.check(anonymous)
    sweep.visit(anonymous, optout)  # already off
    sweep.visit(
        anonymous,
        reverse("account_learning_reminders_optout", args=["jeton-invalide"]),
        status=400,
    )


def test_survey_pages(demo, sweep, visitor):
    """The questionnaire (by « Mon espace » and by the e-mail link, logged out), its
    errors, its « déjà répondu » state, and the page of a link that is not valid."""
    from surveys import tokens
    from surveys.models import SurveyInvitation, SurveyKind

    learner = User.objects.get(email=DEMO_LEARNER)
    hot = SurveyInvitation.objects.get(user=learner, kind=SurveyKind.HOT, module__isnull=False)
    cold = SurveyInvitation.objects.filter(user=learner, kind=SurveyKind.COLD).first()
    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now())
    page = visitor(learner)
    sweep.visit(page, reverse("courses:dashboard"))
    sweep.visit(page, reverse("surveys:invitation", args=[hot.uuid]))
    page.get_by_role("button", name="Envoyer mes réponses").click()  # nothing answered
    expect(page.get_by_role("alert")).to_be_visible()
    sweep.check(page)
    anonymous = visitor()
    sweep.visit(anonymous, reverse("surveys:token", args=[tokens.make_token(cold)]))
    sweep.visit(anonymous, reverse("surveys:token", args=["lien-abime"]), status=400)
    SurveyInvitation.objects.filter(pk=hot.pk).update(answered_at=timezone.now())
    sweep.visit(page, reverse("surveys:invitation", args=[hot.uuid]))
    sweep.assert_clean()


def test_profile_prompt_pages(demo, sweep, visitor):
    """« Mon espace » with the once-only profile box (sector and workplace), the page of its
    errors, and the profile and signup forms showing the workplace errors."""
    from accounts import roles
    from tests.conftest import make_user

    person = make_user(User, "sans-profil@reperes.example", roles.PROFESSIONNEL, profession="cpe")
    page = visitor(person)
    sweep.visit(page, reverse("courses:dashboard"))
    box = page.get_by_role("region", name="Votre secteur et votre commune d’exercice")
    box.get_by_label("Commune d'exercice (facultatif)").select_option("hors")
    box.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez le numéro du département")
    sweep.check(page)

    sweep.visit(page, reverse("account_profile"))
    page.get_by_label("Commune d'exercice (facultatif)").select_option("hors")
    page.get_by_label(re.compile("Numéro du département")).fill("93")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Le 93 est la Seine-Saint-Denis")
    sweep.check(page)

    anonymous = visitor()
    sweep.visit(anonymous, reverse("account_signup"))
    anonymous.get_by_label(re.compile("Numéro du département")).fill("20")
    anonymous.get_by_role("button", name="Créer mon compte").click()
    expect(anonymous.get_by_role("alert")).to_contain_text("numéro de département français")
    sweep.check(anonymous)


def test_complaint_pages(demo, sweep, visitor, monkeypatch):
    """/reclamation/ (anonymous, with its errors, logged in), its confirmation, the 429
    page, and a complaint's edit view in Coordination's admin."""
    from quality import views as quality_views
    from quality.models import Complaint

    page = visitor()
    sweep.visit(page, reverse("quality:complaint"))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state("load")
    sweep.check(page)  # the error summary and the fields in error
    page.get_by_label("Votre nom").fill("Alex Durand")
    page.get_by_label("Votre adresse e-mail").fill("alex@example.org")
    page.get_by_label("Votre message concerne").select_option("platform")
    page.get_by_label("Votre message", exact=True).fill("La page des sessions ne s'affiche pas.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message envoyé")
    sweep.check(page)

    monkeypatch.setattr(quality_views, "CLIENT_LIMIT", 0)
    sweep.visit(page, reverse("quality:complaint"))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trop de messages en peu de temps")
    sweep.check(page)

    learner = visitor(User.objects.get(email=DEMO_LEARNER))
    sweep.visit(learner, reverse("quality:complaint"))

    coordination = visitor(User.objects.get(email="coordination@reperes.example"))
    for complaint in Complaint.objects.order_by("pk")[:2]:
        coordination.goto(sweep.base + reverse("complaints:edit", args=[complaint.pk]))
        sweep.check_admin_view(coordination)


def test_results_and_item_analysis_pages(demo, sweep, visitor):
    """/resultats/ (overall, per publisher), a quiz's item analysis for Coordination and
    the « Résultats » panel of a finished session for its trainer (issue 14)."""
    from courses.models import QuizPage
    from guides.models import Publisher

    anonymous = visitor()
    sweep.visit(anonymous, reverse("results:overview"))
    sweep.visit(anonymous, reverse("results:publisher", args=[Publisher.objects.first().pk]))

    module = ModulePage.objects.get(slug=DEMO_MODULE_SLUG)
    quiz = QuizPage.objects.child_of(module).get()
    coordination = visitor(User.objects.get(email="coordination@reperes.example"))
    coordination.goto(sweep.base + reverse("pilotage:item_analysis:quiz", args=[quiz.pk]))
    sweep.check_admin_view(coordination)

    trainer = User.objects.get(email=DEMO_TRAINER)
    finished = Session.objects.filter(trainers=trainer, ends_at__lt=timezone.now()).first()
    page = visitor(trainer)
    sweep.visit(page, reverse("trainer:session", kwargs={"uuid": finished.uuid}) + "#resultats")
    sweep.assert_clean()


@pytest.mark.nu_checker
def test_every_page_is_valid_html(html_pages):
    """Runs last (tests/browser/conftest.py): the Nu HTML Checker on every page seen."""
    if why := nu_checker_missing():
        pytest.skip(f"Nu HTML Checker unavailable: {why}")
    if not html_pages.names:
        pytest.skip("no page was collected: run it with the sweep")
    errors = html_pages.errors()
    assert errors == [], "\n".join(errors)
