"""axe-core on every courses page type: index, module, lesson, quiz, result, « Mon espace »."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import ModulePage
from courses.modules import services
from demo.progress import DEMO_MODULE_SLUG
from tests.browser.axe import assert_accessible
from tests.courses.learning_helpers import finish_lessons, wrong_answers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_module():
    call_command("load_demo", "--force", verbosity=0)
    return ModulePage.objects.get(slug=DEMO_MODULE_SLUG)


def test_module_index_and_module_are_accessible(page, live_server, demo_module):
    for path in ["/formations/", demo_module.url]:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_learner_pages_are_accessible(page, live_server, logged_in, professional, demo_module):
    logged_in(professional)
    lessons = services.module_lessons(demo_module)
    services.complete_lesson(professional, lessons[0])
    for path in [demo_module.url, lessons[1].url, reverse("courses:dashboard")]:
        page.goto(live_server.url + path)
        assert_accessible(page)

    finish_lessons(professional, lessons)
    quiz_url = reverse("courses:quiz", args=[demo_module.pk])
    page.goto(live_server.url + quiz_url)
    assert_accessible(page)
    page.get_by_role("button", name="Commencer le quiz").click()
    page.get_by_role("button", name="Valider mes réponses").wait_for()
    assert_accessible(page)

    attempt = services.start_attempt(professional, services.module_quiz(demo_module))
    services.submit_attempt(professional, attempt, wrong_answers(attempt))
    page.goto(live_server.url + reverse("courses:attempt_result", args=[attempt.pk]))
    assert_accessible(page)
    page.goto(live_server.url + reverse("courses:dashboard"))
    assert_accessible(page)
