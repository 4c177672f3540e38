"""The learning slots on Wagtail pages: module actions, lesson visit and completion."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import LessonPage, LessonProgress
from courses.modules import services

from .factories import LessonPageFactory, build_module
from .learning_helpers import finish_lessons, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


def text(response):
    return html.unescape(response.content.decode())


def test_module_page_offers_to_start_then_to_resume(client, learner):
    module, (first, second), _ = build_module()
    page = text(client.get(module.url))
    assert reverse("courses:start_module", args=[module.pk]) in page
    services.complete_lesson(learner, first)
    page = text(client.get(module.url))
    assert "Reprendre le module" in page and second.title in page
    assert "33 % du module réalisé" in page


def test_opening_a_lesson_records_the_visit(client, learner):
    _, (lesson, _), _ = build_module()
    response = client.get(lesson.url)
    assert response.status_code == 200
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.visits == 1 and progress.completed_at is None
    assert reverse("courses:complete_lesson", args=[lesson.pk]) in text(response)
    client.get(lesson.url)
    progress.refresh_from_db()
    assert progress.visits == 2


def test_lesson_page_needs_login(client):
    _, (lesson, _), _ = build_module()
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert not LessonProgress.objects.exists()


def test_locked_lesson_says_so_and_keeps_its_text_closed(client, learner):
    _, (first, second), _ = build_module(pathway_mode="sequential")
    page = text(client.get(second.url))
    assert "Cette leçon s'ouvrira" in page
    assert reverse("courses:complete_lesson", args=[second.pk]) not in page
    assert first.title in page
    assert 'class="lesson__body' not in page
    # Once the previous lesson is done, the text opens.
    services.complete_lesson(learner, first)
    assert 'class="lesson__body' in text(client.get(second.url))


def test_completed_module_shows_on_its_page(client, learner):
    module, lessons, quiz = build_module()
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, right_answers(attempt))
    page = text(client.get(module.url))
    assert "Module terminé le" in page and "100 %" in page


def test_quiz_page_url_leads_to_the_learning_quiz(client, learner):
    module, _, quiz = build_module()
    response = client.get(quiz.url)
    assert response.status_code == 302
    assert response.url == reverse("courses:quiz", args=[module.pk])


# Site, routing, module outline, lesson text and shell come from the content cache
# (core/content_cache.py). What is left: the user (the session is cached too), the
# visit write (a savepoint, the learner's rows read and locked, one update), whether
# the quiz is passed, and the completion once it can exist; the enrolment's last
# activity (dropout follow-up, one UPDATE).
LESSON_PAGE_CEILING = 8
# The first visit after a publication rebuilds the cached parts: still constant.
LESSON_PAGE_AFTER_PUBLISH_CEILING = 19


def test_lesson_page_queries_do_not_grow(client, learner, django_assert_max_num_queries):
    counts = []
    for lessons in (2, 8):
        _module, pages, _ = build_module(lessons=lessons)
        finish_lessons(learner, pages[:-1])
        lesson = LessonPage.objects.get(pk=pages[-1].pk)
        client.get(lesson.url)  # first visit: the enrolment and progress rows exist afterwards
        with django_assert_max_num_queries(LESSON_PAGE_CEILING) as captured:
            assert client.get(lesson.url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_lesson_page_of_a_completed_module_stays_under_the_ceiling(
    client, learner, django_assert_max_num_queries
):
    _module, lessons, quiz = build_module(lessons=3)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, right_answers(attempt))
    client.get(lessons[0].url)
    with django_assert_max_num_queries(LESSON_PAGE_CEILING):
        page = text(client.get(lessons[0].url))
    assert "100 % du module réalisé" in page


def test_first_visit_after_a_publication_does_not_grow_with_lessons(client, learner):
    counts = []
    for lessons in (2, 8):
        _module, pages, _ = build_module(lessons=lessons)
        client.get(pages[-1].url)
        pages[-1].save_revision().publish()  # drops the content cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(pages[-1].url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= LESSON_PAGE_AFTER_PUBLISH_CEILING, counts


def test_lesson_added_after_completion_does_not_undo_it(client, learner):
    module, lessons, quiz = build_module()
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, right_answers(attempt))
    LessonPageFactory(parent=module)
    assert services.module_progress(learner, module).percentage == 100
