"""load_demo: credible example content, idempotent, no demo accounts in production."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import WorkflowState

from accounts import roles
from guides.models import GuidePage, Publisher
from home.demo.accounts import DEMO_ACCOUNTS
from home.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_refuses_demo_accounts_without_debug_or_force(settings):
    settings.DEBUG = False
    output = load()
    assert "--force" in output
    assert not get_user_model().objects.exists()
    # The example content itself is still loaded.
    assert GuidePage.objects.live().count() == 5


def test_force_creates_one_account_per_role(settings):
    settings.DEBUG = False
    load("--force")
    User = get_user_model()
    for role in roles.ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.count() == len(DEMO_ACCOUNTS)


def test_site_content_is_complete_and_marked_as_example(settings, client):
    settings.DEBUG = True
    load()
    assert Publisher.objects.count() == 3
    assert GuidePage.objects.live().count() == 5
    in_review = GuidePage.objects.get(slug="secret-professionnel-et-partage")
    assert not in_review.live
    assert WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(in_review.pk), status="in_progress"
    ).exists()
    assert StandardPage.objects.live().count() == 3
    site_settings = SiteSettings.objects.get()
    assert site_settings.accessibility_page.slug == "accessibilite"
    for guide in GuidePage.objects.live():
        assert guide.topics.exists() and guide.audiences.exists()
        page = client.get(guide.url)
        assert page.status_code == 200
        assert "Contenu d'exemple" in page.content.decode()
    for url in (
        block.value["url"]
        for guide in GuidePage.objects.live()
        for block in guide.body
        if block.block_type == "legal_reference"
    ):
        assert url.startswith("https://www.legifrance.gouv.fr/")


def test_second_run_keeps_data_and_creates_nothing(settings):
    settings.DEBUG = True
    load()
    guide = GuidePage.objects.live().first()
    guide.title = "Titre modifié par la rédaction"
    guide.save_revision().publish()
    output = load()
    assert "0 guide(s) créé(s)" in output
    assert GuidePage.objects.count() == 6
    guide.refresh_from_db()
    assert guide.title == "Titre modifié par la rédaction"
