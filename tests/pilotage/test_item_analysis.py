"""Item analysis of a quiz: hand-counted figures, small cells, edited questions, the
backfill of older attempts, who may open the admin page, constant query counts."""

import datetime
import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse
from django.utils import timezone

from courses.models import AttemptAnswer, AttemptChoice
from courses.modules import services
from courses.modules.item_analysis import quiz_item_analysis
from courses.setup import ensure_course_setup
from tests.conftest import make_user
from tests.courses.factories import build_module, choice, single_choice, true_false
from tests.guides.factories import PublisherFactory

pytestmark = pytest.mark.django_db

Q1, Q2 = "q1-id", "q2-id"
A, B, C = "choice-a", "choice-b", "choice-c"


def bank(prompt="Qui est la victime ?"):
    return [
        single_choice(
            prompt=prompt,
            choices=[
                choice("Le ou la mineur·e", True, id=A),
                choice("Personne", False, id=B),
                choice("Le client", False, id=C),
            ],
            id=Q1,
        ),
        true_false(prompt="Le consentement excuse le client.", answer=False, id=Q2),
    ]


@pytest.fixture
def quiz_module(db):
    publisher = PublisherFactory(name="Observatoire")
    module, _lessons, quiz = build_module(lessons=0, publisher=publisher)
    quiz.questions = bank()
    quiz.save()
    return module, quiz


def learners(django_user_model, count, start=0):
    return [
        make_user(django_user_model, f"learner{start + n}@example.org", mfa=False)
        for n in range(count)
    ]


def answer(user, quiz, q1, q2, when=None):
    attempt = services.start_attempt(user, quiz)
    return services.submit_attempt(user, attempt, {Q1: [q1], Q2: [f"{Q2}-{q2}"]}, now=when)


def today_period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


@pytest.fixture
def eight_answers(quiz_module, django_user_model):
    """Q1: A ×2 (right), B ×5, C ×1. Q2 (« faux » is right): vrai ×6, faux ×2."""
    _module, quiz = quiz_module
    people = learners(django_user_model, 8)
    picks = [A, A, B, B, B, B, B, C]
    for number, (person, q1) in enumerate(zip(people, picks, strict=True)):
        answer(person, quiz, q1, "vrai" if number < 6 else "faux")
    return quiz


def by_id(analysis):
    return {question.question_id: question for question in analysis.questions}


def test_hand_counted_figures(eight_answers):
    questions = by_id(quiz_item_analysis(eight_answers, *today_period()))

    q1 = questions[Q1]
    assert (q1.answers, q1.right, q1.people, q1.right_percent) == (8, 2, 8, 25)
    wrong = {c.choice_id: c for c in q1.wrong_choices}
    assert set(wrong) == {B, C}  # the right choice is not listed
    assert (wrong[B].picked, wrong[B].percent, wrong[B].hidden) == (5, 62, False)
    assert (wrong[C].picked, wrong[C].hidden, wrong[C].percent) == (1, True, None)

    q2 = questions[Q2]
    assert (q2.answers, q2.right, q2.right_percent) == (8, 2, 25)
    (vrai,) = q2.wrong_choices
    assert (vrai.choice_id, vrai.text, vrai.picked, vrai.percent) == (f"{Q2}-vrai", "Vrai", 6, 75)


def test_grading_rows_are_written_once_at_submission(quiz_module, django_user_model):
    _module, quiz = quiz_module
    (person,) = learners(django_user_model, 1)
    attempt = answer(person, quiz, B, "faux")
    services.submit_attempt(person, attempt)  # a replay changes nothing

    assert dict(AttemptAnswer.objects.values_list("question_id", "is_correct")) == {
        Q1: False,
        Q2: True,
    }
    assert sorted(AttemptChoice.objects.values_list("question_id", "choice_id", "is_correct")) == [
        (Q1, B, False),
        (Q2, f"{Q2}-faux", True),
    ]


def test_fewer_than_five_people_hide_the_figures(quiz_module, django_user_model):
    _module, quiz = quiz_module
    for person in learners(django_user_model, 4):
        answer(person, quiz, B, "vrai")

    q1 = by_id(quiz_item_analysis(quiz, *today_period()))[Q1]
    assert q1.hidden and q1.right_percent is None
    wrong = {c.choice_id: c for c in q1.wrong_choices}
    assert wrong[B].hidden and wrong[B].percent is None  # 4 people
    assert (wrong[C].picked, wrong[C].hidden) == (0, False)  # nobody: 0 names no one


def test_several_attempts_of_one_person_stay_one_person(quiz_module, django_user_model):
    _module, quiz = quiz_module
    (person,) = learners(django_user_model, 1)
    for _ in range(3):
        answer(person, quiz, B, "vrai")

    q1 = by_id(quiz_item_analysis(quiz, *today_period()))[Q1]
    assert (q1.answers, q1.people, q1.hidden) == (3, 1, True)


def test_the_period_counts_submission_dates(quiz_module, django_user_model):
    _module, quiz = quiz_module
    old = timezone.now() - datetime.timedelta(days=400)
    for person in learners(django_user_model, 5):
        answer(person, quiz, B, "vrai", when=old)

    assert quiz_item_analysis(quiz, *today_period()).questions == []
    day = timezone.localdate(old)
    assert by_id(quiz_item_analysis(quiz, day, day))[Q1].answers == 5


def test_an_edited_question_keeps_its_history_under_its_latest_wording(
    quiz_module, django_user_model
):
    _module, quiz = quiz_module
    first, later = learners(django_user_model, 3), learners(django_user_model, 3, start=10)
    for person in first:
        answer(person, quiz, B, "vrai")
    quiz.questions = bank(prompt="Qui est victime, selon la loi ?")
    quiz.save()
    for person in later:
        answer(person, quiz, B, "vrai")

    q1 = by_id(quiz_item_analysis(quiz, *today_period()))[Q1]
    assert (q1.prompt, q1.answers, q1.people) == ("Qui est victime, selon la loi ?", 6, 6)
    assert {c.choice_id: c.picked for c in q1.wrong_choices} == {B: 6, C: 0}


def test_a_removed_question_is_listed_last(eight_answers):
    eight_answers.questions = bank()[1:]
    eight_answers.save()

    analysis = quiz_item_analysis(eight_answers, *today_period())
    assert [(q.question_id, q.in_quiz) for q in analysis.questions] == [(Q2, True), (Q1, False)]


def test_queries_do_not_grow_with_attempts(
    quiz_module, django_user_model, django_assert_num_queries
):
    _module, quiz = quiz_module
    for person in learners(django_user_model, 2):
        answer(person, quiz, B, "vrai")
    with django_assert_num_queries(3):
        quiz_item_analysis(quiz, *today_period())
    for person in learners(django_user_model, 6, start=10):
        answer(person, quiz, C, "faux")
    with django_assert_num_queries(3):
        quiz_item_analysis(quiz, *today_period())


def test_the_migration_backfills_older_attempts(eight_answers):
    AttemptChoice.objects.all().delete()
    AttemptAnswer.objects.update(is_correct=None)
    migration = importlib.import_module("courses.migrations.0006_backfill_item_analysis_rows")

    migration.backfill(global_apps, None)
    migration.backfill(global_apps, None)  # idempotent

    assert AttemptChoice.objects.count() == 16
    assert AttemptAnswer.objects.filter(is_correct=True).count() == 4
    q1 = by_id(quiz_item_analysis(eight_answers, *today_period()))[Q1]
    assert (q1.right, {c.choice_id: c.picked for c in q1.wrong_choices}) == (2, {B: 5, C: 1})


# --- The admin page ---------------------------------------------------------------------


def url(quiz):
    return reverse("pilotage:item_analysis:quiz", args=[quiz.pk])


def test_coordination_sees_every_quiz(client, coordinator, eight_answers):
    client.force_login(coordinator)
    response = client.get(url(eight_answers))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Qui est la victime ?" in html
    assert "25 %" in html and "62 %" in html and "&lt; 5" in html


def test_an_editor_sees_the_quizzes_of_their_publishers_only(client, editor, eight_answers):
    client.force_login(editor)
    assert client.get(url(eight_answers)).status_code == 404
    eight_answers.get_parent().specific.publisher.members.add(editor)
    assert client.get(url(eight_answers)).status_code == 200


def test_other_publishers_and_other_pages_are_404(client, editor, quiz_module):
    module, quiz = quiz_module
    PublisherFactory(name="Amicale").members.add(editor)
    client.force_login(editor)
    assert client.get(url(quiz)).status_code == 404
    assert client.get(reverse("pilotage:item_analysis:quiz", args=[module.pk])).status_code == 404
    assert client.get(reverse("pilotage:item_analysis:quiz", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [{"start": "nimporte"}, {"start": "2026-05-01", "end": "2026-01-01"}, {"end": "9999-12-31"}],
)
def test_bad_periods_are_reported_never_a_500(client, coordinator, eight_answers, query):
    client.force_login(coordinator)
    response = client.get(url(eight_answers), query)
    assert response.status_code == 200
    assert "Période invalide" in response.content.decode()
    assert "25 %" in response.content.decode()  # the default period's figures


def test_the_quiz_edit_view_links_to_the_analysis(client, coordinator, editor, eight_answers):
    ensure_course_setup(eight_answers.get_parent().get_parent())  # page permissions
    client.force_login(coordinator)
    edit = reverse("wagtailadmin_pages:edit", args=[eight_answers.pk])
    assert url(eight_answers) in client.get(edit).content.decode()
    client.force_login(editor)  # not a member: no button (and 404 behind it)
    response = client.get(edit)
    assert response.status_code == 200
    assert url(eight_answers) not in response.content.decode()


def test_page_queries_do_not_grow(
    client, coordinator, quiz_module, django_user_model, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _module, quiz = quiz_module
    client.force_login(coordinator)
    for person in learners(django_user_model, 5):
        answer(person, quiz, B, "vrai")
    client.get(url(quiz))
    with CaptureQueriesContext(connection) as few:
        client.get(url(quiz))
    for person in learners(django_user_model, 10, start=20):
        answer(person, quiz, C, "faux")
    client.get(url(quiz))  # the session's periodic checks (MFA) run again after a while
    with CaptureQueriesContext(connection) as many:
        client.get(url(quiz))
    assert len(few) == len(many)
