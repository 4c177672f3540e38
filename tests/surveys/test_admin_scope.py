"""Questionnaires in Wagtail, publisher by publisher (issue 14, « Qui voit quoi »).

An editor sees their publishers' questionnaires and the platform's; edits only
theirs; another publisher's is a 404 in every view that takes an id. Coordination
sees and edits everything.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Questionnaire
from tests.guides.factories import PublisherFactory

from .helpers import platform_default

pytestmark = pytest.mark.django_db

INDEX = "wagtailsnippets_surveys_questionnaire:list"


def url(view, questionnaire):
    return reverse(f"wagtailsnippets_surveys_questionnaire:{view}", args=[questionnaire.pk])


@pytest.fixture
def publishers(editor):
    """(the editor's publisher, another one) with one questionnaire each."""
    own = PublisherFactory(name="Observatoire")
    own.members.add(editor)
    other = PublisherFactory(name="Amicale du Nid")
    Questionnaire.objects.create(title="Observatoire — à chaud", publisher=own, questions=[])
    Questionnaire.objects.create(title="Amicale — à chaud", publisher=other, questions=[])
    return own, other


def own_questionnaire(publisher):
    return Questionnaire.objects.get(publisher=publisher)


def test_an_editor_lists_their_publishers_and_the_platform(client, editor, publishers):
    own, _other = publishers
    client.force_login(editor)
    html = client.get(reverse(INDEX)).content.decode()
    assert "Observatoire — à chaud" in html
    assert "Questionnaire à chaud" in html  # the platform's
    assert "Amicale — à chaud" not in html
    assert "Amicale du Nid" not in html  # nor in the publisher filter
    assert url("edit", own_questionnaire(own)) in html
    # The platform's open read-only: no edit link, the inspect view instead.
    platform = platform_default("chaud")
    assert url("edit", platform) not in html
    assert url("inspect", platform) in html


def test_the_listing_costs_the_same_with_more_questionnaires(client, editor, publishers):
    own, _other = publishers
    client.force_login(editor)
    client.get(reverse(INDEX))  # warm the caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(INDEX)).status_code == 200
    for number in range(5):
        Questionnaire.objects.create(title=f"Observatoire {number}", publisher=own, questions=[])
    with CaptureQueriesContext(connection) as more:
        assert client.get(reverse(INDEX)).status_code == 200
    assert len(more) == len(few)


def test_coordination_lists_and_edits_every_questionnaire(client, coordinator, publishers):
    _own, other = publishers
    client.force_login(coordinator)
    html = client.get(reverse(INDEX)).content.decode()
    assert "Observatoire — à chaud" in html and "Amicale — à chaud" in html
    filtered = client.get(reverse(INDEX), {"publisher": other.pk}).content.decode()
    assert "Amicale — à chaud" in filtered and "Observatoire — à chaud" not in filtered
    assert url("edit", platform_default("chaud")) in html
    for questionnaire in (own_questionnaire(other), platform_default("chaud")):
        assert client.get(url("edit", questionnaire)).status_code == 200


@pytest.mark.parametrize("view", ["edit", "delete", "copy", "inspect", "history", "usage"])
def test_another_publishers_questionnaire_is_404(client, editor, publishers, view):
    _own, other = publishers
    client.force_login(editor)
    assert client.get(url(view, own_questionnaire(other))).status_code == 404


def test_another_publishers_questionnaire_cannot_be_posted_to(client, editor, publishers):
    _own, other = publishers
    questionnaire = own_questionnaire(other)
    client.force_login(editor)
    response = client.post(url("edit", questionnaire), {"title": "Pris"})
    assert response.status_code == 404
    assert Questionnaire.objects.get(pk=questionnaire.pk).title == "Amicale — à chaud"


@pytest.mark.parametrize("view", ["edit", "inspect", "copy", "history"])
def test_an_editor_opens_their_own(client, editor, publishers, view):
    own, _other = publishers
    client.force_login(editor)
    assert client.get(url(view, own_questionnaire(own))).status_code == 200


def test_the_platform_questionnaires_are_read_only_for_an_editor(client, editor, publishers):
    platform = platform_default("chaud")
    client.force_login(editor)
    inspect = client.get(url("inspect", platform))
    assert inspect.status_code == 200
    assert url("edit", platform) not in inspect.content.decode()
    assert client.get(url("copy", platform)).status_code == 200  # to adapt it
    # Refused on the edit view itself, not only left out of the listing.
    for response in (
        client.get(url("edit", platform)),
        client.post(url("edit", platform), {"title": "Changé"}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert Questionnaire.objects.get(pk=platform.pk).title == platform.title


def test_an_editor_without_a_publisher_sees_the_platform_only(client, editor, publishers):
    own, _other = publishers
    own.members.remove(editor)
    client.force_login(editor)
    html = client.get(reverse(INDEX)).content.decode()
    assert "Questionnaire à chaud" in html
    assert "Observatoire — à chaud" not in html
    assert client.get(url("edit", own_questionnaire(own))).status_code == 404
    # Nothing they could add: no button, and the add view refuses.
    assert reverse("wagtailsnippets_surveys_questionnaire:add") not in html
    add = client.get(reverse("wagtailsnippets_surveys_questionnaire:add"))
    assert add.status_code in (302, 403)


def questionnaire_form(**kwargs):
    """The form class the viewset builds from the panels and `QuestionnaireAdminForm`."""
    return Questionnaire.snippet_viewset.get_form_class()(**kwargs)


def test_the_form_offers_an_editor_their_publishers_only(editor, publishers):
    own, other = publishers
    form = questionnaire_form(for_user=editor)
    assert list(form.fields["publisher"].queryset) == [own]
    # An editor's questionnaire belongs to one of their publishers: never the platform's.
    assert form.fields["publisher"].required
    with pytest.raises(ValidationError):
        form.fields["publisher"].clean(other.pk)
    with pytest.raises(ValidationError):
        form.fields["publisher"].clean("")
    assert form.fields["publisher"].clean(own.pk) == own


def test_the_form_offers_coordination_every_publisher(coordinator, publishers):
    form = questionnaire_form(for_user=coordinator)
    assert set(form.fields["publisher"].queryset) == set(publishers)
    assert not form.fields["publisher"].required  # empty: a platform questionnaire


def test_the_add_view_uses_the_scoped_form(client, editor, publishers):
    client.force_login(editor)
    html = client.get(reverse("wagtailsnippets_surveys_questionnaire:add")).content.decode()
    assert "Observatoire" in html
    assert "Amicale du Nid" not in html


def test_the_permission_policy_narrows_change_per_questionnaire(editor, coordinator, publishers):
    from wagtail.permissions import policy_registry

    own, other = publishers
    policy = policy_registry.get_by_type(Questionnaire)
    change = policy.user_has_permission_for_instance
    assert change(editor, "change", own_questionnaire(own))
    assert not change(editor, "change", own_questionnaire(other))
    assert not change(editor, "change", platform_default("chaud"))
    assert change(editor, "view", platform_default("chaud"))
    assert all(
        change(coordinator, "change", questionnaire)
        for questionnaire in Questionnaire.objects.all()
    )


CHOOSER = "wagtailsnippetchoosers_surveys_questionnaire"


def test_the_chooser_of_the_module_editor_offers_the_visible_questionnaires_only(
    client, editor, publishers
):
    own, other = publishers
    client.force_login(editor)
    for view in ("choose", "choose_results"):
        response = client.get(reverse(f"{CHOOSER}:{view}"))
        assert response.status_code == 200
        html = response.content.decode() if view == "choose_results" else str(response.json())
        assert "Observatoire — à chaud" in html
        assert "Questionnaire à chaud" in html  # the platform's
        assert "Amicale — à chaud" not in html
    theirs = own_questionnaire(other)
    assert client.get(reverse(f"{CHOOSER}:chosen", args=[theirs.pk])).status_code == 404
    mine = client.get(reverse(f"{CHOOSER}:chosen", args=[own_questionnaire(own).pk]))
    assert mine.status_code == 200
    multiple = client.get(reverse(f"{CHOOSER}:chosen_multiple"), {"id": [theirs.pk]})
    assert "Amicale" not in multiple.content.decode()
