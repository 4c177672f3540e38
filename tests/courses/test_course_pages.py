"""Module content: page tree, lesson blocks, quiz validation, public pages, queries."""

import io

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from courses import blocks
from courses.models import LessonPage, ModuleIndexPage, ModulePage, QuizPage
from courses.models.pages import format_duration
from home.models import HomePage
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory

from .factories import (
    ModulePageFactory,
    build_module,
    case_study,
    choice,
    single_choice,
)

# --- Page tree -----------------------------------------------------------------------


class CoursePageTreeTests(WagtailPageTestCase):
    def test_allowed_parents_and_subpages(self):
        self.assertAllowedParentPageTypes(ModuleIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ModuleIndexPage, {ModulePage})
        self.assertAllowedParentPageTypes(ModulePage, {ModuleIndexPage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedParentPageTypes(QuizPage, {ModulePage})
        self.assertAllowedSubpageTypes(QuizPage, set())

    def test_can_create_where_allowed(self):
        self.assertCanCreateAt(HomePage, ModuleIndexPage)
        self.assertCanCreateAt(ModuleIndexPage, ModulePage)
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanCreateAt(ModulePage, QuizPage)
        self.assertCanNotCreateAt(Page, ModulePage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(ModuleIndexPage, LessonPage)


@pytest.mark.django_db
def test_one_quiz_per_module():
    module, _, _ = build_module(lessons=1)
    other, _, _ = build_module(lessons=0)
    assert not QuizPage.can_create_at(module)
    assert LessonPage.can_create_at(module)
    empty = ModulePageFactory()
    assert QuizPage.can_create_at(empty)
    assert other.get_children().type(QuizPage).count() == 1


@pytest.mark.parametrize(
    ("minutes", "expected"), [(150, "2 h 30"), (120, "2 h"), (45, "45 min"), (65, "1 h 05")]
)
def test_durations_read_the_french_way(minutes, expected):
    assert format_duration(minutes) == expected


# --- Lesson blocks ---------------------------------------------------------------------


@pytest.fixture
def live_guide(db):
    index = GuideIndexPageFactory()
    return GuidePageFactory(parent=index, title="Repérer les signes", slug="reperer-les-signes")


def lesson_block_samples(image, guide):
    return [
        ("paragraph", "<p>Un <b>texte</b>.</p>", "<b>texte</b>"),
        (
            "image",
            {"image": image.pk, "alt_text": "Schéma du circuit", "decorative": False},
            'alt="Schéma du circuit"',
        ),
        (
            "video",
            {
                "video": "https://video.example.org/v/1",
                "title": "Témoignage",
                "transcript": "<p>Texte intégral.</p>",
            },
            "<details",
        ),
        (
            "key_points",
            {"title": "Points clés", "points": ["Écouter sans juger"]},
            "<li>Écouter sans juger</li>",
        ),
        (
            "case_vignette",
            {"title": "Léa, 15 ans", "text": "<p>Absences répétées.</p>"},
            "Absences répétées.",
        ),
        ("remember", {"text": "<p>Un·e mineur·e est toujours victime.</p>"}, "À retenir"),
        (
            "guide_link",
            {"guide": guide.pk, "anchor": "signes-a-observer", "label": ""},
            "Repérer les signes",
        ),
        (
            "self_check",
            {
                "question": "Qui est victime ?",
                "choices": [
                    {"text": "Le ou la mineur·e", "correct": True, "feedback": "Toujours."},
                    {"text": "Personne", "correct": False, "feedback": "Non."},
                ],
                "explanation": "La loi protège les mineur·e·s.",
            },
            "<summary>Le ou la mineur·e</summary>",
        ),
    ]


@pytest.mark.django_db
def test_every_lesson_block_renders(live_guide, rf):
    image = wagtail_factories.ImageFactory()
    stream = blocks.LessonStreamBlock()
    samples = lesson_block_samples(image, live_guide)
    assert {name for name, *_ in samples} == set(stream.child_blocks)
    for name, raw, expected in samples:
        block = stream.child_blocks[name]
        value = block.to_python(raw)
        html = block.render(value, context={"request": rf.get("/")})
        assert expected in html, name
        if name != "paragraph":  # rich text renders as is, inside the lesson's prose
            assert block.meta.template == f"courses/blocks/{name}.html", name


@pytest.mark.django_db
def test_guide_link_shows_guide_url_with_anchor_and_hides_unpublished_guides(live_guide, rf):
    block = blocks.GuideLinkBlock()
    value = block.to_python({"guide": live_guide.pk, "anchor": "signes-a-observer", "label": ""})
    html = block.render(value, context={"request": rf.get("/")})
    assert f'href="{live_guide.url}#signes-a-observer"' in html
    live_guide.unpublish()
    value = block.to_python({"guide": live_guide.pk, "anchor": "", "label": "Le guide"})
    assert "href" not in block.render(value, context={"request": rf.get("/")})


def test_video_has_a_transcript_and_no_third_party_player():
    block = blocks.VideoBlock()
    value = block.to_python(
        {"video": "https://video.example.org/v/1", "title": "T", "transcript": "<p>Mot à mot.</p>"}
    )
    html = block.render(value)
    assert "<iframe" not in html
    assert "Mot à mot." in html
    assert block.child_blocks["transcript"].required


def test_self_check_reveals_feedback_without_javascript():
    block = blocks.SelfCheckBlock()
    value = block.to_python(
        {
            "question": "Q ?",
            "choices": [
                {"text": "A", "correct": True, "feedback": "Bien vu."},
                {"text": "B", "correct": False, "feedback": "Relisez."},
            ],
            "explanation": "",
        }
    )
    html = block.render(value)
    assert html.count("<details") == 2
    assert "Bien vu." in html and "<script" not in html


@pytest.mark.django_db
def test_image_without_alt_text_is_refused():
    image = wagtail_factories.ImageFactory()
    block = blocks.LessonStreamBlock().child_blocks["image"]
    for raw in (
        {"image": image.pk, "alt_text": "", "decorative": False},
        {"image": image.pk, "alt_text": "   ", "decorative": False},
        {"image": image.pk, "alt_text": "", "decorative": True},
    ):
        with pytest.raises(ValidationError):
            block.clean(block.to_python(raw))
    ok = block.to_python({"image": image.pk, "alt_text": "Un schéma", "decorative": False})
    assert block.clean(ok).contextual_alt_text == "Un schéma"


# --- Quiz block validation -------------------------------------------------------------


def _clean_question(raw):
    stream = blocks.QuizStreamBlock()
    return stream.child_blocks[raw["type"]].clean(
        stream.child_blocks[raw["type"]].to_python(raw["value"])
    )


@pytest.mark.parametrize("correct", [0, 2])
def test_single_choice_needs_exactly_one_correct_answer(correct):
    choices = [choice(f"R{i}", correct=i < correct) for i in range(3)]
    with pytest.raises(ValidationError):
        _clean_question(single_choice(choices=choices))


def test_valid_questions_pass():
    _clean_question(single_choice())
    _clean_question(case_study())
    many = [choice("A", True), choice("B", True), choice("C")]
    _clean_question(case_study(choices=many, multiple_answers=True))
    with pytest.raises(ValidationError):
        _clean_question(case_study(choices=many, multiple_answers=False))


def test_multiple_choice_needs_a_correct_answer():
    raw = single_choice(choices=[choice("A"), choice("B")])
    raw["type"] = "multiple_choice"
    with pytest.raises(ValidationError):
        _clean_question(raw)


# --- Public pages ----------------------------------------------------------------------

SECRET_FEEDBACK = "RETOUR-SECRET"
SECRET_EXPLANATION = "EXPLICATION-SECRETE"


@pytest.fixture
def module_with_secrets(db):
    module, lessons, quiz = build_module(lessons=2, content_warning="Sujet difficile.")
    quiz.questions = [
        single_choice(
            prompt="QUESTION-DU-QUIZ",
            choices=[
                choice("BONNE-REPONSE", True, SECRET_FEEDBACK),
                choice("AUTRE", False, SECRET_FEEDBACK),
            ],
            explanation=f"<p>{SECRET_EXPLANATION}</p>",
        )
    ]
    quiz.save()
    return module, lessons, quiz


def test_index_lists_modules_with_duration_and_filters(
    client, module_with_secrets, django_assert_max_num_queries
):
    module, _, _ = module_with_secrets
    module.topics.add("droit")
    module.save()
    other = ModulePageFactory(title="Autre module", duration_hours=0, duration_minutes=45)
    with django_assert_max_num_queries(15):
        response = client.get("/formations/")
    html = response.content.decode()
    assert module.title in html and "2 h 30" in html and "45 min" in html
    html = client.get("/formations/", {"theme": "droit"}).content.decode()
    assert module.title in html and other.title not in html


def test_module_page_is_public_and_never_shows_quiz_answers(client, module_with_secrets):
    module, lessons, _ = module_with_secrets
    response = client.get(module.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert module.title in html
    assert all(lesson.title in html for lesson in lessons)
    assert "Sujet difficile." in html
    assert "/comptes/login/?next=" in html
    for secret in ("QUESTION-DU-QUIZ", "BONNE-REPONSE", SECRET_FEEDBACK, SECRET_EXPLANATION):
        assert secret not in html


def test_module_page_fragments_follow_publishing_and_never_mix_visitors(
    client, professional, module_with_secrets
):
    """The objectives and the programme are rendered once per module into the content
    cache: a publication shows at once, and signed-in visitors (links to the lessons)
    and anonymous ones (titles only) each get their own."""
    module, lessons, _ = module_with_secrets
    link = f'href="{lessons[0].url}"'
    assert link not in client.get(module.url).content.decode()
    client.force_login(professional)
    assert link in client.get(module.url).content.decode()

    lessons[0].title = "Leçon renommée"
    lessons[0].save_revision().publish()
    module.objectives = "<p>Objectif réécrit</p>"
    module.content_warning = ""
    module.save_revision().publish()
    html = client.get(module.url).content.decode()
    assert "Leçon renommée" in html and "Objectif réécrit" in html
    assert "Sujet difficile." not in html
    client.logout()
    html = client.get(module.url).content.decode()
    assert "Leçon renommée" in html and link not in html


def test_quiz_page_never_renders_its_questions(client, professional, module_with_secrets):
    module, _, quiz = module_with_secrets
    client.force_login(professional)
    response = client.get(quiz.url)
    assert response.status_code == 302
    assert response["Location"] == module.quiz_url()
    assert SECRET_FEEDBACK not in response.content.decode()


def test_lesson_page_sends_visitors_to_login(client, module_with_secrets):
    _, lessons, _ = module_with_secrets
    response = client.get(lessons[0].url)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")
    assert lessons[0].url in response["Location"]


def test_lesson_page_for_a_learner(client, professional, module_with_secrets):
    _, lessons, _ = module_with_secrets
    client.force_login(professional)
    first = client.get(lessons[0].url).content.decode()
    assert "Sujet difficile." in first  # the content warning, before lesson 1 only
    assert f'href="{lessons[1].url}" rel="next"' in first
    second = client.get(lessons[1].url).content.decode()
    assert "Sujet difficile." not in second
    assert f'href="{lessons[0].url}" rel="prev"' in second
    assert "Le quiz final" in second


# --- Query ceilings --------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths), as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_modules_with(lessons, guide):
    """A module whose lessons each end with `lessons` links to a guide."""
    guide_link = {"type": "guide_link", "value": {"guide": guide.pk, "anchor": "", "label": ""}}
    module, pages, _ = build_module(lessons=lessons, content_warning="Attention.")
    for page in pages:
        page.body = [*page.body.raw_data, *[guide_link] * lessons]
        page.save()
    return module, pages


@pytest.mark.django_db
@pytest.mark.parametrize("url_kind", ["module", "lesson", "index"])
@pytest.mark.parametrize("with_learner", [False, True])
def test_constant_queries_whatever_the_number_of_lessons(
    client, professional, url_kind, with_learner, live_guide, monkeypatch
):
    """The content side stays under 15 queries; with the learner's state added by the
    learning side, the count still does not grow with lessons or blocks."""
    if not with_learner:
        monkeypatch.setattr("courses.models.pages.learner_context", lambda *a, **k: {})
    if url_kind == "lesson" or with_learner:
        client.force_login(professional)
    counts = []
    for lessons in (2, 8):
        module, pages = make_modules_with(lessons, live_guide)
        # The last lesson: the worst case, it also links to the quiz.
        url = {"module": module.url, "lesson": pages[-1].url, "index": "/formations/"}[url_kind]
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts
    if not with_learner:
        assert counts[1] <= 15, counts


# --- Demo content ----------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_loader_creates_both_modules_once(settings, client, professional):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "rien à créer" in output.getvalue()
    modules = {module.slug: module for module in ModulePage.objects.live()}
    assert len(modules) == 2
    minimums = {
        "prostitution-des-mineures-comprendre-reperer-agir": (4, 8),
        "le-cadre-legal": (3, 6),
    }
    client.force_login(professional)
    for slug, (min_lessons, min_questions) in minimums.items():
        module = modules[slug]
        lessons = list(LessonPage.objects.child_of(module).live().order_by("path"))
        quiz = QuizPage.objects.child_of(module).get()
        assert len(lessons) >= min_lessons and len(quiz.questions) >= min_questions
        assert module.audiences.exists() and module.topics.exists()
        assert any(question.block_type == "case_study" for question in quiz.questions)
        for question in quiz.questions:
            question.block.clean(question.value)
        assert client.get(module.url).status_code == 200
        # The demo modules offer the self-positioning before their first lesson.
        assert module.positioning_statements()
        assert client.get(lessons[0].url).status_code == 302
        client.post(reverse("courses:skip_positioning", args=[module.pk]))
        assert "Contenu d'exemple" in client.get(lessons[0].url).content.decode()
        guide_links = [b for page in lessons for b in page.body if b.block_type == "guide_link"]
        assert guide_links and all(b.value["guide"].live for b in guide_links)
    home = client.get("/").content.decode()
    assert 'href="/formations/"' in home and "Formations en ligne" in home
