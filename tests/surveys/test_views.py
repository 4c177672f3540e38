"""The questionnaire page: signed links, « Mon espace », and every bad input of issue 14."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from courses.models import QuizAttempt
from surveys import tokens
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.conftest import make_user

from .helpers import answers_post, completed_module, questions_by_type, valid_answers

pytestmark = pytest.mark.django_db


def token_url(invitation):
    return reverse("surveys:token", args=[tokens.make_token(invitation)])


def invitation_url(invitation):
    return reverse("surveys:invitation", args=[invitation.uuid])


@pytest.fixture
def stranger(django_user_model):
    return make_user(django_user_model, "autre.personne@example.org")


def test_the_link_opens_the_questionnaire_without_logging_in(client, professional):
    _, hot, _ = completed_module(professional)
    response = client.get(token_url(hot))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Questionnaire à chaud" in html
    assert "<legend>" in html and 'type="radio"' in html
    assert "1 — Pas du tout d’accord" in html and "5 — Tout à fait d’accord" in html
    assert "10 — Très probable" in html
    assert 'maxlength="2000"' in html


def test_answering_by_link_then_the_link_says_already_answered(client, professional):
    _, hot, _ = completed_module(professional)
    url = token_url(hot)
    response = client.post(url, answers_post(valid_answers(hot.questionnaire)), follow=True)
    assert response.status_code == 200
    assert "Merci : votre réponse est enregistrée." in response.content.decode()
    assert "Vous avez déjà répondu, merci." in response.content.decode()
    assert SurveyResponse.objects.count() == 1

    # Replayed: the page says so and nothing changes.
    replay = answers_post(valid_answers(hot.questionnaire, text="Deuxième envoi"))
    response = client.post(url, replay)
    assert response.status_code == 200
    assert "Vous avez déjà répondu, merci." in response.content.decode()
    assert "ce nouvel envoi n’a rien changé" in response.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert not SurveyAnswer.objects.filter(text="Deuxième envoi").exists()


def test_a_tampered_link_gets_a_clear_page(client, professional):
    _, hot, _ = completed_module(professional)
    token = tokens.make_token(hot)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (tampered, "n-importe-quoi", signing.dumps({"i": str(hot.uuid)}, salt="autre")):
        response = client.get(reverse("surveys:token", args=[bad]))
        assert response.status_code == 400
        assert "Lien non valide" in response.content.decode()
        response = client.post(
            reverse("surveys:token", args=[bad]), answers_post(valid_answers(hot.questionnaire))
        )
        assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_an_expired_link_gets_a_clear_page(client, professional, monkeypatch):
    _, hot, _ = completed_module(professional)
    url = token_url(hot)
    monkeypatch.setattr(tokens, "MAX_AGE", timedelta(seconds=-1))
    response = client.post(url, answers_post(valid_answers(hot.questionnaire)))
    assert response.status_code == 400
    assert "Lien expiré" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_link_for_a_deleted_invitation_is_not_valid(client, professional):
    _, _hot, _ = completed_module(professional)
    token = signing.dumps({"i": "00000000-0000-0000-0000-000000000000"}, salt=tokens.SALT)
    response = client.get(reverse("surveys:token", args=[token]))
    assert response.status_code == 400


def test_a_link_opens_only_the_invitation_it_names(client, professional, stranger):
    """Logged in as someone else, the link answers the invitation it names, nothing else."""
    _, hot, _ = completed_module(professional)
    _, their_own, _ = completed_module(stranger)
    client.force_login(stranger)
    client.post(token_url(hot), answers_post(valid_answers(hot.questionnaire)))
    hot.refresh_from_db()
    their_own.refresh_from_db()
    assert hot.answered_at is not None
    assert their_own.answered_at is None


def test_another_persons_invitation_is_a_404(client, professional, stranger):
    _, hot, _ = completed_module(professional)
    client.force_login(stranger)
    assert client.get(invitation_url(hot)).status_code == 404
    post = answers_post(valid_answers(hot.questionnaire))
    assert client.post(invitation_url(hot), post).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_the_invitation_page_needs_a_login(client, professional):
    _, hot, _ = completed_module(professional)
    response = client.get(invitation_url(hot))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_an_invitation_not_due_yet_is_a_404(client, professional):
    _, _, cold = completed_module(professional)
    client.force_login(professional)
    assert client.get(invitation_url(cold)).status_code == 404
    SurveyInvitation.objects.filter(pk=cold.pk).update(due_at=timezone.now())
    assert client.get(invitation_url(cold)).status_code == 200


def test_wrong_answers_come_back_with_their_messages(client, professional):
    _, hot, _ = completed_module(professional)
    client.force_login(professional)
    data = valid_answers(hot.questionnaire)
    free_text = questions_by_type(hot.questionnaire)["free_text"][0]["id"]
    scale = questions_by_type(hot.questionnaire)["scale"][0]["id"]
    data[free_text] = ["x" * 100_000]
    data[scale] = []
    response = client.post(invitation_url(hot), answers_post(data))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Certaines réponses sont à corriger" in html
    assert "Votre réponse dépasse 2 000 caractères" in html
    assert "Répondez à cette question." in html
    assert f'href="#question-{scale}"' in html
    assert not SurveyResponse.objects.exists()


def test_free_text_is_shown_escaped(client, professional):
    _, hot, _ = completed_module(professional)
    client.force_login(professional)
    data = valid_answers(hot.questionnaire, text='<script>alert("x")</script> =SUM(A1:A9)')
    scale = questions_by_type(hot.questionnaire)["scale"][0]["id"]
    data[scale] = ["9"]  # refused: the text comes back in the form
    response = client.post(invitation_url(hot), answers_post(data))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; =SUM(A1:A9)" in html


def test_my_data_shows_answers_escaped(client, professional):
    _, hot, _ = completed_module(professional)
    client.force_login(professional)
    text = '<b>gras</b> =HYPERLINK("x")'
    client.post(invitation_url(hot), answers_post(valid_answers(hot.questionnaire, text=text)))
    from accounts.privacy.export import personal_data

    exported = personal_data(professional)["survey_answers"]
    assert exported[0]["answers"][-1]["text"] == text


def test_quiz_result_offers_the_hot_questionnaire(client, professional):
    module, hot, _ = completed_module(professional)
    client.force_login(professional)
    attempt = QuizAttempt.objects.get(user=professional, module=module, passed=True)
    html = client.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode()
    assert "Donnez votre avis sur ce module" in html
    assert invitation_url(hot) in html

    client.post(invitation_url(hot), answers_post(valid_answers(hot.questionnaire)))
    html = client.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode()
    assert "Donnez votre avis sur ce module" not in html


def test_mon_espace_lists_open_questionnaires_in_one_query(
    client, professional, django_assert_num_queries
):
    client.force_login(professional)
    completed_module(professional)
    client.get(reverse("courses:dashboard"))  # warm the caches (content, session)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("courses:dashboard")).content.decode()
    assert html.count("Donnez votre avis sur ce module") == 1

    completed_module(professional)
    completed_module(professional)
    client.get(reverse("courses:dashboard"))  # publishing dropped the content cache
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("courses:dashboard")).content.decode()
    assert html.count("Donnez votre avis sur ce module") == 3
    survey_queries = [q for q in three.captured_queries if "surveys_surveyinvitation" in q["sql"]]
    assert len(survey_queries) == 1
    one_sql = [q["sql"][:120] for q in one.captured_queries]
    three_sql = [q["sql"][:120] for q in three.captured_queries]
    assert three_sql == one_sql
