"""Revisions, preview and scheduled publishing around the legal review workflow."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from guides.models import GuidePage
from tests.conftest import PASSWORD

from .test_guide_workflow import edit_form_data

pytestmark = pytest.mark.django_db


def submit_for_review(client, editor, guide, **extra):
    assert client.login(email=editor.email, password=PASSWORD)
    data = edit_form_data(client, guide)
    data.update(extra)
    data["action-submit"] = "action-submit"
    client.post(reverse("wagtailadmin_pages:edit", args=[guide.pk]), data)
    client.logout()
    guide.refresh_from_db()
    return guide.current_workflow_state


def approve(client, reviewer, guide, state):
    assert client.login(email=reviewer.email, password=PASSWORD)
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[guide.pk, "approve", state.current_task_state.pk],
    )
    client.post(url, {"comment": ""})
    client.logout()


def test_reviewer_previews_the_submitted_revision(make_guide, editor, reviewer, client):
    guide = make_guide(live=False, title="Guide en relecture")
    submit_for_review(client, editor, guide)
    assert client.login(email=reviewer.email, password=PASSWORD)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[guide.pk]))
    assert response.status_code == 200
    assert "Guide en relecture" in response.content.decode()


def test_every_save_is_a_revision(make_guide, editor, client):
    guide = make_guide(live=False)
    before = guide.revisions.count()
    submit_for_review(client, editor, guide)
    assert guide.revisions.count() == before + 1


def test_approved_guide_with_a_future_date_goes_live_with_publish_scheduled(
    make_guide, editor, reviewer, client
):
    guide = make_guide(live=False, title="Publication programmée")
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    state = submit_for_review(client, editor, guide, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    approve(client, reviewer, guide, state)
    guide.refresh_from_db()
    assert not guide.live
    assert client.get(f"/guides/{guide.slug}/").status_code == 404
    scheduled = guide.revisions.filter(approved_go_live_at__isnull=False).get()
    assert scheduled.approved_go_live_at > timezone.now()

    # Once the date has passed (moved back in time here, in the revision too), the
    # documented cron job publishes it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.approved_go_live_at = past
    scheduled.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    guide = GuidePage.objects.get(pk=guide.pk)
    assert guide.live
    assert client.get(guide.url).status_code == 200
