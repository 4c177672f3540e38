"""XSS sweep: hostile text in every field people or editors type, on every page showing it.

The same payload goes into a professional's profile (names, organisation),
a session typed by a trainer (title, description, venue, address, commune), an
attendance correction's reason, a publisher's name, a guide (title, summary), a
module (title, objectives) and so the certificates issued for it. Each page that
shows one of them is opened in Chromium as the person who would see it; the test
fails if any script ran (a flag the payload would set, a dialog) and checks the
text came out literally. The Content-Security-Policy would also stop inline
scripts: the test proves the escaping itself, not only the CSP (a violation
report would be a finding too).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import roles
from certificates.models import Certificate
from courses.models.sessions import AttendanceStatus
from courses.sessions.attendance import mark_attendance
from tests.certificates.helpers import complete_module
from tests.conftest import make_user
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory, PublisherFactory
from tests.sessions.factories import add_participant, build_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARK = "xss-sonde"
PAYLOAD = f'<script>window.__xss=1</script><img src=x onerror="window.__xss=1">{MARK}'
SHORT = f"<b onmouseover=window.__xss=1>{MARK}</b>"  # for fields of ≤ 60 characters


@pytest.fixture(autouse=True)
def settings_module(settings):
    if not settings.SETTINGS_MODULE:
        settings.SETTINGS_MODULE = "config.test_settings"


@pytest.fixture
def hostile_world(django_user_model):
    learner = make_user(
        django_user_model,
        "hostile@example.org",
        roles.PROFESSIONNEL,
        first_name=SHORT,
        last_name=SHORT,
        organisation=PAYLOAD,
        profession="cpe",
    )
    publisher = PublisherFactory(name=PAYLOAD)
    module, _completion = complete_module(
        # Rich text is stored as the editor (Draftail) writes it: typed text escaped.
        learner,
        title=f"Module {PAYLOAD}",
        objectives=f"<p>Objectifs {escape(PAYLOAD)}</p>",
    )
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index, title=f"Guide {PAYLOAD}", summary=PAYLOAD)
    session = build_session(
        slots=1,
        start=timezone.localdate() - timedelta(days=1),
        title=f"Session {PAYLOAD}",
        description=PAYLOAD,
        venue_name=PAYLOAD,
        address=PAYLOAD,
        commune=SHORT,
        organiser=publisher,
        registration_opens_at=timezone.now() - timedelta(days=10),
    )
    slot = session.slots.get()
    registration = add_participant(session, learner)
    mark_attendance(
        session.trainers.get(),
        slot,
        registration,
        AttendanceStatus.PRESENT,
        reason=PAYLOAD,
        now=slot.ends_at + timedelta(hours=1),
    )
    return {
        "learner": learner,
        "module": module,
        "guide": guide,
        "session": session,
        "slot": slot,
        "certificate": Certificate.objects.get(holder=learner),
    }


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    # Hover everything that carries the mark: an escaped onmouseover never fires.
    for element in page.get_by_text(MARK).all()[:5]:
        if element.is_visible():
            element.hover()
    ran = page.evaluate("() => window.__xss")
    assert ran is None, f"a payload ran on {url}"
    assert page.locator("img[src='x']").count() == 0, url
    return page.inner_text("body")


@pytest.fixture
def dialogs(page):
    opened = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


def test_no_payload_runs_where_a_professional_reads_it(
    page, live_server, logged_in, hostile_world, dialogs
):
    base = live_server.url
    world = hostile_world
    logged_in(world["learner"])
    urls = [
        "/espace/",
        reverse("certificates:list"),
        reverse("account_profile"),
        reverse("sessions:list"),
        reverse("sessions:detail", kwargs={"uuid": world["session"].uuid}),
        world["module"].url,
        world["guide"].url,
        f"/recherche/?q={MARK}",
        reverse("certificates:verify", args=[world["certificate"].display_code]),
    ]
    shown = {url: visit(page, base + url) for url in urls}

    assert dialogs == []
    # The text is there, as text: escaped, not dropped.
    assert "<script>window.__xss=1</script>" in shown[world["guide"].url]
    page.goto(base + reverse("account_profile"))
    assert page.locator("input[name=first_name]").input_value() == SHORT
    session_page = shown[reverse("sessions:detail", kwargs={"uuid": world["session"].uuid})]
    assert "<script>window.__xss=1</script>" in session_page


def test_no_payload_runs_where_the_trainer_reads_it(
    page, live_server, logged_in, hostile_world, dialogs
):
    base = live_server.url
    world = hostile_world
    session = world["session"]
    logged_in(session.trainers.get())
    kwargs = {"uuid": session.uuid}
    urls = [
        reverse("trainer:sessions"),
        reverse("trainer:session", kwargs=kwargs),
        reverse("trainer:attendance", kwargs={**kwargs, "slot_id": world["slot"].pk}),
        reverse("trainer:attendance_history", kwargs=kwargs),
    ]
    shown = {url: visit(page, base + url) for url in urls}

    assert dialogs == []
    history = shown[reverse("trainer:attendance_history", kwargs=kwargs)]
    assert "<script>window.__xss=1</script>" in history  # the correction's reason


def test_no_payload_runs_in_the_admin_where_coordination_reads_it(
    page, live_server, logged_in, hostile_world, coordinator, dialogs
):
    base = live_server.url
    certificate = hostile_world["certificate"]
    logged_in(coordinator)
    inspect = reverse("certificates_admin:inspect", args=(certificate.pk,))
    urls = [
        reverse("certificates_admin:index"),
        inspect,
        "/admin/rapports/journal-audit/",
        f"/formateur/sessions/{hostile_world['session'].uuid}/",
    ]
    shown = {url: visit(page, base + url) for url in urls}

    assert dialogs == []
    assert "<script>window.__xss=1</script>" in shown[inspect]
