"""load_demo: credible example content, idempotent, no demo accounts in production."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import WorkflowState

from accounts import roles
from certificates.models import Certificate
from core.models import SiteSettings
from courses.models import (
    Attendance,
    AttendanceMark,
    Registration,
    SessionSlot,
    SlotSignature,
    TrainingSession,
)
from courses.models.sessions import MarkMethod, RegistrationStatus, SessionStatus
from demo.accounts import DEMO_ACCOUNTS, DEMO_PARTICIPANTS
from demo.content import GUIDES
from demo.history import history_learners, history_sessions
from demo.progress import DEMO_LEARNER
from demo.sessions import DEMO_TRAINER
from guides.models import GuidePage, Publisher
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_refuses_demo_accounts_without_debug_or_force(settings):
    settings.DEBUG = False
    output = load()
    assert "--force" in output
    assert not get_user_model().objects.exists()
    # The example content itself is still loaded.
    assert GuidePage.objects.live().count() == 5


def test_force_creates_one_account_per_role(settings):
    settings.DEBUG = False
    load("--force")
    User = get_user_model()
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.filter(is_superuser=True).count() == 1
    people = User.objects.exclude(
        pk__in=history_learners()
    )  # the history: tests/demo/test_history.py
    assert people.count() == len(DEMO_ACCOUNTS) + len(DEMO_PARTICIPANTS)
    participants = User.objects.filter(email__in=[spec["email"] for spec in DEMO_PARTICIPANTS])
    assert all(user.groups.filter(name=roles.PROFESSIONNEL).exists() for user in participants)


def test_site_content_is_complete_and_marked_as_example(settings, client):
    settings.DEBUG = True
    load()
    assert Publisher.objects.count() == 3
    assert GuidePage.objects.live().count() == 5
    in_review = GuidePage.objects.get(slug="secret-professionnel-et-partage")
    assert not in_review.live
    assert WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(in_review.pk), status="in_progress"
    ).exists()
    assert StandardPage.objects.live().count() == 3
    site_settings = SiteSettings.objects.get()
    assert site_settings.accessibility_page.slug == "accessibilite"
    for guide in GuidePage.objects.live():
        assert guide.topics.exists() and guide.audiences.exists()
        page = client.get(guide.url)
        assert page.status_code == 200
        assert "Contenu d'exemple" in page.content.decode()
    for url in (
        block.value["url"]
        for guide in GuidePage.objects.live()
        for block in guide.body
        if block.block_type == "legal_reference"
    ):
        assert url.startswith("https://www.legifrance.gouv.fr/")


def test_second_run_keeps_data_and_creates_nothing(settings):
    settings.DEBUG = True
    load()
    guide = GuidePage.objects.live().first()
    guide.title = "Titre modifié par la rédaction"
    guide.save_revision().publish()
    counts = session_counts()
    output = load()
    assert "Contenu d'exemple déjà en place : rien à créer." in output
    assert "Sessions de démo : 0 créée." in output  # French: singular for 0
    assert session_counts() == counts
    assert GuidePage.objects.count() == 6
    guide.refresh_from_db()
    assert guide.title == "Titre modifié par la rédaction"


def session_counts():
    models = (
        get_user_model(),
        TrainingSession,
        SessionSlot,
        Registration,
        Attendance,
        AttendanceMark,
        SlotSignature,
        Certificate,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_demo_sessions_upcoming_with_waiting_list_and_one_finished(
    settings, client, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    # As a real commit would: certificate PDFs are rendered, e-mails go out.
    with django_capture_on_commit_callbacks(execute=True):
        output = load()
    assert "Sessions de démo : 3 créées." in output
    now = timezone.now()
    sessions = {
        session.commune: session
        for session in TrainingSession.objects.exclude(pk__in=history_sessions())
    }
    assert set(sessions) == {"Bobigny", "Saint-Denis", "Pantin"}
    for session in sessions.values():
        assert "Contenu d'exemple" in session.description
        assert [user.email for user in session.trainers.all()] == [DEMO_TRAINER]
        assert session.slots.count() == 2 and session.planned_minutes == 7 * 60

    bobigny, saint_denis = sessions["Bobigny"], sessions["Saint-Denis"]
    for session in (bobigny, saint_denis):
        assert session.status == SessionStatus.PLANNED
        assert session.starts_at > now + timedelta(days=20)
        assert session.registration_opens_at < now < session.registration_closes_at
    confirmed = bobigny.registrations.filter(status=RegistrationStatus.CONFIRMED)
    waiting = bobigny.registrations.filter(status=RegistrationStatus.WAITING)
    assert confirmed.count() == bobigny.capacity
    assert [r.user.last_name for r in waiting.order_by("queued_at")] == ["Petit", "Mercier"]
    assert saint_denis.registrations.filter(
        user__email=DEMO_LEARNER, status=RegistrationStatus.CONFIRMED
    ).exists()
    listing = client.get("/sessions/").content.decode()
    assert bobigny.title in listing and saint_denis.title in listing

    finished = sessions["Pantin"]
    assert finished.status == SessionStatus.FINISHED and finished.ends_at < now - timedelta(days=14)
    marks = Attendance.objects.filter(slot__session=finished)
    assert marks.count() == 10
    assert marks.filter(status="absent").count() == 1
    assert marks.filter(status="late").count() == 1
    assert marks.filter(method=MarkMethod.SELF_CHECK_IN).count() == 2
    signatures = SlotSignature.objects.filter(slot__session=finished)
    assert signatures.filter(registration__isnull=False).count() == 9  # one per attended slot
    assert signatures.filter(registration__isnull=True).count() == 2  # the trainer, per slot
    assert signatures.exclude(typed_name="").count() == 2  # the typed-name alternative
    assert all(s.image for s in signatures.filter(typed_name=""))

    certificates = Certificate.objects.filter(session=finished, kind="achievement")
    assert certificates.count() == 5
    assert all(certificate.pdf for certificate in certificates)
    thomas = certificates.get(holder__last_name="Lambert")
    assert (thomas.achieved_minutes, thomas.planned_minutes) == (210, 420)
    # The demo professional also completed the linked module online.
    assert certificates.get(holder__email=DEMO_LEARNER).elearning_minutes > 0


def test_demo_logins_mention_the_sessions():
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    output = out.getvalue()
    assert DEMO_TRAINER in output and "Bobigny" in output
    assert DEMO_PARTICIPANTS[0]["email"] in output


def test_the_report_says_which_guide_waits_for_legal_review(settings):
    """« 6 guides créés » while /guides/ lists 5 puzzled newcomers: the draft is named."""
    settings.DEBUG = True
    output = load()
    published = len(GUIDES)
    assert f"{published} guides publiés, 1 guide en attente de relecture juridique" in output
    assert GuidePage.objects.live().count() == published


def test_demo_learners_have_their_questionnaires_once(settings):
    """The demo's completion and finished session invite their people (surveys app)."""
    from surveys.models import Questionnaire, SurveyInvitation, SurveyKind

    settings.DEBUG = True
    load()
    learner = get_user_model().objects.get(email=DEMO_LEARNER)
    kinds = set(
        SurveyInvitation.objects.filter(user=learner, module__isnull=False).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {SurveyKind.HOT, SurveyKind.COLD}
    assert SurveyInvitation.objects.filter(session__status=SessionStatus.FINISHED).exists()
    counts = (SurveyInvitation.objects.count(), Questionnaire.objects.count())
    load()
    assert (SurveyInvitation.objects.count(), Questionnaire.objects.count()) == counts
