"""Questionnaires in Wagtail (editors and Coordination), and the courses' own choice."""

import pytest
from django.urls import reverse

from courses.models import TrainingSession
from surveys.models import Questionnaire
from tests.courses.factories import ModulePageFactory
from tests.guides.factories import PublisherFactory
from tests.sessions.factories import build_session
from tests.sessions.test_trainer_views import edit_data

from .helpers import platform_default

pytestmark = pytest.mark.django_db

INDEX = "wagtailsnippets_surveys_questionnaire:list"


@pytest.mark.parametrize("role", ["editor", "coordinator"])
def test_editors_and_coordination_see_and_edit_questionnaires(client, request, role):
    client.force_login(request.getfixturevalue(role))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in home
    listing = client.get(reverse(INDEX)).content.decode()
    assert "Questionnaire à chaud" in listing and "Questionnaire à froid" in listing
    # The platform's questionnaires: Coordination edits them, editors read them
    # (tests/surveys/test_admin_scope.py).
    view = "edit" if role == "coordinator" else "inspect"
    url = reverse(
        f"wagtailsnippets_surveys_questionnaire:{view}", args=[platform_default("chaud").pk]
    )
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["trainer", "professional"])
def test_other_roles_do_not(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(INDEX))
    assert response.status_code in (302, 403)


def test_the_module_editor_shows_the_questionnaires_panel(client, django_user_model):
    from tests.conftest import make_user

    module = ModulePageFactory()
    client.force_login(make_user(django_user_model, "admin@example.org", is_superuser=True))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Questionnaires de satisfaction" in html
    assert 'name="survey_cold_delay_days"' in html
    # The questionnaires are picked through the scoped chooser (surveys/admin_scope.py).
    assert reverse("wagtailsnippetchoosers_surveys_questionnaire:choose") in html


def test_the_session_form_sets_the_questionnaires(client, coordinator):
    session = build_session()
    own = Questionnaire.objects.create(title="Amicale — à chaud", questions=[])
    client.force_login(coordinator)
    url = reverse("trainer:session_edit", kwargs={"uuid": session.uuid})
    assert 'name="survey_hot"' in client.get(url).content.decode()
    data = {**edit_data(session), "survey_hot": own.pk, "survey_cold_delay_days": "30"}
    response = client.post(url, data)
    assert response.status_code == 302
    session = TrainingSession.objects.get(pk=session.pk)
    assert session.survey_hot == own
    assert session.survey_cold is None
    assert session.survey_cold_delay_days == 30


def test_the_session_form_refuses_another_organisers_or_the_wrong_kinds_questionnaire(
    client, coordinator
):
    session = build_session()
    other = PublisherFactory(name="Autre éditeur")
    theirs = Questionnaire.objects.create(title="Autre — à chaud", publisher=other, questions=[])
    cold_only = Questionnaire.objects.create(title="À froid", kind="froid", questions=[])
    client.force_login(coordinator)
    url = reverse("trainer:session_edit", kwargs={"uuid": session.uuid})
    page = client.get(url).content.decode()
    # The « à chaud » list does not offer a questionnaire made for « à froid » only.
    hot_select = page.split('name="survey_hot"')[1].split("</select>")[0]
    assert "À froid" not in hot_select
    for field, questionnaire, message in (
        ("survey_hot", theirs, "de cet éditeur ou de toute la plateforme"),
        ("survey_hot", cold_only, None),
    ):
        response = client.post(url, {**edit_data(session), field: questionnaire.pk})
        assert response.status_code == 200
        if message:
            assert message in response.content.decode()
        session.refresh_from_db()
        assert session.survey_hot is None
