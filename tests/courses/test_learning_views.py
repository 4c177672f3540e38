"""Learner views: POST-only actions, scoping to the user, no answers before grading."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from accounts import roles
from courses.models import AttemptAnswer, LessonProgress, ModuleCompletion, QuizAttempt
from courses.modules import services
from tests.conftest import make_user

from .factories import build_module
from .learning_helpers import (
    all_secret_texts,
    answers_post,
    finish_lessons,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


@pytest.fixture
def ready_quiz(learner):
    """A module whose lessons are done: (module, quiz)."""
    module, lessons, quiz = build_module(max_attempts=3)
    finish_lessons(learner, lessons)
    return module, quiz


@pytest.fixture
def attempt(learner, ready_quiz):
    return services.start_attempt(learner, ready_quiz[1])


def attempt_url(name, attempt):
    return reverse(f"courses:{name}", args=[attempt.pk])


def page_text(response):
    return html_lib.unescape(response.content.decode())


def assert_no_secret(html, attempt):
    html = html_lib.unescape(html)
    for text in all_secret_texts(attempt):
        visible = re.sub(r"<[^>]+>", "", text).strip()
        assert visible not in html
    assert "correct" not in html.lower()
    assert "explication" not in html.lower()


# --- Actions -----------------------------------------------------------------------------


def test_actions_refuse_get(client, learner, attempt):
    module = attempt.module
    for url in [
        reverse("courses:start_module", args=[module.pk]),
        reverse("courses:start_quiz", args=[module.pk]),
        attempt_url("save_answers", attempt),
        attempt_url("submit_attempt", attempt),
    ]:
        assert client.get(url).status_code == 405


def test_actions_need_login(client, professional):
    module, _, _ = build_module()
    response = client.post(reverse("courses:start_module", args=[module.pk]))
    assert response.status_code == 302 and "/comptes/" in response.url


def test_start_module_enrols_and_goes_to_the_first_lesson(client, learner):
    module, (first, _), _ = build_module()
    response = client.post(reverse("courses:start_module", args=[module.pk]))
    assert response.status_code == 302
    assert response.url == first.url
    assert learner.enrolments.filter(module=module).exists()


def test_complete_lesson_goes_to_the_next_step(client, learner):
    _, (first, second), _ = build_module()
    response = client.post(reverse("courses:complete_lesson", args=[first.pk]))
    assert response.url == second.url
    assert LessonProgress.objects.get(lesson=first).completed_at is not None


def test_complete_lesson_of_unpublished_module_is_refused(client, learner):
    module, (lesson, _), _ = build_module()
    module.unpublish()
    response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_complete_locked_lesson_is_refused(client, learner):
    _module, (_, second), _ = build_module(pathway_mode="sequential")
    response = client.post(reverse("courses:complete_lesson", args=[second.pk]), follow=True)
    assert "Cette leçon s'ouvrira" in page_text(response)
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_quiz_refused_before_lessons_are_done(client, learner):
    module, _, _ = build_module()
    response = client.post(reverse("courses:start_quiz", args=[module.pk]), follow=True)
    assert "Terminez toutes les leçons" in page_text(response)
    assert not QuizAttempt.objects.exists()


# --- Nothing secret before « Valider » ------------------------------------------------------


def test_no_answer_key_before_submission(client, learner, ready_quiz):
    module, _ = ready_quiz
    landing = client.get(reverse("courses:quiz", args=[module.pk]))
    start = client.post(reverse("courses:start_quiz", args=[module.pk]))
    attempt = QuizAttempt.objects.get()
    assert start.url == attempt_url("attempt", attempt)
    page = client.get(start.url)
    assert page.status_code == 200
    question = attempt.questions[0]
    saved = client.post(
        attempt_url("save_answers", attempt),
        answers_post({question["id"]: [question["choices"][0]["id"]]}),
        headers={"accept": "application/json"},
    )
    assert saved.json() == {"ok": True, "saved": [question["id"]]}
    reloaded = client.get(start.url)
    for response in (landing, page, saved, reloaded):
        assert_no_secret(response.content.decode(), attempt)
    # The questions and choice texts are there, with the saved answer ticked.
    html = page_text(reloaded)
    assert all(q["prompt"] in html for q in attempt.questions)
    assert f'value="{question["choices"][0]["id"]}" checked' in html


def test_script_in_prompt_is_escaped(client, learner):
    from .factories import ModulePageFactory, QuizPageFactory, single_choice

    module = ModulePageFactory()
    QuizPageFactory(parent=module, questions=[single_choice(prompt="<script>alert(1)</script>")])
    client.post(reverse("courses:start_quiz", args=[module.pk]))
    html = client.get(attempt_url("attempt", QuizAttempt.objects.get())).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", ["unknown", "other_question", "duplicated", "several_on_single", "unknown_question"]
)
@pytest.mark.parametrize("action", ["save_answers", "submit_attempt"])
def test_bad_choice_ids_are_a_400_and_store_nothing(client, attempt, case, action):
    single = next(q for q in attempt.questions if q["kind"] == "single_choice")
    multiple = next(q for q in attempt.questions if q["kind"] == "multiple_choice")
    data = {
        "unknown": {"question": [single["id"]], f"q-{single['id']}": ["nope"]},
        "other_question": {
            "question": [single["id"]],
            f"q-{single['id']}": [multiple["choices"][0]["id"]],
        },
        "duplicated": {
            "question": [multiple["id"]],
            f"q-{multiple['id']}": [multiple["choices"][0]["id"]] * 2,
        },
        "several_on_single": {
            "question": [single["id"]],
            f"q-{single['id']}": [c["id"] for c in single["choices"][:2]],
        },
        "unknown_question": {"question": ["autre"], "q-autre": [single["choices"][0]["id"]]},
    }[case]
    response = client.post(attempt_url(action, attempt), data)
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in page_text(response) or case == "unknown_question"
    assert not AttemptAnswer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_choice_id_of_another_attempt_is_refused(client, learner, attempt, django_user_model):
    other = make_user(django_user_model, "autre@example.org", roles.PROFESSIONNEL)
    finish_lessons(other, services.module_lessons(attempt.module))
    their_attempt = services.start_attempt(other, attempt.quiz)
    # Same quiz, so same question ids; the choice ids of the same stream are shared too,
    # hence use a question id of this attempt with an id made up for the other one.
    question = attempt.questions[0]
    response = client.post(
        attempt_url("save_answers", attempt),
        {"question": [question["id"]], f"q-{question['id']}": [f"{their_attempt.pk}-x"]},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_choice"
    assert not AttemptAnswer.objects.exists()


# --- Submit, replay, result -------------------------------------------------------------------


def test_posted_score_and_passed_are_ignored(client, attempt):
    data = answers_post(wrong_answers(attempt)) | {"score": "100", "passed": "true"}
    client.post(attempt_url("submit_attempt", attempt), data)
    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.passed is False


def test_double_submit_and_replay_show_one_result(client, attempt):
    url = attempt_url("submit_attempt", attempt)
    first = client.post(url, answers_post(wrong_answers(attempt)))
    replay = client.post(url, answers_post(right_answers(attempt)))
    back = client.get(attempt_url("attempt", attempt))
    result = attempt_url("attempt_result", attempt)
    assert first.url == replay.url == back.url == result
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert QuizAttempt.objects.count() == 1


def test_submit_without_every_answer_keeps_the_attempt_open(client, attempt):
    question = attempt.questions[0]
    response = client.post(
        attempt_url("submit_attempt", attempt), answers_post({question["id"]: []}), follow=True
    )
    assert "Répondez à toutes les questions" in page_text(response)
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_failed_result_shows_feedback_but_not_the_key(client, attempt):
    client.post(attempt_url("submit_attempt", attempt), answers_post(wrong_answers(attempt)))
    html = page_text(client.get(attempt_url("attempt_result", attempt)))
    assert "Quiz non réussi" in html
    for question in attempt.questions:
        chosen = next(c for c in question["choices"] if not c["correct"])
        assert chosen["feedback"] in html
    assert "réponse attendue" not in html
    assert "Commencer une nouvelle tentative" in html


def test_key_revealed_when_no_attempt_is_left(client, learner):
    _module, lessons, quiz = build_module(max_attempts=1)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    client.post(attempt_url("submit_attempt", attempt), answers_post(wrong_answers(attempt)))
    html = page_text(client.get(attempt_url("attempt_result", attempt)))
    assert "réponse attendue" in html
    assert "Commencer une nouvelle tentative" not in html


def test_passing_completes_the_module(client, learner, attempt):
    response = client.post(
        attempt_url("submit_attempt", attempt), answers_post(right_answers(attempt)), follow=True
    )
    assert "Quiz réussi" in page_text(response)
    assert ModuleCompletion.objects.filter(user=learner, module=attempt.module).exists()
    html = page_text(client.get(reverse("courses:dashboard")))
    assert attempt.module.title in html and "100 %" in html


# --- Someone else's records --------------------------------------------------------------------


def test_another_users_attempt_is_a_404(client, attempt, django_user_model):
    intruder = make_user(django_user_model, "intrus@example.org", roles.PROFESSIONNEL)
    client.force_login(intruder)
    assert client.get(attempt_url("attempt", attempt)).status_code == 404
    assert client.get(attempt_url("attempt_result", attempt)).status_code == 404
    data = answers_post(right_answers(attempt))
    assert client.post(attempt_url("save_answers", attempt), data).status_code == 404
    assert client.post(attempt_url("submit_attempt", attempt), data).status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "in_progress" and not AttemptAnswer.objects.exists()


# --- Query ceilings -----------------------------------------------------------------------------


# Measured once the shell's content cache is warm (the first request after content
# changes rebuilds it, a handful of queries more): the learner's rows, and the site
# (for page URLs) on these non-Wagtail views.
QUIZ_PAGE_CEILING = 9
ATTEMPT_PAGE_CEILING = 4
RESULT_PAGE_CEILING = 5
DASHBOARD_CEILING = 11  # the certificates and surveys sections (their apps) included


def test_quiz_landing_queries_do_not_grow(client, learner, django_assert_max_num_queries):
    counts = []
    for lessons in (2, 6):
        module, pages, quiz = build_module(lessons=lessons, max_attempts=0)
        finish_lessons(learner, pages)
        for _ in range(lessons):
            attempt = services.start_attempt(learner, quiz)
            services.submit_attempt(learner, attempt, wrong_answers(attempt))
        client.get(reverse("courses:quiz", args=[module.pk]))
        with django_assert_max_num_queries(QUIZ_PAGE_CEILING) as captured:
            assert client.get(reverse("courses:quiz", args=[module.pk])).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_quiz_page_queries_do_not_grow(client, learner, attempt, django_assert_max_num_queries):
    services.save_answers(learner, attempt, right_answers(attempt))
    client.get(attempt_url("attempt", attempt))
    with django_assert_max_num_queries(ATTEMPT_PAGE_CEILING):
        assert client.get(attempt_url("attempt", attempt)).status_code == 200


def test_result_page_queries_do_not_grow(client, learner, attempt, django_assert_max_num_queries):
    services.submit_attempt(learner, attempt, wrong_answers(attempt))
    client.get(attempt_url("attempt_result", attempt))
    with django_assert_max_num_queries(RESULT_PAGE_CEILING):
        assert client.get(attempt_url("attempt_result", attempt)).status_code == 200


def _dashboard_data(user, modules):
    for _ in range(modules):
        _module, lessons, quiz = build_module(lessons=3, max_attempts=0)
        finish_lessons(user, lessons)
        attempt = services.start_attempt(user, quiz)
        services.submit_attempt(user, attempt, wrong_answers(attempt))
        services.start_attempt(user, quiz)
        _other, (lesson, _, _), _ = build_module(lessons=3)
        services.complete_lesson(user, lesson)


@pytest.mark.parametrize("modules", [1, 5])
def test_dashboard_queries_are_constant(client, learner, modules, django_assert_max_num_queries):
    _dashboard_data(learner, modules)
    client.get(reverse("courses:dashboard"))
    with django_assert_max_num_queries(DASHBOARD_CEILING):
        response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200
    assert page_text(response).count("Reprendre<span") == 2 * modules


# --- Wording: plurals, and what a passed quiz means ---------------------------------------


def test_the_attempt_counts_answers_and_questions_each_with_its_own_plural(client, attempt):
    """Not « 1 réponses enregistrées sur 9 questions »: each number has its plural."""
    total = len(attempt.questions)
    html = page_text(client.get(attempt_url("attempt", attempt)))
    assert f"0 réponse enregistrée sur {total} questions." in html

    first = attempt.questions[0]
    choice = first["choices"][0]["id"]
    client.post(attempt_url("save_answers", attempt), answers_post({first["id"]: [choice]}))
    html = page_text(client.get(attempt_url("attempt", attempt)))
    assert f"1 réponse enregistrée sur {total} questions." in html


def test_a_failed_result_counts_right_answers_in_french(client, attempt):
    client.post(attempt_url("submit_attempt", attempt), answers_post(wrong_answers(attempt)))
    html = page_text(client.get(attempt_url("attempt_result", attempt)))
    assert f"(0 bonne réponse sur {len(attempt.questions)} questions)" in html
    assert "(s)" not in html


def test_a_passed_quiz_says_the_module_is_complete_and_where_the_certificate_is(
    client, learner, attempt
):
    client.post(attempt_url("submit_attempt", attempt), answers_post(right_answers(attempt)))
    html = page_text(client.get(attempt_url("attempt_result", attempt)))

    certificate = learner.certificates.get()
    assert f"Vous avez terminé le module « {attempt.module.title} »." in html
    assert f"attestation de fin de formation n° {certificate.number} est délivrée" in html
    assert f'href="{reverse("certificates:list")}"' in html
    assert "Le module est terminé quand toutes ses leçons le sont" not in html
    total = len(attempt.questions)
    assert f"({total} bonnes réponses sur {total} questions)" in html


def test_a_passed_result_page_stays_within_its_query_budget(
    client, learner, attempt, django_assert_max_num_queries
):
    services.submit_attempt(learner, attempt, right_answers(attempt))
    client.get(attempt_url("attempt_result", attempt))
    # The completion, the certificate and the open questionnaire (surveys): three
    # queries more than a failed attempt.
    with django_assert_max_num_queries(RESULT_PAGE_CEILING + 3):
        assert client.get(attempt_url("attempt_result", attempt)).status_code == 200
