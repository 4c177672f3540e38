"""Self-positioning (indicator 11): services, bad input, skip, views, shift aggregate."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrolment, ModulePage, PositioningAnswer
from courses.modules import positioning, services
from courses.modules.errors import CourseError
from tests.conftest import make_user

from .factories import build_module
from .learning_helpers import finish_lessons, right_answers

pytestmark = pytest.mark.django_db

STATEMENTS = [
    ("s-repere", "Je sais repérer les signes d'une situation de prostitution d'un·e mineur·e"),
    ("s-transmettre", "Je sais à qui transmettre une information préoccupante"),
    ("s-cadre", "Je connais le cadre légal applicable"),
]


def positioned_module(lessons=2, statements=STATEMENTS, **kwargs):
    module, pages, quiz = build_module(lessons=lessons, **kwargs)
    module.positioning = [
        {"type": "statement", "value": text, "id": key} for key, text in statements
    ]
    module.save_revision().publish()
    module = ModulePage.objects.get(pk=module.pk)
    return module, pages, quiz


def ratings(*values):
    return {key: value for (key, _text), value in zip(STATEMENTS, values, strict=True)}


def complete(user, module, lessons, quiz):
    finish_lessons(user, lessons)
    attempt = services.start_attempt(user, quiz)
    services.submit_attempt(user, attempt, right_answers(attempt))


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


# --- Services -----------------------------------------------------------------------------


def test_statements_keep_the_block_ids_in_the_editors_order():
    module, _, _ = positioned_module()
    assert positioning.statements(module) == STATEMENTS


def test_before_answers_are_stored_with_a_snapshot_and_enrol(professional):
    module, _, _ = positioned_module()
    result = positioning.submit_positioning(professional, module, "before", ratings(1, 2, 4))
    assert result.created
    rows = PositioningAnswer.objects.filter(user=professional).order_by("pk")
    assert [(r.statement_id, r.statement, r.value) for r in rows] == [
        ("s-repere", STATEMENTS[0][1], 1),
        ("s-transmettre", STATEMENTS[1][1], 2),
        ("s-cadre", STATEMENTS[2][1], 4),
    ]
    assert Enrolment.objects.filter(user=professional, module=module).exists()


def test_answering_twice_keeps_the_first_answers(professional):
    module, _, _ = positioned_module()
    positioning.submit_positioning(professional, module, "before", ratings(1, 1, 1))
    again = positioning.submit_positioning(professional, module, "before", ratings(4, 4, 4))
    assert not again.created
    assert [row["value"] for row in again.answers] == [1, 1, 1]
    assert PositioningAnswer.objects.count() == 3


def test_the_snapshot_survives_an_edit_of_the_statement(professional):
    module, _, _ = positioned_module()
    positioning.submit_positioning(professional, module, "before", ratings(2, 2, 2))
    module.positioning = [{"type": "statement", "value": "Nouveau texte", "id": "s-repere"}]
    module.save_revision().publish()
    assert PositioningAnswer.objects.get(statement_id="s-repere").statement == STATEMENTS[0][1]


@pytest.mark.parametrize(
    "values, code",
    [
        ({**ratings(1, 2, 3), "s-inconnu": 2}, "unknown_statement"),
        (ratings(0, 2, 3), "invalid_value"),
        (ratings(5, 2, 3), "invalid_value"),
        (ratings(-1, 2, 3), "invalid_value"),
        ({**ratings(1, 2, 3), "s-cadre": "trois"}, "invalid_value"),
        ({**ratings(1, 2, 3), "s-cadre": ""}, "invalid_value"),
        ({"s-repere": 1}, "positioning_incomplete"),
        ({}, "positioning_incomplete"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_nothing_stored(professional, values, code):
    module, _, _ = positioned_module()
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, module, "before", values)
    assert error.value.code == code
    assert not PositioningAnswer.objects.exists()
    assert not Enrolment.objects.exists()


def test_statements_of_another_module_are_refused(professional):
    module, _, _ = positioned_module()
    other, _, _ = positioned_module(statements=[("autre-1", "Autre énoncé")])
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(
            professional, module, "before", {**ratings(1, 2, 3), "autre-1": 3}
        )
    assert error.value.code == "unknown_statement"
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, other, "before", ratings(1, 2, 3))
    assert error.value.code == "unknown_statement"
    assert not PositioningAnswer.objects.exists()


def test_unknown_moment_and_module_without_statements(professional):
    module, _, _ = positioned_module()
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, module, "pendant", ratings(1, 2, 3))
    assert error.value.code == "invalid_moment"
    plain, _, _ = build_module()
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, plain, "before", {})
    assert error.value.code == "no_positioning"


def test_after_waits_for_completion_and_before_ends_with_it(professional):
    module, lessons, quiz = positioned_module()
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, module, "after", ratings(3, 3, 3))
    assert error.value.code == "positioning_too_early"
    complete(professional, module, lessons, quiz)
    with pytest.raises(CourseError) as error:
        positioning.submit_positioning(professional, module, "before", ratings(3, 3, 3))
    assert error.value.code == "positioning_too_late"
    assert positioning.submit_positioning(professional, module, "after", ratings(3, 3, 3)).created
    assert not PositioningAnswer.objects.filter(moment="before").exists()


def test_answers_are_logged(professional):
    from wagtail.models import ModelLogEntry

    module, _, _ = positioned_module()
    positioning.submit_positioning(professional, module, "before", ratings(1, 2, 3))
    positioning.submit_positioning(professional, module, "before", ratings(1, 2, 3))
    assert ModelLogEntry.objects.filter(action="reperes.positioning_answer").count() == 1


# --- Skip and when the page is offered --------------------------------------------------


def test_before_is_due_until_answered_or_skipped(professional, coordinator):
    module, _, _ = positioned_module()
    assert positioning.before_is_due(professional, module)
    assert positioning.skip_positioning(professional, module)
    assert not positioning.skip_positioning(professional, module)  # idempotent
    assert not positioning.before_is_due(professional, module)
    assert not PositioningAnswer.objects.exists()
    # Another person's skip is theirs only.
    assert positioning.before_is_due(coordinator, module)
    positioning.submit_positioning(coordinator, module, "before", ratings(1, 2, 3))
    assert not positioning.before_is_due(coordinator, module)


def test_module_without_statements_never_offers_it(professional):
    module, _, _ = build_module()
    assert not positioning.before_is_due(professional, module)
    assert not positioning.after_is_due(professional, module, completed=True)


def test_first_lesson_offers_the_page_once_then_skip_opens_the_lesson(client, learner):
    module, (first, second), _ = positioned_module()
    url = reverse("courses:positioning", args=[module.pk, "avant"])
    response = client.get(first.url)
    assert response.status_code == 302 and response.url == url
    # Only the first lesson offers it.
    assert client.get(second.url).status_code == 200
    page = text(client.get(url))
    assert "Avant de commencer : où en êtes-vous ?" in page
    assert "Passer" in page and STATEMENTS[1][1] in page
    response = client.post(reverse("courses:skip_positioning", args=[module.pk]))
    assert response.status_code == 302
    assert client.get(first.url).status_code == 200
    assert not PositioningAnswer.objects.exists()
    assert Enrolment.objects.get(user=learner).positioning_skipped_at is not None


def test_posting_the_before_page_stores_and_goes_to_the_first_lesson(client, learner):
    module, (first, _), _ = positioned_module()
    url = reverse("courses:positioning", args=[module.pk, "avant"])
    response = client.post(url, {"s-s-repere": "2", "s-s-transmettre": "3", "s-s-cadre": "1"})
    assert response.status_code == 302 and response.url == first.url
    assert PositioningAnswer.objects.filter(user=learner, moment="before").count() == 3
    assert client.get(first.url).status_code == 200
    # The page now shows the answers, and a second post keeps them.
    response = client.post(url, {"s-s-repere": "4", "s-s-transmettre": "4", "s-s-cadre": "4"})
    assert "premières réponses sont conservées" in text(client.get(response.url))
    assert sorted(PositioningAnswer.objects.values_list("value", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize(
    "data",
    [
        {"s-s-repere": "9", "s-s-transmettre": "3", "s-s-cadre": "1"},
        {"s-s-repere": "2", "s-s-transmettre": "3"},
        {"s-s-repere": "2", "s-s-transmettre": "3", "s-s-cadre": "1", "s-intrus": "2"},
        {"s-s-repere": "<b>", "s-s-transmettre": "3", "s-s-cadre": "1"},
    ],
)
def test_bad_posts_get_a_clear_400_page_and_nothing_stored(client, learner, data):
    module, _, _ = positioned_module()
    response = client.post(reverse("courses:positioning", args=[module.pk, "avant"]), data)
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in text(response)
    assert not PositioningAnswer.objects.exists()


def test_unknown_moment_and_module_without_statements_are_404(client, learner):
    module, _, _ = positioned_module()
    assert (
        client.get(reverse("courses:positioning", args=[module.pk, "pendant"])).status_code == 404
    )
    plain, _, _ = build_module()
    assert client.get(reverse("courses:positioning", args=[plain.pk, "avant"])).status_code == 404
    assert client.post(reverse("courses:skip_positioning", args=[plain.pk])).status_code == 404
    assert client.get(reverse("courses:skip_positioning", args=[module.pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_login(client):
    module, _, _ = positioned_module()
    for response in (
        client.get(reverse("courses:positioning", args=[module.pk, "avant"])),
        client.post(reverse("courses:positioning", args=[module.pk, "avant"]), {}),
        client.post(reverse("courses:skip_positioning", args=[module.pk])),
    ):
        assert response.status_code == 302 and reverse("account_login") in response.url
    assert not PositioningAnswer.objects.exists() and not Enrolment.objects.exists()


def test_another_persons_answers_are_never_shown(client, learner, django_user_model):
    module, _, _ = positioned_module()
    other = make_user(django_user_model, "autre@example.org")
    positioning.submit_positioning(other, module, "before", ratings(4, 4, 4))
    page = text(client.get(reverse("courses:positioning", args=[module.pk, "avant"])))
    # The form is offered to me, empty: the other person's answers stay theirs.
    assert "Enregistrer mes réponses" in page and "checked" not in page
    assert "Vos réponses sont enregistrées" not in page


def test_after_is_offered_on_the_result_and_module_pages_once_completed(client, learner):
    module, lessons, quiz = positioned_module()
    positioning.skip_positioning(learner, module)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, right_answers(attempt))
    after_url = reverse("courses:positioning", args=[module.pk, "apres"])
    result = text(client.get(reverse("courses:attempt_result", args=[attempt.pk])))
    assert "Et maintenant ?" in result and after_url in result
    assert after_url in text(client.get(module.url))
    response = client.post(after_url, {"s-s-repere": "4", "s-s-transmettre": "4", "s-s-cadre": "3"})
    assert response.status_code == 302
    page = text(client.get(after_url))
    assert "Vos réponses avant et après le module" in page
    # Answered: no longer offered.
    assert after_url not in text(client.get(reverse("courses:attempt_result", args=[attempt.pk])))
    assert after_url not in text(client.get(module.url))


def test_after_before_completion_is_refused_with_a_message(client, learner):
    module, _, _ = positioned_module()
    page = client.get(reverse("courses:positioning", args=[module.pk, "apres"]))
    assert page.status_code == 302 and page.url == module.url
    response = client.post(
        reverse("courses:positioning", args=[module.pk, "apres"]),
        {"s-s-repere": "4", "s-s-transmettre": "4", "s-s-cadre": "3"},
    )
    assert response.status_code == 302 and response.url == module.url
    assert not PositioningAnswer.objects.exists()


def test_positioning_page_queries_are_constant(client, learner, django_assert_max_num_queries):
    counts = []
    for count in (2, 8):
        module, _, _ = positioned_module(
            statements=[(f"k{count}-{n}", f"Énoncé {n}") for n in range(count)]
        )
        url = reverse("courses:positioning", args=[module.pk, "avant"])
        client.get(url)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_first_lesson_of_a_positioned_module_adds_one_query_at_most(
    client, learner, django_assert_max_num_queries
):
    from .test_learning_pages import LESSON_PAGE_CEILING

    module, (first, _), _ = positioned_module()
    positioning.skip_positioning(learner, module)
    client.get(first.url)
    with django_assert_max_num_queries(LESSON_PAGE_CEILING + 1):
        assert client.get(first.url).status_code == 200


def test_once_settled_the_session_spares_the_query(client, learner):
    """Answered, skipped or completed is never undone: the session remembers it, per
    module, and another module still offers its own page."""
    module, (first, _), _ = positioned_module()
    other, (other_first, _), _ = positioned_module()
    positioning.skip_positioning(learner, module)
    assert client.get(first.url).status_code == 200  # asks the database, settles
    assert client.session[positioning.SETTLED_SESSION_KEY] == [module.pk]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(first.url).status_code == 200
    assert not [q for q in queries if "courses_positioninganswer" in q["sql"]]
    response = client.get(other_first.url)
    assert response.status_code == 302
    assert response.url == reverse("courses:positioning", args=[other.pk, "avant"])
    assert client.session[positioning.SETTLED_SESSION_KEY] == [module.pk]


def test_a_module_still_due_is_never_settled(client, learner):
    _, (first, _), _ = positioned_module()
    for _ in range(2):
        assert client.get(first.url).status_code == 302
    assert positioning.SETTLED_SESSION_KEY not in client.session


# --- The shift (dashboard helper) -------------------------------------------------------


def test_positioning_shift_against_hand_counted_answers(django_user_model):
    module, lessons, quiz = positioned_module()
    other_module, other_lessons, other_quiz = positioned_module(
        statements=[("x-1", "Énoncé d'un autre module")]
    )
    people = [make_user(django_user_model, f"p{n}@example.org") for n in range(4)]
    # p0: before 1,1,2 → after 3,4,4 ; p1: before 2,2,2 → after 4,3,3
    # p2: before 1,3,1 only (no after) ; p3: after only is impossible without before:
    # p3 answers before 4,4,4 and after 4,4,4.
    plan = {
        0: ((1, 1, 2), (3, 4, 4)),
        1: ((2, 2, 2), (4, 3, 3)),
        2: ((1, 3, 1), None),
        3: ((4, 4, 4), (4, 4, 4)),
    }
    for index, (before, after) in plan.items():
        person = people[index]
        positioning.submit_positioning(person, module, "before", ratings(*before))
        if after is not None:
            complete(person, module, lessons, quiz)
            positioning.submit_positioning(person, module, "after", ratings(*after))
    # Another module's answers stay out of this module's figures.
    positioning.submit_positioning(people[0], other_module, "before", {"x-1": 1})
    complete(people[0], other_module, other_lessons, other_quiz)
    positioning.submit_positioning(people[0], other_module, "after", {"x-1": 4})

    rows = positioning.positioning_shift(ModulePage.objects.filter(pk=module.pk))
    by_statement = {row["statement_id"]: row for row in rows}
    assert set(by_statement) == {"s-repere", "s-transmettre", "s-cadre"}
    # Three people (p0, p1, p3) have both answers.
    assert by_statement["s-repere"]["people"] == 3
    assert by_statement["s-repere"]["before"] == pytest.approx((1 + 2 + 4) / 3)
    assert by_statement["s-repere"]["after"] == pytest.approx((3 + 4 + 4) / 3)
    assert by_statement["s-transmettre"]["before"] == pytest.approx((1 + 2 + 4) / 3)
    assert by_statement["s-transmettre"]["after"] == pytest.approx((4 + 3 + 4) / 3)
    assert by_statement["s-cadre"]["before"] == pytest.approx((2 + 2 + 4) / 3)
    assert by_statement["s-cadre"]["after"] == pytest.approx((4 + 3 + 4) / 3)
    assert by_statement["s-cadre"]["statement"] == STATEMENTS[2][1]
    assert all(row["module_id"] == module.pk for row in rows)

    both = positioning.positioning_shift(ModulePage.objects.all())
    assert {(row["module_id"], row["statement_id"]) for row in both} >= {(other_module.pk, "x-1")}
    assert positioning.positioning_shift(ModulePage.objects.none()) == []


def test_positioning_shift_is_one_query_whatever_the_data(
    django_user_model, django_assert_num_queries
):
    module, lessons, quiz = positioned_module()
    for n in range(3):
        person = make_user(django_user_model, f"q{n}@example.org")
        positioning.submit_positioning(person, module, "before", ratings(1, 2, 3))
        complete(person, module, lessons, quiz)
        positioning.submit_positioning(person, module, "after", ratings(2, 3, 4))
    with django_assert_num_queries(1):
        rows = positioning.positioning_shift(ModulePage.objects.all())
    assert rows[0]["people"] == 3


# --- Privacy ------------------------------------------------------------------------------


def test_answers_are_exported_and_erased_with_the_account(professional):
    from accounts.privacy.erasure import delete_account
    from accounts.privacy.export import personal_data

    module, _, _ = positioned_module()
    positioning.submit_positioning(professional, module, "before", ratings(1, 2, 3))
    data = personal_data(professional)
    rows = data["learning"]["positioning"]
    assert [(row["statement"], row["value"], row["moment"]) for row in rows] == [
        (STATEMENTS[0][1], 1, "before"),
        (STATEMENTS[1][1], 2, "before"),
        (STATEMENTS[2][1], 3, "before"),
    ]
    delete_account(professional, reason="self", by=professional)
    assert not PositioningAnswer.objects.exists()


@pytest.mark.parametrize("count", [1, 6])
def test_result_and_module_pages_with_statements_add_one_query(
    client, learner, count, django_assert_max_num_queries
):
    """« Et maintenant ? » costs one read on a completed module, whatever the number
    of statements."""
    from .test_learning_views import RESULT_PAGE_CEILING

    module, lessons, quiz = positioned_module(
        statements=[(f"c{count}-{n}", f"Énoncé {n}") for n in range(count)]
    )
    positioning.skip_positioning(learner, module)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, right_answers(attempt))
    url = reverse("courses:attempt_result", args=[attempt.pk])
    client.get(url)
    # A passed result page (completion, certificate, open questionnaire) and one read
    # for « Et maintenant ? ».
    with django_assert_max_num_queries(RESULT_PAGE_CEILING + 4):
        assert "Et maintenant ?" in text(client.get(url))
    client.get(module.url)
    with django_assert_max_num_queries(15):
        assert "Et maintenant ?" in text(client.get(module.url))
