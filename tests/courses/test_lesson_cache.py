"""The lesson page is served from the content cache: what editors publish shows at the
next visit, what is personal never comes from the cache, and a visit is still a write."""

import html

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from accounts import roles
from courses.models import LessonPage, LessonProgress
from courses.modules import services
from tests.conftest import make_user
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory

from .factories import LessonPageFactory, build_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_guide():
    return GuidePageFactory(parent=GuideIndexPageFactory(), title="Repérer les signes")


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def paragraph(body_text):
    return [{"type": "paragraph", "value": f"<p>{body_text}</p>"}]


def test_a_published_revision_shows_at_the_next_visit(client, learner):
    _module, (lesson, _), _ = build_module()
    assert "Le contenu de la leçon." in text(client.get(lesson.url))
    lesson.title = "Nouveau titre"
    lesson.body = paragraph("Texte révisé.")
    lesson.save_revision().publish()
    page = text(client.get(lesson.url))
    assert "<h1>Nouveau titre</h1>" in page and "Texte révisé." in page
    assert "Le contenu de la leçon." not in page


def test_a_draft_never_reaches_learners(client, learner):
    _module, (lesson, _), _ = build_module()
    client.get(lesson.url)
    lesson.body = paragraph("Brouillon en cours.")
    lesson.save_revision()
    assert "Brouillon en cours." not in text(client.get(lesson.url))


def test_preview_shows_the_draft_and_leaves_the_live_page_alone(client, learner):
    _module, (lesson, _), _ = build_module()
    client.get(lesson.url)  # the live body is cached
    draft = LessonPage.objects.get(pk=lesson.pk)
    draft.body = paragraph("Version en relecture.")
    request = RequestFactory().get(lesson.url)
    request.user = learner
    request.session = client.session
    request.is_preview = True  # as Wagtail's preview request sets it
    preview = draft.serve_preview(request, draft.default_preview_mode)
    assert "Version en relecture." in preview.render().content.decode()
    assert "Version en relecture." not in text(client.get(lesson.url))
    assert LessonProgress.objects.get(lesson=lesson).visits == 2  # two visits, no preview


def test_a_new_lesson_joins_the_navigation(client, learner):
    module, (_first, second), _ = build_module()
    assert "leçon 2 sur 2" in text(client.get(second.url))
    third = LessonPageFactory(parent=module, title="Troisième leçon")
    page = text(client.get(second.url))
    assert "leçon 2 sur 3" in page
    assert f'href="{third.url}" rel="next"' in page


def test_an_unpublished_lesson_leaves_the_module(client, learner):
    _module, (first, second), _ = build_module()
    assert f'href="{second.url}" rel="next"' in text(client.get(first.url))
    second.unpublish()
    assert client.get(second.url).status_code == 404
    page = text(client.get(first.url))
    assert second.url not in page and "leçon 1 sur 1" in page


def test_reordered_lessons_reorder_the_navigation(client, learner):
    _module, (first, second), _ = build_module()
    assert f'href="{second.url}" rel="next"' in text(client.get(first.url))
    second.move(first, pos="left")
    page = text(client.get(first.url))
    assert "leçon 2 sur 2" in page
    assert f'href="{second.url}" rel="prev"' in page


def test_a_renamed_module_shows_on_its_lessons(client, learner):
    module, (lesson, _), _ = build_module()
    client.get(lesson.url)
    module.title = "Module renommé"
    module.save_revision().publish()
    assert "Module renommé" in text(client.get(lesson.url))


def test_a_renamed_guide_shows_in_the_lesson_body(client, learner, live_guide):
    _module, (lesson, _), _ = build_module()
    lesson.body = [
        {"type": "guide_link", "value": {"guide": live_guide.pk, "anchor": "", "label": ""}}
    ]
    lesson.save_revision().publish()
    assert live_guide.title in text(client.get(lesson.url))
    live_guide.title = "Guide renommé"
    live_guide.save_revision().publish()
    assert "Guide renommé" in text(client.get(lesson.url))


def test_a_locked_lesson_text_is_never_served_from_the_cache(
    client, professional, django_user_model
):
    """A learner who may read the lesson puts its text in the cache; another, for whom
    it is still locked, does not get it."""
    _module, (first, second), _ = build_module(pathway_mode="sequential")
    second.body = paragraph("Texte de la deuxième leçon.")
    second.save_revision().publish()
    services.complete_lesson(professional, first)
    client.force_login(professional)
    assert "Texte de la deuxième leçon." in text(client.get(second.url))
    newcomer = make_user(django_user_model, "nouvelle@example.org", roles.PROFESSIONNEL)
    client.force_login(newcomer)
    page = text(client.get(second.url))
    assert "Cette leçon s'ouvrira" in page
    assert "Texte de la deuxième leçon." not in page


def test_each_learner_gets_their_own_progress(client, professional, django_user_model):
    _module, (first, second), _ = build_module()
    services.complete_lesson(professional, first)
    client.force_login(professional)
    assert "33 % du module réalisé" in text(client.get(second.url))
    other = make_user(django_user_model, "autre@example.org", roles.PROFESSIONNEL)
    client.force_login(other)
    page = text(client.get(second.url))
    assert "0 % du module réalisé" in page and "J'ai terminé cette leçon" in page


def test_every_visit_is_recorded_from_the_cache(client, learner):
    _module, (lesson, _), _ = build_module()
    for _ in range(3):
        client.get(lesson.url)
    assert LessonProgress.objects.get(user=learner, lesson=lesson).visits == 3


def test_a_view_restriction_on_the_module_applies_to_its_lessons(client, learner):
    module, (lesson, _), _ = build_module()
    client.get(lesson.url)
    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.PASSWORD, password="secret-42"
    )
    page = client.get(lesson.url).content.decode()
    assert 'name="password"' in page and "Le contenu de la leçon." not in page
    restriction.delete()
    assert "Le contenu de la leçon." in text(client.get(lesson.url))
