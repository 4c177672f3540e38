"""Concurrency on PostgreSQL: two submits of one invitation at once store one answer."""

import pytest

from surveys import services
from surveys.errors import SurveyError
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.concurrency import run_in_parallel

from .helpers import completed_module, valid_answers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10


def test_parallel_submits_store_one_answer(professional):
    _, hot, _ = completed_module(professional)
    texts = [f"Envoi n° {number}" for number in range(THREADS)]

    def submit(text):
        invitation = SurveyInvitation.objects.get(pk=hot.pk)
        try:
            return services.submit_response(invitation, valid_answers(hot.questionnaire, text=text))
        except SurveyError as error:
            assert error.code == "already_answered"
            return None

    results, errors = run_in_parallel(submit, texts)

    assert errors == []
    assert len([result for result in results if result is not None]) == 1
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.filter(question_type="free_text").count() == 1
    hot.refresh_from_db()
    assert hot.answered_at == SurveyResponse.objects.get().submitted_at


def test_parallel_invitations_make_one(professional):
    module, hot, _ = completed_module(professional)
    SurveyInvitation.objects.filter(pk=hot.pk).delete()

    def invite(_):
        return services.invite(professional, hot.kind, module=module).pk

    results, errors = run_in_parallel(invite, range(THREADS))

    assert errors == []
    assert len(set(results)) == 1
    assert SurveyInvitation.objects.filter(module=module, kind=hot.kind).count() == 1
