"""Inviting and answering: idempotent, checked against the questions as asked."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.sessions.certificates import finish_session
from surveys import services
from surveys.errors import SurveyError
from surveys.models import (
    Questionnaire,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyResponse,
)
from tests.certificates.helpers import complete_module
from tests.conftest import make_user
from tests.courses.factories import build_module

from .helpers import (
    attended_session,
    completed_module,
    paris,
    questions_by_type,
    valid_answers,
)

pytestmark = pytest.mark.django_db


# --- Inviting ------------------------------------------------------------------------------


def test_completing_a_module_invites_hot_now_and_cold_after_the_delay(professional):
    module, hot, cold = completed_module(professional, survey_cold_delay_days=60)
    completed_at = professional.module_completions.get(module=module).completed_at
    assert hot.due_at == completed_at
    assert cold.due_at == completed_at + timedelta(days=60)
    assert hot.publisher_id == module.publisher_id
    assert hot.emailed_at is None and hot.answered_at is None
    assert ModelLogEntry.objects.filter(action="reperes.survey_invite").count() == 2


def test_a_completion_without_questionnaire_stands_and_the_refusals_are_logged(
    professional, caplog
):
    """No questionnaire at all: the completion and its certificate stand; each kind's
    refusal is logged (the application log), nothing is written."""
    Questionnaire.objects.all().delete()
    with caplog.at_level("WARNING", logger="reperes.surveys"):
        module, completion = complete_module(professional)
    assert completion.pk is not None and completion.certificates.exists()
    assert not SurveyInvitation.objects.exists()
    refusals = [r for r in caplog.records if r.getMessage() == "survey invitation not created"]
    assert sorted((r.kind, r.code, r.module_id, r.user_id) for r in refusals) == [
        (kind, "no_questionnaire", module.pk, professional.pk) for kind in sorted(SurveyKind.values)
    ]


def test_an_invitation_created_meanwhile_is_returned_not_doubled(professional, monkeypatch):
    """Between the completion's read of its invitations and their INSERT, another
    request created one: the unique constraint refuses the INSERT (its savepoint is
    rolled back), and each kind goes through `invite`, which returns that one and
    creates the other, with its log entry."""
    module, hot, cold = completed_module(professional)
    completion = professional.module_completions.get(module=module)
    SurveyInvitation.objects.all().delete()
    ModelLogEntry.objects.filter(action="reperes.survey_invite").delete()
    resolve = services.resolve_questionnaires
    meanwhile = {}

    def resolve_while_another_invites(*args, **kwargs):
        meanwhile["hot"] = SurveyInvitation.objects.create(
            user=professional,
            kind=SurveyKind.HOT,
            module=module,
            publisher_id=module.publisher_id,
            questionnaire=hot.questionnaire,
            due_at=hot.due_at,
        )
        return resolve(*args, **kwargs)

    monkeypatch.setattr(services, "resolve_questionnaires", resolve_while_another_invites)
    invitations, refused = services.invite_completed(completion)

    assert refused == {}
    assert invitations[SurveyKind.HOT].pk == meanwhile["hot"].pk
    assert SurveyInvitation.objects.filter(module=module).count() == 2
    created = invitations[SurveyKind.COLD]
    assert (created.questionnaire_id, created.due_at) == (cold.questionnaire_id, cold.due_at)
    entries = ModelLogEntry.objects.filter(action="reperes.survey_invite")
    assert list(entries.values_list("object_id", flat=True)) == [str(created.pk)]


def test_invite_is_idempotent(professional):
    module, hot, _ = completed_module(professional)
    again = services.invite(professional, SurveyKind.HOT, module=module)
    assert again.pk == hot.pk
    assert SurveyInvitation.objects.filter(user=professional, module=module).count() == 2


def test_a_course_not_followed_is_refused(professional):
    module, _, _ = build_module()
    with pytest.raises(SurveyError) as excinfo:
        services.invite(professional, SurveyKind.HOT, module=module)
    assert excinfo.value.code == "not_followed"
    assert not SurveyInvitation.objects.exists()


def test_invite_needs_one_course(professional):
    with pytest.raises(SurveyError) as excinfo:
        services.invite(professional, SurveyKind.HOT)
    assert excinfo.value.code == "course_required"


def test_closing_a_session_invites_those_who_attended(trainer, django_user_model):
    present = make_user(django_user_model, "present@example.org")
    absent = make_user(django_user_model, "absent@example.org")
    session = attended_session([present, absent], absent=[absent], trainer=trainer)

    finish_session(session, by=trainer)
    finish_session(session, by=trainer)  # a re-run invites nobody twice

    invitations = SurveyInvitation.objects.filter(session=session)
    assert {(i.user, i.kind) for i in invitations} == {
        (present, SurveyKind.HOT),
        (present, SurveyKind.COLD),
    }
    last_day = session.slots.order_by("-date").first().date
    hot = invitations.get(kind=SurveyKind.HOT)
    cold = invitations.get(kind=SurveyKind.COLD)
    assert hot.due_at == paris(last_day, 18)
    assert cold.due_at == paris(last_day, 18) + timedelta(days=90)
    assert hot.publisher_id == session.organiser_id


def test_an_evening_half_day_sends_after_it_ends(trainer, professional):
    from tests.sessions.factories import add_slot

    session = attended_session([professional], trainer=trainer)
    last_day = session.slots.order_by("-date").first().date
    add_slot(session, last_day, "17:00", "20:30")
    finish_session(session, by=trainer)
    hot = SurveyInvitation.objects.get(session=session, kind=SurveyKind.HOT)
    assert hot.due_at == paris(last_day, 20, 30)


# --- Answering -----------------------------------------------------------------------------


def test_an_answer_is_stored_with_its_snapshot(professional):
    _, hot, _ = completed_module(professional)
    questionnaire = hot.questionnaire
    response = services.submit_response(hot, valid_answers(questionnaire))

    hot.refresh_from_db()
    assert hot.answered_at == response.submitted_at
    assert response.questions == questionnaire.snapshot()
    assert response.kind == SurveyKind.HOT and response.module_id == hot.module_id
    rows = {answer.question_type: answer for answer in response.answers.all()}
    assert rows["recommend"].value == 9
    assert rows["free_text"].text == "Très concret, merci."
    assert SurveyAnswer.objects.filter(response=response, is_satisfaction=True).count() == 1
    assert ModelLogEntry.objects.filter(action="reperes.survey_answer").count() == 1


def test_a_second_submit_changes_nothing(professional):
    _, hot, _ = completed_module(professional)
    services.submit_response(hot, valid_answers(hot.questionnaire))
    with pytest.raises(SurveyError) as excinfo:
        services.submit_response(hot, valid_answers(hot.questionnaire, text="Autre chose"))
    assert excinfo.value.code == "already_answered"
    assert SurveyResponse.objects.count() == 1
    assert not SurveyAnswer.objects.filter(text="Autre chose").exists()


def test_multiple_choices_make_one_row_each(professional):
    _module, _, cold = completed_module(professional)
    data = valid_answers(cold.questionnaire)
    choice = questions_by_type(cold.questionnaire)["choice"][0]
    data[choice["id"]] = choice["choices"][:2]
    response = services.submit_response(cold, data)
    picked = response.answers.filter(question_type="choice").values_list("choice", flat=True)
    assert sorted(picked) == sorted(choice["choices"][:2])


def bad(question_type, values, code_of_message):
    return pytest.param(
        question_type, values, code_of_message, id=f"{question_type}-{values!r}"[:60]
    )


@pytest.mark.parametrize(
    ("question_type", "values", "message"),
    [
        bad("scale", ["6"], "Choisissez une des valeurs proposées."),
        bad("scale", ["0"], "Choisissez une des valeurs proposées."),
        bad("scale", ["trois"], "Choisissez une des valeurs proposées."),
        bad("scale", ["4", "5"], "Une seule réponse est possible."),
        bad("scale", [], "Répondez à cette question."),
        bad("recommend", ["11"], "Choisissez une des valeurs proposées."),
        bad("recommend", ["-1"], "Choisissez une des valeurs proposées."),
        bad(
            "free_text",
            ["x" * 100_000],
            "Votre réponse dépasse 2 000 caractères : raccourcissez-la.",
        ),
        bad(
            "free_text", ["x" * 2001], "Votre réponse dépasse 2 000 caractères : raccourcissez-la."
        ),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    professional, question_type, values, message
):
    _, hot, _ = completed_module(professional)
    data = valid_answers(hot.questionnaire)
    question = questions_by_type(hot.questionnaire)[question_type][0]
    data[question["id"]] = values

    with pytest.raises(SurveyError) as excinfo:
        services.submit_response(hot, data)

    assert excinfo.value.code == "invalid_answers"
    assert str(excinfo.value.errors[question["id"]]) == message
    assert not SurveyResponse.objects.exists()
    hot.refresh_from_db()
    assert hot.answered_at is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["Une réponse inventée"], "Choisissez parmi les réponses proposées."),
        (["<script>alert(1)</script>"], "Choisissez parmi les réponses proposées."),
    ],
)
def test_a_choice_must_be_one_listed(professional, values, message):
    _, _, cold = completed_module(professional)
    data = valid_answers(cold.questionnaire)
    question = questions_by_type(cold.questionnaire)["choice"][0]
    data[question["id"]] = values
    with pytest.raises(SurveyError) as excinfo:
        services.submit_response(cold, data)
    assert str(excinfo.value.errors[question["id"]]) == message
    assert not SurveyResponse.objects.exists()


def test_yes_no_takes_one_or_zero(professional):
    _, _, cold = completed_module(professional)
    data = valid_answers(cold.questionnaire)
    question = questions_by_type(cold.questionnaire)["yes_no"][0]
    data[question["id"]] = ["2"]
    with pytest.raises(SurveyError):
        services.submit_response(cold, data)
    data[question["id"]] = ["0"]
    response = services.submit_response(cold, data)
    assert response.answers.get(question_type="yes_no").value == 0


def test_free_text_at_the_limit_and_optional_questions_are_accepted(professional):
    _, hot, _ = completed_module(professional)
    data = valid_answers(hot.questionnaire, text="é" * 2000)
    response = services.submit_response(hot, data)
    assert len(response.answers.get(question_type="free_text").text) == 2000

    _, other, _ = completed_module(professional)
    data = valid_answers(other.questionnaire)
    del data[questions_by_type(other.questionnaire)["free_text"][0]["id"]]
    response = services.submit_response(other, data)
    assert not response.answers.filter(question_type="free_text").exists()


def test_html_and_formulas_are_stored_as_typed(professional):
    _, hot, _ = completed_module(professional)
    text = '=HYPERLINK("http://evil.example","clic") <b>gras</b>'
    response = services.submit_response(hot, valid_answers(hot.questionnaire, text=text))
    assert response.answers.get(question_type="free_text").text == text


def test_questions_not_asked_are_ignored(professional):
    _, hot, _ = completed_module(professional)
    data = {**valid_answers(hot.questionnaire), "not-a-question": ["5"]}
    response = services.submit_response(hot, data)
    assert not response.answers.filter(question_id="not-a-question").exists()


def test_open_invitations_are_due_and_unanswered(professional):
    _, hot, cold = completed_module(professional)
    assert services.open_invitations(professional) == [hot]
    later = timezone.now() + timedelta(days=91)
    assert {i.pk for i in services.open_invitations(professional, now=later)} == {hot.pk, cold.pk}
    # Four months after it fell due, an unanswered one is no longer offered.
    much_later = timezone.now() + timedelta(days=125)
    assert {i.pk for i in services.open_invitations(professional, now=much_later)} == {cold.pk}
    services.submit_response(hot, valid_answers(hot.questionnaire))
    assert services.open_invitations(professional) == []
