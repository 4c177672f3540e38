"""Editors building the « Que faire ? » path in the admin: a cycle, a dead end, more
than 12 levels or an answer to an unpublished page → a clear error, nothing saved;
a page that live answers lead to is neither unpublished nor deleted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowPage
from wagtail.test.utils.form_data import querydict_from_html

from guides.models import OrientationAnswer, OrientationPage, OrientationStepPage
from guides.orientation import MAX_DEPTH
from guides.setup import WORKFLOW_NAME
from tests.conftest import PASSWORD

from .orientation_factories import make_outcome, make_step, set_start


@pytest.fixture
def admin_client(client, coordinator):
    assert client.login(email=coordinator.email, password=PASSWORD)
    return client


def edit_data(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def set_target(data, index, page):
    data[f"answers-{index}-target"] = str(page.pk)


def publish(client, page, data):
    data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def answers_of(step):
    return list(
        OrientationAnswer.objects.filter(page=step)
        .order_by("sort_order")
        .values_list("key", "target_id")
    )


def assert_refused(response, step, before, words):
    assert response.status_code == 200  # the form again, with its errors
    html = response.content.decode()
    assert words in html
    assert answers_of(step) == before
    assert Page.objects.get(pk=step.pk).latest_revision_id == step.latest_revision_id


def test_a_valid_change_is_published(admin_client, orientation_tree):
    q2 = orientation_tree["q2"]
    data = edit_data(admin_client, q2)
    set_target(data, 1, orientation_tree["transmettre"])
    response = publish(admin_client, q2, data)
    assert response.status_code == 302
    assert answers_of(q2)[1][1] == orientation_tree["transmettre"].pk


def test_a_cycle_is_refused(admin_client, orientation_tree):
    q2 = orientation_tree["q2"]
    before = answers_of(q2)
    data = edit_data(admin_client, q2)
    set_target(data, 1, orientation_tree["q1"])
    assert_refused(publish(admin_client, q2, data), q2, before, "crée une boucle")


def test_an_unpublished_target_is_refused(admin_client, orientation_tree):
    q2 = orientation_tree["q2"]
    before = answers_of(q2)
    draft = make_outcome(orientation_tree["orientation"], "brouillon", publish=False)
    data = edit_data(admin_client, q2)
    set_target(data, 1, draft)
    assert_refused(publish(admin_client, q2, data), q2, before, "non publiée")


def test_a_dead_end_is_refused(admin_client, orientation_tree):
    orientation = orientation_tree["orientation"]
    draft = make_outcome(orientation, "brouillon", publish=False)
    # A live question whose only answers lead to a draft: nothing follows it.
    stuck = make_step(orientation, "impasse", [("A", "a", draft), ("B", "b", draft)])
    q2 = orientation_tree["q2"]
    before = answers_of(q2)
    data = edit_data(admin_client, q2)
    set_target(data, 1, stuck)
    assert_refused(publish(admin_client, q2, data), q2, before, "n&#x27;a pas de réponse")


def test_a_thirteenth_level_is_refused(admin_client, orientation_tree):
    orientation = orientation_tree["orientation"]
    end = orientation_tree["urgence"]
    # q1 → q2 → c1 → … : q1 and q2 are 2 levels; 10 more questions make 12.
    below = end
    chain = []
    for number in range(MAX_DEPTH - 2, 0, -1):
        below = make_step(
            orientation, f"c{number}", [("Suite", "suite", below), ("Fin", "fin", end)]
        )
        chain.append(below)
    q2 = orientation_tree["q2"]
    data = edit_data(admin_client, q2)
    set_target(data, 1, below)
    assert publish(admin_client, q2, data).status_code == 302  # 12 levels: accepted
    deepest = chain[0]  # c10, the 12th question
    extra = make_step(orientation, "c11", [("Suite", "suite", end), ("Fin", "fin", end)])
    before = answers_of(deepest)
    data = edit_data(admin_client, deepest)
    set_target(data, 0, extra)
    assert_refused(publish(admin_client, deepest, data), deepest, before, "13 questions")


def test_two_answers_with_the_same_key_are_refused(admin_client, orientation_tree):
    q2 = orientation_tree["q2"]
    before = answers_of(q2)
    data = edit_data(admin_client, q2)
    data["answers-1-key"] = data["answers-0-key"]
    assert_refused(publish(admin_client, q2, data), q2, before, "la même clé")


def test_the_start_must_be_a_live_question(orientation_tree):
    from django.core.exceptions import ValidationError

    orientation = OrientationPage.objects.get()
    draft = make_step(
        orientation_tree["orientation"],
        "brouillon",
        [("A", "a", orientation_tree["urgence"]), ("B", "b", orientation_tree["urgence"])],
        publish=False,
    )
    orientation.start_step = draft
    with pytest.raises(ValidationError) as excinfo:
        orientation.full_clean()
    assert "start_step" in excinfo.value.message_dict
    set_start(orientation, orientation_tree["q1"])


@pytest.mark.parametrize("action", ["unpublish", "delete"])
def test_a_page_live_answers_lead_to_is_kept(admin_client, orientation_tree, action):
    target = orientation_tree["transmettre"]
    url = reverse(f"wagtailadmin_pages:{action}", args=[target.pk])
    response = admin_client.post(url, follow=True)
    assert "refusée" in response.content.decode()
    page = Page.objects.filter(pk=target.pk).first()
    assert page is not None and page.live


def test_a_page_no_live_answer_leads_to_can_go(admin_client, orientation_tree):
    orphan = make_outcome(orientation_tree["orientation"], "orpheline")
    url = reverse("wagtailadmin_pages:unpublish", args=[orphan.pk])
    admin_client.post(url)
    assert not Page.objects.get(pk=orphan.pk).live


def test_the_path_goes_through_legal_review(orientation_tree):
    orientation = orientation_tree["orientation"]
    assert WorkflowPage.objects.get(page=orientation).workflow.name == WORKFLOW_NAME
    step = OrientationStepPage.objects.get(slug="q2")
    assert step.get_workflow().name == WORKFLOW_NAME


def test_steps_and_outcomes_due_for_review_are_in_the_report(admin_client, orientation_tree):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    q2 = orientation_tree["q2"]
    OrientationStepPage.objects.filter(pk=q2.pk).update(next_review_due=soon)
    response = admin_client.get(reverse("guides_to_review"))
    assert response.status_code == 200
    assert q2.title in [page.title for page in response.context["object_list"]]


class TestOrientationTree:
    """Page tree rules (https://docs.wagtail.org/en/stable/advanced_topics/testing.html)."""

    def test_tree(self):
        from wagtail.test.utils import WagtailPageTestCase

        from guides.models import OrientationOutcomePage
        from home.models import HomePage

        case = WagtailPageTestCase()
        case.assertAllowedParentPageTypes(OrientationPage, {HomePage})
        case.assertAllowedSubpageTypes(
            OrientationPage, {OrientationStepPage, OrientationOutcomePage}
        )
        case.assertAllowedSubpageTypes(OrientationStepPage, set())
        case.assertAllowedSubpageTypes(OrientationOutcomePage, set())
        assert OrientationPage.max_count == 1


@pytest.mark.parametrize("action", ["unpublish", "delete"])
def test_bulk_actions_keep_a_page_live_answers_lead_to(admin_client, orientation_tree, action):
    target = orientation_tree["transmettre"]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = admin_client.post(f"{url}?id={target.pk}", {"include_descendants": ""}, follow=True)
    assert "refusée" in response.content.decode()
    page = Page.objects.filter(pk=target.pk).first()
    assert page is not None and page.live


def test_bulk_unpublish_of_a_page_nothing_leads_to_goes_through(admin_client, orientation_tree):
    orphan = make_outcome(orientation_tree["orientation"], "orpheline")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    admin_client.post(f"{url}?id={orphan.pk}", {"include_descendants": ""})
    assert not Page.objects.get(pk=orphan.pk).live
