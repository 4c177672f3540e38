"""personal_data: everything about me, nothing about anyone else, in a constant number of queries."""

import json
from pathlib import Path

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.privacy.export import personal_data
from certificates.models import Certificate
from courses.models import CalendarFeed
from courses.modules import services
from tests.certificates.helpers import complete_module
from tests.conftest import TOTP_SECRET
from tests.courses.factories import build_module
from tests.courses.learning_helpers import finish_lessons, right_answers, wrong_answers
from tests.sessions.registration_helpers import new_professional

from .privacy_helpers import finished_session, full_history

pytestmark = pytest.mark.django_db


def as_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


@pytest.fixture
def history(professional):
    return full_history(professional)


def test_the_export_holds_my_account(professional, history):
    professional.organisation = "Lycée Victor-Hugo"
    professional.sector = "education_nationale"
    professional.workplace_commune, professional.workplace_departement = "93008", "93"
    professional.save()

    data = personal_data(professional, language="fr")

    account = data["account"]
    assert account["email"] == "pro@example.org"
    assert (account["first_name"], account["last_name"]) == ("Camille", "Martin")
    assert (account["profession"], account["profession_label"]) == ("cpe", "CPE")
    assert account["organisation"] == "Lycée Victor-Hugo"
    assert (account["sector"], account["sector_label"]) == (
        "education_nationale",
        "Éducation nationale",
    )
    assert (account["workplace_commune"], account["workplace_departement"]) == ("93008", "93")
    assert account["workplace_label"] == "Bobigny"
    assert account["interface_language"] == "fr"
    assert account["date_joined"] == professional.date_joined
    assert account["roles"] == ["Professionnel·le"]
    assert data["email_addresses"] == [
        {"email": "pro@example.org", "verified": True, "primary": True}
    ]
    assert data["two_factor_authentication"]["enabled"] is True
    assert [m["type"] for m in data["two_factor_authentication"]["methods"]] == ["totp"]
    assert data["calendar_feed"]["exists"] is True


def test_the_export_holds_my_learning(professional, history):
    learning = personal_data(professional)["learning"]

    module_title = history["module"].title
    assert [row["module"] for row in learning["enrolments"]] == [module_title]
    assert len(learning["lessons"]) == 2
    assert all(row["completed_at"] for row in learning["lessons"])
    (attempt,) = learning["quiz_attempts"]
    assert (attempt["status"], attempt["score"], attempt["passed"]) == ("submitted", 100, True)
    assert len(attempt["answers"]) == 3
    assert all(answer["right"] is True for answer in attempt["answers"])
    assert all(answer["question"] and answer["chosen"] for answer in attempt["answers"])
    assert [row["module"] for row in learning["completions"]] == [module_title]


def test_the_export_holds_my_sessions(professional, history):
    registrations = personal_data(professional)["session_registrations"]

    past, upcoming = registrations
    assert (past["session"], past["status"], past["session_status"]) == (
        "Session passée",
        "confirmed",
        "finished",
    )
    assert [mark["status"] for mark in past["attendance"]] == ["present", "absent"]
    trainer = history["trainer"]
    assert {mark["marked_by"] for mark in past["attendance"]} == {trainer.get_full_name()}
    assert len(past["attendance"][0]["history"]) == 1
    (signature,) = past["signatures"]
    assert signature["drawing_stored"] is True and signature["certified"] is True
    assert len(past["slots"]) == 2
    assert (upcoming["session"], upcoming["status"]) == ("Session à venir", "confirmed")


def test_the_export_holds_my_certificates(professional, history):
    certificates = personal_data(professional)["certificates"]

    stored = {c.number: c for c in Certificate.objects.filter(holder=professional)}
    assert {c["number"] for c in certificates} == set(stored)
    for row in certificates:
        certificate = stored[row["number"]]
        assert row["status"] == "valid"
        assert row["verification_url"] == certificate.get_verification_url()
        assert row["holder_name"] == "Camille Martin"


def test_no_secret_leaves(professional, history):
    text = as_json(personal_data(professional))

    feed = CalendarFeed.objects.get(user=professional)
    assert feed.token not in text
    assert TOTP_SECRET not in text
    assert professional.password not in text
    assert '"secret"' not in text and '"data"' not in text
    assert '"device"' not in text
    assert "signatures/" not in text  # no storage path of a drawing


def test_nothing_about_anyone_else(professional, history):
    other = new_professional(email="voisine@example.org", first_name="Zoé", last_name="Voisine")
    full_history(other)
    trainer = history["trainer"]
    waiting_person = history["waiting"].user

    text = as_json(personal_data(professional))

    for secret in (
        "voisine@example.org",
        "Voisine",
        waiting_person.email,
        waiting_person.first_name,
        trainer.email,
        *Certificate.objects.filter(holder=other).values_list("number", flat=True),
    ):
        assert secret not in text, secret
    # The trainer who marked my attendance appears by name only (my own record).
    assert trainer.get_full_name() in text


def test_an_attempt_in_progress_reveals_no_answer(professional):
    _module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    answers = right_answers(attempt)
    services.save_answers(professional, attempt, answers)

    (exported,) = personal_data(professional)["learning"]["quiz_attempts"]

    assert exported["status"] == "in_progress" and exported["score"] is None
    assert len(exported["answers"]) == 3
    assert all(answer["right"] is None for answer in exported["answers"])
    assert '"correct"' not in as_json(exported)


def test_a_failed_attempt_says_which_answers_were_wrong(professional):
    _module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, wrong_answers(attempt))

    (exported,) = personal_data(professional)["learning"]["quiz_attempts"]

    assert exported["passed"] is False
    assert all(answer["right"] is False for answer in exported["answers"])


def count_queries(user):
    with CaptureQueriesContext(connection) as queries:
        personal_data(user)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_history(professional):
    small = new_professional(email="petit@example.org")
    full_history(small)
    full_history(professional)
    # More of everything for the second person: modules, attempts, sessions, marks.
    complete_module(professional)
    complete_module(professional)
    finished_session(professional, days_ago=40)
    finished_session(professional, days_ago=60)
    count_queries(small)  # content types and the like, cached once per process

    # 17: the surveys' invitations (site/surveys/privacy.py) came with issue 14;
    # 18: the self-positioning answers (courses/modules/privacy.py) are one more read.
    assert count_queries(small) == count_queries(professional) <= 18


def shape(value):
    """The export's structure, in order: keys kept, leaves replaced by their type."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def test_the_export_keeps_its_format_whichever_app_holds_the_data(professional, history):
    """Each app registers its own sections (accounts.privacy.registry); the file the
    person downloads keeps the keys, their order and their types (format 2 since the
    free-text commune became sector and workplace, issue 14).

    The golden file was written from the export before the apps registered their
    sections, when accounts read every app's tables itself; the demo's exports of all
    16 accounts were byte-identical before and after that change.
    """
    golden = (Path(__file__).parent / "data" / "my_data_shape.json").read_text()
    assert json.dumps(shape(personal_data(professional, language="fr")), indent=2) + "\n" == golden
