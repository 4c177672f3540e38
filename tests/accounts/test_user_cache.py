"""The signed-in person comes from the shared cache, and never outlives a change."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.backends import MODEL_BACKEND
from accounts.inactivity import clear_inactivity_warning
from accounts.reminders import turn_off_learning_reminders

pytestmark = pytest.mark.django_db

USER_ROW = 'FROM "accounts_user" WHERE "accounts_user"."id" ='


def user_row_reads(queries):
    return [query["sql"] for query in queries if USER_ROW in query["sql"]]


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional, backend=MODEL_BACKEND)
    return client


def test_a_signed_in_request_reads_no_user_row_once_cached(signed_in):
    assert signed_in.get(reverse("account_profile")).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(reverse("account_profile")).status_code == 200
    assert user_row_reads(queries.captured_queries) == []


def test_a_saved_change_shows_on_the_next_request(signed_in, professional):
    signed_in.get(reverse("account_profile"))
    professional.first_name = "Dominique"
    professional.save()
    page = signed_in.get(reverse("account_profile")).content.decode()
    assert "Dominique" in page
    assert user_cache.load(professional.pk).first_name == "Dominique"


def test_deactivation_signs_out_at_once_even_when_cached(signed_in, professional):
    assert signed_in.get(reverse("courses:dashboard")).status_code == 200
    professional.is_active = False
    professional.save(update_fields=["is_active"])
    assert signed_in.get(reverse("courses:dashboard")).status_code == 302


def test_a_deleted_account_is_no_longer_loaded(professional):
    assert user_cache.load(professional.pk) is not None
    user_id = professional.pk
    professional.delete()
    assert user_cache.load(user_id) is None


def test_bulk_updates_of_the_user_row_drop_the_entry(professional, rf):
    """`QuerySet.update` sends no signal: the two services that use it forget the row."""
    assert user_cache.load(professional.pk).learning_reminders is True
    turn_off_learning_reminders(professional)
    assert user_cache.load(professional.pk).learning_reminders is False

    professional.__class__.objects.filter(pk=professional.pk).update(
        inactivity_warned_at="2026-01-01T00:00:00Z"
    )
    user_cache.forget(professional.pk)
    professional.refresh_from_db()
    assert user_cache.load(professional.pk).inactivity_warned_at is not None
    clear_inactivity_warning(sender=None, request=rf.get("/"), user=professional)
    assert user_cache.load(professional.pk).inactivity_warned_at is None


def test_an_old_row_cached_during_the_transaction_is_dropped_at_commit(
    professional, django_capture_on_commit_callbacks
):
    """Another process may read and cache the committed (old) row while a change is
    still in its transaction: the commit drops that entry too."""
    user_cache.load(professional.pk)
    old_entry = cache.get(user_cache._key(professional.pk))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        professional.last_name = "Nouveau"
        professional.save()
        cache.set(user_cache._key(professional.pk), old_entry)  # the other process
    assert cache.get(user_cache._key(professional.pk)) is None
    assert user_cache.load(professional.pk).last_name == "Nouveau"


def test_an_entry_of_another_shape_of_the_model_is_not_used(professional):
    """After a deployment that adds a field, an old entry is read again from the table."""
    key = user_cache._key(professional.pk)
    cache.set(key, (("id", "email"), (professional.pk, "ancien@example.org")))
    assert user_cache.load(professional.pk).email == professional.email


def test_an_unknown_or_malformed_id_is_nobody(db):
    assert user_cache.load(987654) is None
    assert user_cache.load("pas-un-nombre") is None
