"""Fixtures for the configuration tests."""

import pytest

from tests.conftest import make_user


@pytest.fixture
def admin_client(client, django_user_model):
    """A client signed in as a superuser (with the second factor staff must have)."""
    admin = make_user(django_user_model, "admin.config@example.org", is_superuser=True)
    client.force_login(admin, backend="accounts.backends.ModelBackend")
    return client
