"""The once-only box of « Mon espace »: shown when sector or workplace is blank, its two
buttons, and what a tampered POST gets (a message, nothing stored)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import services
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ESPACE = "/espace/"
PROMPT = "/comptes/profil/completer/"
PROMPT_TITLE = "Votre secteur et votre commune d’exercice"


def espace_html(client):
    response = client.get(ESPACE)
    assert response.status_code == 200
    return response.content.decode()


def post(client, **data):
    return client.post(PROMPT, {"next": ESPACE, "sector": "", "workplace": "", **data})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_url_name():
    assert reverse("account_profile_prompt") == PROMPT


def test_the_box_shows_when_a_field_is_blank(client, professional):
    client.force_login(professional)
    html = espace_html(client)
    assert PROMPT_TITLE in html
    assert "Pour que le Département sache quels métiers et quelles communes" in html
    assert f'action="{PROMPT}"' in html
    assert 'name="action" value="save"' in html and 'name="action" value="dismiss"' in html
    assert '<label class="field__label" for="id_sector">' in html
    assert '<label class="field__label" for="id_workplace">' in html
    assert 'aria-describedby="id_workplace_helptext"' in html


@pytest.mark.parametrize(
    ("sector", "commune", "departement", "shown"),
    [
        ("sante", "93008", "93", False),
        ("sante", "", "75", False),
        ("sante", "", "", True),
        ("", "93008", "93", True),
    ],
)
def test_the_box_shows_only_when_needed(client, professional, sector, commune, departement, shown):
    professional.sector = sector
    professional.workplace_commune, professional.workplace_departement = commune, departement
    professional.save()
    client.force_login(professional)
    assert (PROMPT_TITLE in espace_html(client)) is shown


def test_the_box_keeps_what_is_already_known(client, professional):
    professional.sector = "justice"
    professional.save()
    client.force_login(professional)
    assert '<option value="justice" selected>' in espace_html(client)


def test_save_stores_the_fields_and_the_box_is_gone(client, professional):
    client.force_login(professional)
    response = post(client, action="save", sector="education_nationale", workplace="93066")
    assert response.status_code == 302
    assert response["Location"] == ESPACE
    assert messages_of(response) == ["Merci, votre profil a été enregistré."]
    professional.refresh_from_db()
    assert professional.sector == "education_nationale"
    assert (professional.workplace_commune, professional.workplace_departement) == ("93066", "93")
    assert professional.profile_prompt_answered_at is not None
    assert PROMPT_TITLE not in espace_html(client)
    entry = ModelLogEntry.objects.get(action="reperes.profile_prompt")
    assert entry.data["dismissed"] is False
    assert set(entry.data["fields"]) == {"sector", "workplace_commune", "workplace_departement"}


def test_save_hors_departement(client, professional):
    client.force_login(professional)
    post(client, action="save", workplace="hors", workplace_departement_number="2a")
    professional.refresh_from_db()
    assert (professional.workplace_commune, professional.workplace_departement) == ("", "2A")


def test_save_with_nothing_chosen_still_counts_as_an_answer(client, professional):
    client.force_login(professional)
    post(client, action="save")
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is not None
    assert (professional.sector, professional.workplace_departement) == ("", "")
    assert PROMPT_TITLE not in espace_html(client)


def test_dismiss_changes_nothing_but_the_box(client, professional):
    client.force_login(professional)
    response = post(client, action="dismiss", sector="sante", workplace="93008")
    assert response.status_code == 302
    assert response["Location"] == ESPACE
    assert messages_of(response) == [
        "C'est noté : nous ne vous le demanderons plus. Votre profil reste modifiable."
    ]
    professional.refresh_from_db()
    assert (professional.sector, professional.workplace_commune) == ("", "")
    assert professional.profile_prompt_answered_at is not None
    assert PROMPT_TITLE not in espace_html(client)
    assert ModelLogEntry.objects.get(action="reperes.profile_prompt").data == {
        "dismissed": True,
        "fields": [],
    }


def test_dismiss_works_even_with_tampered_fields(client, professional):
    client.force_login(professional)
    response = post(client, action="dismiss", workplace="x" * 5000)
    assert response.status_code == 302
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is not None


def test_answering_again_keeps_the_first_date(client, professional):
    client.force_login(professional)
    post(client, action="dismiss")
    professional.refresh_from_db()
    first = professional.profile_prompt_answered_at
    post(client, action="save", sector="sante")
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at == first
    assert professional.sector == "sante"
    assert ModelLogEntry.objects.filter(action="reperes.profile_prompt").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"workplace": "75056"}, "workplace", "Choisissez une commune de la liste."),
        ({"workplace": "x" * 5000}, "workplace", "Choisissez une commune de la liste."),
        ({"sector": "x" * 5000}, "sector", "Choisissez un secteur de la liste."),
        (
            {"workplace": "hors", "workplace_departement_number": "93"},
            "workplace_departement_number",
            "Le 93 est la Seine-Saint-Denis",
        ),
        (
            {"workplace": "hors"},
            "workplace_departement_number",
            "Indiquez le numéro du département",
        ),
        (
            {"workplace": "hors", "workplace_departement_number": "9" * 5000},
            "workplace_departement_number",
            "Ce n'est pas un numéro de département français",
        ),
    ],
)
def test_a_tampered_post_gets_a_message_and_changes_nothing(
    client, professional, data, field, message
):
    client.force_login(professional)
    response = post(client, action="save", **{"sector": "sante", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in response.context["form"].errors[field][0]
    assert 'class="error-summary"' in html
    professional.refresh_from_db()
    assert (professional.sector, professional.workplace_commune) == ("", "")
    assert professional.workplace_departement == ""
    assert professional.profile_prompt_answered_at is None
    assert not ModelLogEntry.objects.filter(action="reperes.profile_prompt").exists()


def test_post_only_login_and_csrf(client, professional):
    assert client.post(PROMPT, {"action": "dismiss"}).status_code == 302  # to the login
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is None
    client.force_login(professional)
    assert client.get(PROMPT).status_code == 405

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(professional)
    assert strict.post(PROMPT, {"action": "dismiss"}).status_code == 403
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is None


def test_next_elsewhere_is_refused(client, professional):
    client.force_login(professional)
    response = client.post(PROMPT, {"action": "dismiss", "next": "https://pirate.example/"})
    assert response["Location"] == "/"


def test_each_person_answers_for_themselves(client, professional, django_user_model):
    other = make_user(django_user_model, "autre@example.org")
    client.force_login(professional)
    post(client, action="save", sector="sante", user=other.pk, pk=other.pk)
    other.refresh_from_db()
    assert other.sector == "" and other.profile_prompt_answered_at is None


def test_mon_espace_queries_do_not_depend_on_the_box(
    client, professional, django_assert_max_num_queries
):
    """The box reads the fields already on request.user: no query of its own."""
    client.force_login(professional)
    client.get(ESPACE)
    with django_assert_max_num_queries(50) as with_box:
        assert PROMPT_TITLE in espace_html(client)
    services.answer_profile_prompt(professional, dismissed=True)
    client.get(ESPACE)  # the saved account is cached again (accounts/user_cache.py)
    with django_assert_max_num_queries(50) as without_box:
        assert PROMPT_TITLE not in espace_html(client)
    assert len(with_box) == len(without_box)


def test_the_service_refuses_data_with_a_dismissal(professional):
    with pytest.raises(services.AccountError) as excinfo:
        services.answer_profile_prompt(professional, dismissed=True, sector="sante")
    assert excinfo.value.code == "dismissed_with_data"
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at is None


def test_the_service_is_idempotent(professional):
    services.answer_profile_prompt(professional, sector="sante")
    first = professional.profile_prompt_answered_at
    assert first is not None and first <= timezone.now()
    assert services.answer_profile_prompt(professional, sector="sante") == []
    professional.refresh_from_db()
    assert professional.profile_prompt_answered_at == first
