"""« Mes données » lists the person's answers; deleting the account keeps them, nameless."""

import pytest

from accounts.privacy.erasure import delete_account
from accounts.privacy.export import personal_data
from surveys import services
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse

from .helpers import completed_module, valid_answers

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_invitations_and_answers(professional):
    _module, hot, _ = completed_module(professional, title="Repérer")
    services.submit_response(hot, valid_answers(hot.questionnaire, text="Très utile"))

    exported = personal_data(professional)["survey_answers"]

    assert [(item["course"], item["kind"]) for item in exported] == [
        ("Repérer", "chaud"),
        ("Repérer", "froid"),
    ]
    answers = exported[0]["answers"]
    assert {
        "question": "Vos suggestions pour améliorer cette formation",
        "value": None,
        "choice": "",
        "text": "Très utile",
    } in answers
    assert exported[1]["answers"] == []


def test_deleting_the_account_keeps_the_answers_without_the_person(professional):
    _, hot, _ = completed_module(professional)
    services.submit_response(hot, valid_answers(hot.questionnaire, text="Très utile"))

    delete_account(professional, reason="self")

    assert SurveyInvitation.objects.filter(user__isnull=True).count() == 2
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.filter(text="Très utile").exists()
