"""A module without a (live) quiz is completed by its lessons: no score, no attempt."""

import html

import pytest
from django.urls import reverse

from courses.models import ModuleCompletion
from courses.modules import services
from courses.modules.errors import CourseError
from courses.modules.signals import module_completed

from .factories import LessonPageFactory, ModulePageFactory, QuizPageFactory, build_module
from .learning_helpers import finish_lessons, right_answers

pytestmark = pytest.mark.django_db


def module_without_quiz(lessons=2, **fields):
    module = ModulePageFactory(**fields)
    return module, [LessonPageFactory(parent=module) for _ in range(lessons)]


@pytest.fixture
def completions():
    """The completions `module_completed` announces, in order."""
    received = []

    def receiver(sender, completion, **kwargs):
        received.append(completion)

    module_completed.connect(receiver)
    yield received
    module_completed.disconnect(receiver)


def text(response):
    return html.unescape(response.content.decode())


# --- Services ------------------------------------------------------------------------------


def test_last_lesson_completes_the_module_once(professional, completions):
    module, (first, second) = module_without_quiz()
    services.complete_lesson(professional, first)
    assert not ModuleCompletion.objects.exists()
    services.complete_lesson(professional, second)
    services.complete_lesson(professional, second)  # replayed « terminé »
    services.complete_module(professional, module)
    completion = ModuleCompletion.objects.get()
    assert completion.module == module and completion.user == professional
    assert completion.score is None and completion.attempt is None
    assert completions == [completion]


def test_progress_reaches_100_without_a_quiz_step(professional):
    module, lessons = module_without_quiz(lessons=3)
    services.complete_lesson(professional, lessons[0])
    progress = services.module_progress(professional, module)
    assert progress.total_steps == 3 and progress.percentage == 33
    finish_lessons(professional, lessons[1:])
    progress = services.module_progress(professional, module)
    assert progress.completion is not None and progress.percentage == 100
    assert progress.next_step is None


def test_a_module_without_lessons_nor_quiz_is_never_completed(professional):
    module = ModulePageFactory()
    with pytest.raises(CourseError) as excinfo:
        services.complete_module(professional, module)
    assert excinfo.value.code == "module_incomplete"
    services.start_module(professional, module)
    assert not ModuleCompletion.objects.exists()


def test_unfinished_lessons_still_block_the_completion(professional):
    module, (first, _) = module_without_quiz()
    services.complete_lesson(professional, first)
    with pytest.raises(CourseError) as excinfo:
        services.complete_module(professional, module)
    assert excinfo.value.code == "module_incomplete"


def test_a_module_with_a_quiz_still_needs_it(professional):
    module, lessons, _quiz = build_module()
    finish_lessons(professional, lessons)
    assert not ModuleCompletion.objects.exists()
    with pytest.raises(CourseError) as excinfo:
        services.complete_module(professional, module)
    assert excinfo.value.code == "module_incomplete"


def test_quiz_withdrawn_after_the_last_lesson(professional, completions):
    """Nothing else would complete it: resuming the module does."""
    module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    quiz.unpublish()
    progress = services.module_progress(professional, module)
    assert progress.completable
    services.start_module(professional, module)
    completion = ModuleCompletion.objects.get()
    assert completion.score is None and completions == [completion]


def test_a_passed_attempt_keeps_its_score_if_the_quiz_is_withdrawn(professional):
    module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, right_answers(attempt))
    ModuleCompletion.objects.all().delete()
    quiz.unpublish()
    completion = services.complete_module(professional, module)
    assert completion.score == 100 and completion.attempt == attempt


def test_a_quiz_published_after_the_completion_does_not_undo_it(professional):
    module, lessons = module_without_quiz()
    finish_lessons(professional, lessons)
    QuizPageFactory(parent=module)
    progress = services.module_progress(professional, module)
    assert progress.completion is not None and progress.percentage == 100
    assert progress.next_step is None


# --- Pages -----------------------------------------------------------------------------------


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


def test_last_lesson_leads_to_the_completed_module(client, learner):
    module, (first, second) = module_without_quiz()
    client.post(reverse("courses:complete_lesson", args=[first.pk]))
    response = client.post(reverse("courses:complete_lesson", args=[second.pk]))
    assert response.status_code == 302 and response.url == module.url
    page = text(client.get(module.url))
    assert "Module terminé le" in page
    assert "au quiz" not in page
    assert reverse("courses:start_module", args=[module.pk]) not in page


def test_lesson_page_shows_the_module_done(client, learner):
    _module, lessons = module_without_quiz()
    finish_lessons(learner, lessons)
    page = text(client.get(lessons[0].url))
    assert "100 % du module réalisé" in page
    assert "Le quiz final" not in page


def test_dashboard_lists_it_among_completed_modules(client, learner):
    _module, lessons = module_without_quiz(title="Module sans quiz")
    finish_lessons(learner, lessons)
    page = text(client.get(reverse("courses:dashboard")))
    completed = page.split("Modules terminés")[1]
    assert "Module sans quiz" in completed and "Sans quiz" in completed
    in_progress = page.split("Modules en cours")[1].split("Modules terminés")[0]
    assert "Module sans quiz" not in in_progress


def test_module_page_offers_to_validate_once_the_quiz_is_withdrawn(client, learner):
    module, lessons, quiz = build_module()
    finish_lessons(learner, lessons)
    quiz.unpublish()
    page = text(client.get(module.url))
    assert "Valider le module" in page
    response = client.post(reverse("courses:start_module", args=[module.pk]))
    assert response.status_code == 302
    assert "Module terminé le" in text(client.get(module.url))
    assert ModuleCompletion.objects.get().score is None
