"""Who sees what: drafts and pages in review stay private; publishing goes through
the « Relecture juridique » workflow."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from accounts import roles
from guides.models import GuidePage
from guides.setup import WORKFLOW_NAME, ensure_editorial_setup
from tests.conftest import PASSWORD


def form_data(client, url):
    """The admin form as the browser would post it; the StreamField, built by
    JavaScript in a browser, is filled with one paragraph."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    body = nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Texte</p>"))])})
    for key, value in body.items():
        data[key] = value
    return data


def edit_form_data(client, page):
    return form_data(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))


def test_migration_created_the_workflow_and_admin_access(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    task = workflow.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [roles.RELECTEUR_JURIDIQUE]
    access = Permission.objects.get(codename="access_admin")
    assert {group.name for group in access.group_set.all()} >= set(roles.STAFF_ROLES)
    assert roles.PROFESSIONNEL not in {group.name for group in access.group_set.all()}


def test_editorial_setup_is_idempotent(guide_index):
    before = GroupPagePermission.objects.count()
    ensure_editorial_setup(guide_index)
    assert GroupPagePermission.objects.count() == before
    assert WorkflowPage.objects.get(page=guide_index).workflow.name == WORKFLOW_NAME


def test_editor_cannot_publish(make_guide, editor, client):
    assert client.login(email=editor.email, password=PASSWORD)
    guide = make_guide(published=True, title="Titre publié")
    data = edit_form_data(client, guide)
    data["title"] = "Titre modifié par la rédaction"
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data)
    guide.refresh_from_db()
    assert guide.title == "Titre publié"
    assert guide.has_unpublished_changes
    assert not guide.permissions_for_user(editor).can_publish()


def test_editor_creates_a_draft_not_a_live_page(guide_index, editor, client):
    assert client.login(email=editor.email, password=PASSWORD)
    add_url = reverse("wagtailadmin_pages:add", args=["guides", "guidepage", guide_index.pk])
    data = form_data(client, add_url)
    data["title"] = "Nouveau guide"
    data["slug"] = "nouveau-guide"
    data["summary"] = "Résumé"
    data["action-publish"] = "action-publish"
    client.post(add_url, data)
    page = GuidePage.objects.get(slug="nouveau-guide")
    assert not page.live


def test_reviewer_approves_through_the_workflow(make_guide, editor, reviewer, client):
    guide = make_guide(live=False, title="En relecture")
    # The editor submits for review.
    assert client.login(email=editor.email, password=PASSWORD)
    data = edit_form_data(client, guide)
    data["action-submit"] = "action-submit"
    client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data)
    guide.refresh_from_db()
    state = guide.current_workflow_state
    assert state is not None and state.workflow.name == WORKFLOW_NAME
    # In review, still not public.
    client.logout()
    assert client.get(guide.url).status_code == 404
    assert client.get(f"{guide.url}pdf/").status_code == 404
    # The legal reviewer approves with a comment: the guide is published.
    assert client.login(email=reviewer.email, password=PASSWORD)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[guide.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "Conforme au droit en vigueur."})
    assert response.status_code in (200, 302)
    guide.refresh_from_db()
    assert guide.live
    client.logout()
    assert client.get(guide.url).status_code == 200


def test_editor_cannot_approve(make_guide, editor, client):
    guide = make_guide(live=False)
    guide.save_revision(user=editor)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    state = workflow.start(guide, editor)
    assert client.login(email=editor.email, password=PASSWORD)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[guide.pk, "approve", state.current_task_state.pk],
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code in (302, 403)
    guide.refresh_from_db()
    assert not guide.live


@pytest.mark.parametrize("role", ["anonymous", "professional"])
def test_drafts_are_404_for_the_public(make_guide, client, professional, role):
    guide = make_guide(live=False)
    if role == "professional":
        client.force_login(professional)
    assert client.get(guide.url).status_code == 404
    assert client.get(f"{guide.url}pdf/").status_code == 404


def test_professional_cannot_enter_the_admin(professional, client):
    client.force_login(professional)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)
