"""Site settings on the ground floor (core.SiteSettings, formerly home.SiteSettings)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.models import SiteSettings
from tests.conftest import make_user
from tests.home.factories import site_settings

pytestmark = pytest.mark.django_db

migration = importlib.import_module("core.migrations.0001_initial")


@pytest.fixture
def superuser(django_user_model):
    return make_user(django_user_model, "admin@example.org", is_superuser=True, is_staff=True)


def test_the_settings_live_in_core_under_their_own_table():
    assert SiteSettings._meta.app_label == "core"
    assert SiteSettings._meta.db_table == "core_sitesettings"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/settings/home/sitesettings/", "/admin/settings/core/sitesettings/"),
        ("/admin/settings/home/sitesettings/{pk}/", "/admin/settings/core/sitesettings/{pk}/"),
        (
            "/admin/settings/home/sitesettings/{pk}/preview/",
            "/admin/settings/core/sitesettings/{pk}/preview/",
        ),
    ],
)
def test_the_former_admin_addresses_lead_to_the_settings(client, superuser, old, new):
    settings = site_settings()
    client.force_login(superuser)

    response = client.get(old.format(pk=settings.site_id))

    assert response.status_code == 301
    assert response["Location"] == new.format(pk=settings.site_id)


def test_the_settings_page_opens_at_its_new_address(client, superuser):
    settings = site_settings(contact_email="contact@example.org")
    client.force_login(superuser)

    response = client.get(f"/admin/settings/core/sitesettings/{settings.site_id}/")

    assert response.status_code == 200
    assert "contact@example.org" in response.content.decode()


def test_the_former_addresses_stay_behind_the_admin_login(client):
    response = client.get("/admin/settings/home/sitesettings/")

    assert response.status_code == 302
    assert "/sitesettings/" not in response["Location"].split("?")[0]


def test_the_migration_moves_the_content_type_with_its_permissions():
    """On a database from before the move, the group keeps « change site settings »."""
    content_type = ContentType.objects.get_for_model(SiteSettings)
    ContentType.objects.filter(pk=content_type.pk).update(app_label="home")
    ContentType.objects.clear_cache()
    group = Group.objects.create(name="Réglages")
    group.permissions.add(
        Permission.objects.get(content_type=content_type, codename="change_sitesettings")
    )

    migration.move_content_type(apps, connection.schema_editor())
    migration.move_content_type(apps, connection.schema_editor())  # a second run changes nothing
    ContentType.objects.clear_cache()

    assert ContentType.objects.get(pk=content_type.pk).app_label == "core"
    assert not ContentType.objects.filter(app_label="home", model="sitesettings").exists()
    assert (
        Group.objects.get(pk=group.pk)
        .permissions.filter(content_type__app_label="core", codename="change_sitesettings")
        .exists()
    )
