"""Satisfaction answers written directly (hand-counted fixtures; the surveys app's own
tests cover how they are collected): one response per value, one global question."""

from django.utils import timezone

from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from surveys.setup import ensure_platform_defaults


def satisfaction_answers(kind, values, *, publisher, module=None, session=None, when=None):
    """One invitation and response per value; an extra unanswered invitation when
    `values` holds None."""
    questionnaire = ensure_platform_defaults()[kind]
    when = when or timezone.now()
    for value in values:
        invitation = SurveyInvitation.objects.create(
            kind=kind,
            module=module,
            session=session,
            publisher=publisher,
            questionnaire=questionnaire,
            due_at=when,
        )
        if value is None:
            continue
        response = SurveyResponse.objects.create(
            invitation=invitation,
            kind=kind,
            module=module,
            session=session,
            publisher=publisher,
            questionnaire=questionnaire,
            questions=[],
            submitted_at=when,
        )
        SurveyAnswer.objects.create(
            response=response,
            question_id="satisfaction",
            question_type="scale",
            is_satisfaction=True,
            value=value,
        )
        # Another scale question, not the global satisfaction one: never counted.
        SurveyAnswer.objects.create(
            response=response, question_id="rythme", question_type="scale", value=1
        )
