"""Factories for courses: the module index, modules, lessons and quizzes (wagtail-factories).

Stable API (the learning tests import it):

- `ModuleIndexPageFactory()` — /formations/ under the home page; reuse `module_index()`
  to get the existing one (the index is `max_count = 1`).
- `ModulePageFactory(parent=..., pathway_mode=..., max_attempts=..., audiences=[...])`
- `LessonPageFactory(parent=module, body=[...raw blocks...])`
- `QuizPageFactory(parent=module, questions=[...])` — defaults to `default_question_bank()`:
  one single_choice, one multiple_choice, one true_false.
- `single_choice(...)`, `multiple_choice(...)`, `true_false(...)`, `case_study(...)` build
  one question as StreamField raw data; `choice(text, correct, feedback)` one choice.
- `build_module(lessons=2, **module_fields)` → `(module, [lessons], quiz)`, all live.

Every page is live. StreamField values are raw JSON-ish data (`{"type", "value", "id"}`),
which Wagtail expands lazily; ids are fixed so tests can name choices.
"""

import uuid

import factory
import wagtail_factories

from courses.models import LessonPage, ModuleIndexPage, ModulePage, QuizPage
from home.models import HomePage
from tests.guides.factories import PublisherFactory


def _id():
    return str(uuid.uuid4())


def choice(text, correct=False, feedback="", id=None):
    """One answer choice as a ListBlock item (the item id is the choice id)."""
    return {
        "type": "item",
        "value": {"text": text, "correct": correct, "feedback": feedback},
        "id": id or _id(),
    }


def _question(kind, prompt, choices, explanation, id, **extra):
    value = {
        "prompt": prompt,
        "choices": choices,
        "explanation": explanation,
        "guide_link": {"guide": None, "anchor": "", "label": ""},
        **extra,
    }
    return {"type": kind, "value": value, "id": id or _id()}


def single_choice(prompt="Qui est la victime ?", choices=None, explanation="", id=None):
    choices = choices or [
        choice("Le ou la mineur·e", True, "Oui : un·e mineur·e est toujours victime."),
        choice("Personne", False, "Non : la loi protège le ou la mineur·e."),
        choice("Le client", False, "Non : le client est auteur d'une infraction."),
    ]
    explanation = explanation or "<p>Un·e mineur·e en situation de prostitution est victime.</p>"
    return _question("single_choice", prompt, choices, explanation, id)


def multiple_choice(prompt="Quels signes doivent alerter ?", choices=None, explanation="", id=None):
    choices = choices or [
        choice("Absences répétées", True, "Oui, c'est un signal faible."),
        choice("Cadeaux inexpliqués", True, "Oui, c'est un signal faible."),
        choice("De bons résultats scolaires", False, "Ce n'est pas un signal en soi."),
    ]
    explanation = explanation or "<p>Ce sont des signaux à croiser, jamais une preuve.</p>"
    return _question("multiple_choice", prompt, choices, explanation, id)


def true_false(
    prompt="Le consentement d'un·e mineur·e excuse le client.",
    answer=False,
    feedback_true="Non : le consentement est indifférent.",
    feedback_false="Exact : le consentement est indifférent.",
    explanation="<p>La loi punit le recours à la prostitution d'un·e mineur·e.</p>",
    id=None,
):
    value = {
        "prompt": prompt,
        "answer": answer,
        "feedback_true": feedback_true,
        "feedback_false": feedback_false,
        "explanation": explanation,
        "guide_link": {"guide": None, "anchor": "", "label": ""},
    }
    return {"type": "true_false", "value": value, "id": id or _id()}


def case_study(
    prompt="Que faites-vous en premier ?",
    vignette="<p>Une élève de 15 ans arrive avec un téléphone neuf et s'endort en cours.</p>",
    choices=None,
    multiple_answers=False,
    explanation="",
    id=None,
):
    choices = choices or [
        choice("Lui proposer un temps d'échange", True, "Oui : écouter sans juger."),
        choice("Confronter sa famille", False, "Non : cela peut la mettre en danger."),
    ]
    explanation = explanation or "<p>Écouter, puis transmettre une information préoccupante.</p>"
    return _question(
        "case_study",
        prompt,
        choices,
        explanation,
        id,
        vignette=vignette,
        multiple_answers=multiple_answers,
    )


def default_question_bank():
    return [single_choice(), multiple_choice(), true_false()]


def default_lesson_body():
    return [
        {"type": "paragraph", "value": "<p>Le contenu de la leçon.</p>", "id": _id()},
        {
            "type": "key_points",
            "value": {"title": "Points clés", "points": ["Écouter", "Protéger"]},
            "id": _id(),
        },
    ]


def home_page():
    return HomePage.objects.first()


def module_index():
    """The existing module index, or a new one."""
    return ModuleIndexPage.objects.first() or ModuleIndexPageFactory()


class ModuleIndexPageFactory(wagtail_factories.PageFactory):
    title = "Formations en ligne"
    slug = "formations"
    intro = "Des modules à suivre à votre rythme."
    parent = factory.LazyFunction(home_page)

    class Meta:
        model = ModuleIndexPage


class ModulePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Module numéro {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    summary = "Comprendre, repérer, agir."
    objectives = "<ul><li>Repérer les signaux</li><li>Savoir à qui s'adresser</li></ul>"
    duration_hours = 2
    duration_minutes = 30
    publisher = factory.SubFactory(PublisherFactory, name="Observatoire départemental")
    pathway_mode = "free"
    passing_score = 80
    max_attempts = 3
    content_warning = ""
    parent = factory.LazyFunction(module_index)

    class Meta:
        model = ModulePage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.add(*extracted)
            self.save()

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if extracted:
            self.audiences.set(extracted)
            self.save()


class LessonPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Leçon numéro {n}")
    slug = factory.Sequence(lambda n: f"lecon-{n}")
    intro = "Ce que cette leçon aborde."
    estimated_minutes = 15
    body = factory.LazyFunction(default_lesson_body)

    class Meta:
        model = LessonPage


class QuizPageFactory(wagtail_factories.PageFactory):
    title = "Quiz final"
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    intro = "Répondez à toutes les questions puis validez."
    questions = factory.LazyFunction(default_question_bank)
    shuffle_questions = False
    shuffle_choices = False
    questions_drawn = 0

    class Meta:
        model = QuizPage


def build_module(lessons=2, **kwargs):
    """A live module with `lessons` lessons and its quiz: `(module, [lessons], quiz)`."""
    module = ModulePageFactory(**kwargs)
    pages = [LessonPageFactory(parent=module) for _ in range(lessons)]
    quiz = QuizPageFactory(parent=module)
    return module, pages, quiz
