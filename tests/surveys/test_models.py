"""Questionnaires: the platform defaults, which questionnaire applies, the frozen snapshot."""

import pytest
from django.db import IntegrityError

from surveys import services
from surveys.models import Questionnaire, SurveyAnswer, SurveyKind
from tests.courses.factories import ModulePageFactory
from tests.guides.factories import PublisherFactory

from .helpers import completed_module, platform_default, valid_answers

pytestmark = pytest.mark.django_db


def own_questionnaire(title="Questionnaire du module", publisher=None, **fields):
    return Questionnaire.objects.create(
        title=title,
        publisher=publisher,
        questions=[
            {
                "type": "scale",
                "id": "q-sat",
                "value": {
                    "label": "Satisfait·e ?",
                    "low_label": "Non",
                    "high_label": "Oui",
                    "is_satisfaction": True,
                    "required": True,
                },
            }
        ],
        **fields,
    )


def test_the_migration_creates_the_platform_defaults():
    hot, cold = platform_default(SurveyKind.HOT), platform_default(SurveyKind.COLD)
    assert hot.title == "Questionnaire à chaud"
    assert cold.title == "Questionnaire à froid"
    hot_types = [question["type"] for question in hot.snapshot()]
    assert hot_types == ["scale", "scale", "scale", "scale", "recommend", "free_text"]
    assert [q["is_satisfaction"] for q in hot.snapshot() if q["type"] == "scale"].count(True) == 1
    cold_labels = [question["label"] for question in cold.snapshot()]
    assert "Avez-vous utilisé ce que vous avez appris ?" in cold_labels


def test_resolution_course_then_publisher_then_platform():
    publisher = PublisherFactory(name="Amicale du Nid")
    module = ModulePageFactory(publisher=publisher)
    # Nothing of its own, nothing for the publisher: the platform's.
    assert services.resolve_questionnaire(SurveyKind.HOT, module=module) == platform_default(
        SurveyKind.HOT
    )
    # The publisher's default for both kinds, then the one made for the kind.
    both = own_questionnaire("Amicale — tous usages", publisher=publisher, is_default=True)
    assert services.resolve_questionnaire(SurveyKind.COLD, module=module) == both
    cold = own_questionnaire(
        "Amicale — à froid", publisher=publisher, is_default=True, kind=SurveyKind.COLD
    )
    assert services.resolve_questionnaire(SurveyKind.COLD, module=module) == cold
    assert services.resolve_questionnaire(SurveyKind.HOT, module=module) == both
    # Another publisher's default is never used.
    other = ModulePageFactory(publisher=PublisherFactory(name="Observatoire"))
    assert services.resolve_questionnaire(SurveyKind.COLD, module=other) == platform_default(
        SurveyKind.COLD
    )
    # The module's own choice wins.
    module.survey_cold = own = own_questionnaire()
    assert services.resolve_questionnaire(SurveyKind.COLD, module=module) == own


def test_one_default_per_publisher_and_kind():
    publisher = PublisherFactory()
    own_questionnaire(publisher=publisher, is_default=True, kind=SurveyKind.HOT)
    with pytest.raises(IntegrityError):
        own_questionnaire(publisher=publisher, is_default=True, kind=SurveyKind.HOT)


def test_one_platform_default_per_kind():
    with pytest.raises(IntegrityError):
        own_questionnaire(is_default=True, kind=SurveyKind.HOT)


def test_editing_the_questionnaire_later_never_changes_past_answers(professional):
    _, hot, _ = completed_module(professional)
    questionnaire = hot.questionnaire
    asked = questionnaire.snapshot()
    response = services.submit_response(hot, valid_answers(questionnaire))

    # An editor rewrites the questions afterwards.
    questionnaire.questions = [
        {
            "type": "yes_no",
            "id": "new-question",
            "value": {"label": "Une toute autre question", "required": True},
        }
    ]
    questionnaire.save()

    response.refresh_from_db()
    assert response.questions == asked
    assert {answer.question_id for answer in response.answers.all()} <= {q["id"] for q in asked}
    satisfaction = SurveyAnswer.objects.get(response=response, is_satisfaction=True)
    assert satisfaction.value == 4


def test_a_course_takes_only_its_publishers_or_the_platforms_questionnaires():
    from django.core.exceptions import ValidationError

    publisher = PublisherFactory(name="Amicale du Nid")
    module = ModulePageFactory(publisher=publisher)
    module.survey_hot = own_questionnaire("Amicale", publisher=publisher)
    module.survey_cold = own_questionnaire("Plateforme")
    module.full_clean()  # its publisher's and the platform's: fine
    module.survey_hot = own_questionnaire(
        "Observatoire", publisher=PublisherFactory(name="Observatoire")
    )
    module.survey_cold = own_questionnaire("À chaud seulement", kind=SurveyKind.HOT)
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert set(error.value.message_dict) == {"survey_hot", "survey_cold"}
