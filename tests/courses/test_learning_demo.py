"""Demo content: the demo professional has one module half done, loaded idempotently."""

import io

import pytest
from django.core.management import call_command

from courses.models import LessonProgress, ModulePage
from courses.modules import services
from demo.progress import DEMO_LEARNER, DEMO_MODULE_SLUG

pytestmark = pytest.mark.django_db


def test_demo_professional_has_one_module_half_done(django_user_model):
    call_command("load_demo", "--force", stdout=io.StringIO())
    call_command("load_demo", "--force", stdout=io.StringIO())
    learner = django_user_model.objects.get(email=DEMO_LEARNER)
    module = ModulePage.objects.get(slug=DEMO_MODULE_SLUG)
    progress = services.module_progress(learner, module)
    assert len(progress.completed_ids) == len(progress.lessons) // 2 > 0
    assert 0 < progress.percentage < 100
    assert progress.next_step == progress.lessons[len(progress.lessons) // 2]
    assert LessonProgress.objects.filter(user=learner, time_spent_seconds__gt=0).exists()
    dashboard = services.learner_dashboard(learner)
    assert [item.module.pk for item in dashboard.in_progress] == [module.pk]


def test_demo_quiz_choices_keep_their_ids_from_one_read_to_the_next():
    """Answers record choice ids: they must be stored, not made up at each read."""
    from django.core.management import call_command

    from courses.models import QuizPage

    def choice_ids(quiz):
        return [
            [item.id for item in block.value["choices"].bound_blocks]
            for block in quiz.questions
            if "choices" in block.value
        ]

    call_command("load_demo", "--force", verbosity=0)
    quiz = QuizPage.objects.live().first()
    first = choice_ids(quiz)
    assert first and all(all(ids) for ids in first)
    assert choice_ids(QuizPage.objects.get(pk=quiz.pk)) == first


def test_the_demo_quiz_says_once_that_answers_are_saved(client, professional):
    from courses.models import QuizPage

    call_command("load_demo", stdout=io.StringIO())
    client.force_login(professional)
    for quiz in QuizPage.objects.live():
        module = quiz.get_parent().specific
        html = client.get(module.quiz_url()).content.decode()
        assert html.count("enregistrées au fur et à mesure") == 1, module.title
