"""Certificates stay out of Wagtail's search index (names and codes are not copied there).

Coordination's search is a SQL filter over the rows (tests/certificates/test_admin.py);
migration 0004 removed the entries the first version wrote.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.search.models import IndexEntry

from certificates.models import Certificate
from certificates.services import reissue_certificate, revoke_certificate
from tests.certificates.helpers import certificate_of, complete_module
from tests.certificates.test_verify import make_certificate

pytestmark = pytest.mark.django_db

migration = importlib.import_module("certificates.migrations.0004_remove_search_index_entries")


def certificate_entries():
    return IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(Certificate))


def test_issuing_revoking_and_reissuing_write_no_index_entry(
    professional, coordinator, django_capture_on_commit_callbacks
):
    # Wagtail indexes on commit: run what a real commit would.
    with django_capture_on_commit_callbacks(execute=True):
        module, _completion = complete_module(professional)
        certificate = certificate_of(professional, module)
        replacement = reissue_certificate(certificate, by=coordinator, reason="Nom d'usage")
        revoke_certificate(replacement, by=coordinator, reason="Délivré par erreur")

    assert not certificate_entries().exists()


def test_the_migration_removes_certificate_entries_and_keeps_the_others():
    certificate = make_certificate(None, holder_last_name="Roux")
    page_entries = IndexEntry.objects.exclude(
        content_type=ContentType.objects.get_for_model(Certificate)
    ).count()
    # What the first version's indexing left: the name and the verification code.
    entry = IndexEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Certificate),
        object_id=str(certificate.pk),
        title="Roux",
        autocomplete="Roux",
        body=certificate.code,
    )

    migration.remove_certificate_entries(apps, connection.schema_editor())

    assert not certificate_entries().exists()
    assert IndexEntry.objects.count() == page_entries
    if connection.vendor == "sqlite":  # the full-text row went with it (wagtailsearch's trigger)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM wagtailsearch_indexentry_fts WHERE rowid = %s", [entry.pk]
            )
            assert cursor.fetchone() == (0,)
