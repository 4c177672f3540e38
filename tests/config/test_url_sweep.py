"""Sweeps over every URL pattern of the site: object access (IDOR) and CSRF.

The patterns are read from the URL resolver, not listed by hand: a new URL with a
parameter fails `test_every_parameterised_url_is_classified` until someone decides
what protects it, so no view escapes the sweep. The Wagtail admin, allauth and
Wagtail's page serving have their own permission systems and their own tests.

- OWNED: the parameter names something that belongs to somebody (an attempt, a
  certificate, a registration, a session run by given trainers). Another
  professional, a trainer of another session and an anonymous visitor get nothing:
  404 for the signed-in ones (GET and POST), and for anonymous visitors the very
  same answer as for an id that does not exist (no way to probe which ids exist);
  nothing in the database changes.
- PUBLIC: the parameter names published content anyone may read or act on (a module,
  a session's public page, a verification code).
- CAPABILITY: a secret token in the URL is the authorisation (calendar feed,
  check-in code); their refusals are tested in tests/sessions/.
"""

import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from certificates.models import Certificate
from courses.models import (
    Attendance,
    AttendanceMark,
    ModuleCompletion,
    QuizAttempt,
    Registration,
    SessionSlot,
    SlotSignature,
    TrainingSession,
)
from courses.models.learning import AttemptAnswer
from surveys.models import SurveyInvitation, SurveyKind, SurveyResponse
from tests.certificates.helpers import complete_module
from tests.conftest import make_user
from tests.sessions.factories import add_participant, build_session, new_trainer

pytestmark = pytest.mark.django_db

# URL name → the victim's object each parameter takes.
OWNED = {
    "courses:attempt": {"attempt_id": "attempt"},
    "courses:save_answers": {"attempt_id": "attempt"},
    "courses:submit_attempt": {"attempt_id": "attempt"},
    "courses:attempt_result": {"attempt_id": "attempt"},
    "certificates:download": {"uuid": "certificate"},
    "certificates:status": {"uuid": "certificate"},
    "certificates:badge": {"uuid": "certificate"},
    "sessions:cancel": {"registration_id": "registration"},
    "sessions:sign": {"slot_id": "slot"},
    "trainer:session": {"uuid": "session"},
    "trainer:session_edit": {"uuid": "session"},
    "trainer:participant_add": {"uuid": "session"},
    "trainer:export_csv": {"uuid": "session"},
    "trainer:export_xlsx": {"uuid": "session"},
    "trainer:session_finish": {"uuid": "session"},
    "trainer:emargement": {"uuid": "session"},
    "trainer:attendance_history": {"uuid": "session"},
    "trainer:attendance": {"uuid": "session", "slot_id": "slot"},
    "trainer:checkin": {"uuid": "session", "slot_id": "slot"},
    "trainer:checkin_json": {"uuid": "session", "slot_id": "slot"},
    "trainer:slot_sign": {"uuid": "session", "slot_id": "slot"},
    "surveys:invitation": {"uuid": "invitation"},
}
PUBLIC = {
    "courses:start_module",
    "courses:complete_lesson",
    "courses:quiz",
    "courses:start_quiz",
    "certificates:verify",
    # What a badge names: the published module or session, a status list (no person).
    "certificates:badges:module_achievement",
    "certificates:badges:session_achievement",
    "certificates:badges:status_list",
    "sessions:detail",
    "sessions:ics",
    "sessions:register",
    # The module is public; the learner's own answers are found through the request.
    "courses:positioning",
    "courses:skip_positioning",
    "results:publisher",
}
CAPABILITY = {
    "sessions:feed",
    "sessions:checkin_token",
    "surveys:token",  # tests/surveys/test_views.py
    "account_learning_reminders_optout",  # tests/courses/test_reminder_optout.py
}
# Their own permission systems and tests (Wagtail admin, allauth keys, page serving,
# media in DEBUG).
SKIPPED_PREFIXES = ("admin/", "comptes/", "documents/", "_util/", "^media/", "^((?:")

MISSING_ID = {"uuid": uuid.UUID(int=1), "int": 987654321}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, full name, pattern) for every view of the site."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, namespace + (pattern.name or ""), pattern


def swept_patterns():
    for route, name, pattern in url_patterns():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if pattern.pattern.converters or "(?P<" in route:
            yield route, name


def test_every_parameterised_url_is_classified():
    unclassified = [
        (route, name)
        for route, name in swept_patterns()
        if name not in OWNED and name not in PUBLIC and name not in CAPABILITY
    ]
    assert unclassified == [], "classify these URLs in OWNED, PUBLIC or CAPABILITY"


# The file checks of /verifier/ set their upload handlers (in memory only) before the
# CSRF check reads the body, then run it themselves (`csrf_protect` inside,
# certificates/verifier/views.py) — proved just below.
CSRF_CHECKED_INSIDE = {"verifier/document/", "verifier/badge/"}


def test_no_view_is_exempt_from_csrf():
    """Django's CSRF middleware guards every POST unless a view opts out: none does.

    Except Wagtail's admin API (Django REST framework views are marked exempt because
    DRF's session authentication enforces CSRF itself — proved just below) and the
    file checks of /verifier/, which check it inside.
    """
    exempt = [
        route
        for route, _name, pattern in url_patterns()
        if getattr(pattern.callback, "csrf_exempt", False)
        and not route.startswith("admin/api/")
        and route not in CSRF_CHECKED_INSIDE
    ]
    assert exempt == []


@pytest.mark.parametrize("route", sorted(CSRF_CHECKED_INSIDE))
def test_the_file_checks_enforce_csrf_themselves(route):
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/{route}", {"badge_text": "a.b.c"}).status_code == 403
    # With the token, the same request is read (and refused for its content).
    client.get("/verifier/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(f"/{route}", {"badge_text": "a.b.c", "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 400)


def test_the_admin_api_enforces_csrf_itself(django_user_model):
    from wagtail.models import Page

    from accounts.mfa import add_totp_authenticator
    from tests.conftest import TOTP_SECRET

    admin = django_user_model.objects.create_superuser(email="su@example.org", password="x" * 16)
    add_totp_authenticator(admin, TOTP_SECRET)  # staff pages require a second factor
    page = Page.objects.get(depth=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    count = Page.objects.count()

    response = client.post(
        f"/admin/api/main/pages/{page.pk}/action/copy/",
        {"destination_page_id": page.pk},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert Page.objects.count() == count


@pytest.fixture
def victim_world(django_user_model):
    """A professional with an attempt, a certificate and a place in a session."""
    victim = make_user(django_user_model, "victime@example.org", first_name="Alix")
    _module, _completion = complete_module(victim, title="Module de la victime")
    session = build_session(slots=1)
    registration = add_participant(session, victim)
    return {
        "attempt": QuizAttempt.objects.filter(user=victim).latest("pk"),
        "certificate": Certificate.objects.get(holder=victim),
        "registration": registration,
        "session": session,
        "slot": session.slots.get(),
        # The « à chaud » questionnaire the completion opened.
        "invitation": SurveyInvitation.objects.get(user=victim, kind=SurveyKind.HOT),
    }


def owned_url(name, world):
    kwargs = {}
    for parameter, key in OWNED[name].items():
        value = world[key]
        kwargs[parameter] = value.uuid if parameter == "uuid" else value.pk
    return reverse(name, kwargs=kwargs)


def missing_url(name):
    kwargs = {
        parameter: MISSING_ID["uuid"] if parameter == "uuid" else MISSING_ID["int"]
        for parameter in OWNED[name]
    }
    return reverse(name, kwargs=kwargs)


SNAPSHOT_MODELS = [
    TrainingSession,
    SessionSlot,
    Registration,
    Attendance,
    AttendanceMark,
    SlotSignature,
    QuizAttempt,
    AttemptAnswer,
    ModuleCompletion,
    Certificate,
    SurveyInvitation,
    SurveyResponse,
]


def database_snapshot():
    return {
        model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS
    }


# A POST body with what each form of these views would take, so that a view that
# forgot its ownership check would act on it.
HOSTILE_POST = {
    "status": "present",
    "reason": "tentative",
    "email": "intrus@example.org",
    "title": "Session détournée",
    "capacity": "1",
    "signature": "data:image/png;base64,iVBORw0KGgo=",
    "typed_name": "Intrus",
    "confirm": "on",
    "question": "1",
    "choices": "1",
}


@pytest.fixture
def other_professional(django_user_model):
    return make_user(django_user_model, "intrus@example.org", first_name="Intrus")


@pytest.fixture
def other_trainer():
    return new_trainer()


@pytest.mark.parametrize("name", sorted(OWNED))
@pytest.mark.parametrize("who", ["other_professional", "other_trainer"])
def test_someone_elses_objects_answer_404_and_change_nothing(request, victim_world, name, who):
    client = Client()
    client.force_login(request.getfixturevalue(who))
    url = owned_url(name, victim_world)
    before = database_snapshot()

    for method in ("get", "post"):
        response = getattr(client, method)(url, HOSTILE_POST if method == "post" else None)
        # 405 for a method the view never takes, answered before any lookup: the
        # same for an id that does not exist, so it tells nothing either.
        assert response.status_code in (404, 405), (method, response.status_code)
        if response.status_code == 405:
            assert getattr(client, method)(missing_url(name)).status_code == 405
    assert database_snapshot() == before


@pytest.mark.parametrize("name", sorted(OWNED))
def test_anonymous_visitors_cannot_tell_existing_objects_from_missing_ones(victim_world, name):
    client = Client()
    before = database_snapshot()

    existing, missing = client.get(owned_url(name, victim_world)), client.get(missing_url(name))
    posted = client.post(owned_url(name, victim_world), HOSTILE_POST)

    assert existing.status_code in (302, 404)
    assert existing.status_code == missing.status_code
    if existing.status_code == 302:
        # The login page, which brings the person back afterwards: same shape either way.
        assert existing["Location"].split("?")[0] == missing["Location"].split("?")[0]
        assert existing["Location"].split("?")[0] == reverse("account_login")
    assert posted.status_code in (302, 404)
    assert database_snapshot() == before


@pytest.mark.parametrize("name", sorted(OWNED))
def test_a_post_without_csrf_token_is_refused(victim_world, name):
    owner_view = name.startswith("trainer:")
    user = victim_world["session"].trainers.get() if owner_view else victim_world["attempt"].user
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    before = database_snapshot()

    response = client.post(owned_url(name, victim_world), HOSTILE_POST)

    assert response.status_code == 403
    assert database_snapshot() == before


def test_the_victim_world_is_reachable_by_its_owners(client, victim_world):
    """The sweep proves refusals only if the same URLs work for the right people."""
    owner = victim_world["attempt"].user
    client.force_login(owner)
    assert client.get(owned_url("certificates:download", victim_world)).status_code in (200, 202)
    assert client.get(owned_url("courses:attempt_result", victim_world)).status_code in (200, 302)
    client.force_login(victim_world["session"].trainers.get())
    assert client.get(owned_url("trainer:session", victim_world)).status_code == 200
