"""The complaint form is rate-limited per connection and per address, in the shared cache."""

import pytest

from quality import views
from quality.models import Complaint

from .test_complaint_form import URL, data

pytestmark = pytest.mark.django_db


def test_one_connection_is_limited(client, monkeypatch):
    monkeypatch.setattr(views, "CLIENT_LIMIT", 2)
    for index in range(2):
        client.post(URL, data(email=f"p{index}@example.org", message=f"Message {index}."))

    response = client.post(URL, data(email="p9@example.org", message="Un de trop."))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de messages" in response.content.decode()
    assert Complaint.objects.count() == 2


def test_one_address_is_limited_across_connections(client, monkeypatch):
    monkeypatch.setattr(views, "EMAIL_LIMIT", 2)
    for index in range(2):
        client.post(URL, data(message=f"Message {index}."), REMOTE_ADDR=f"198.51.100.{index}")

    response = client.post(
        URL, data(email="ALEX@example.org", message="Encore."), REMOTE_ADDR="198.51.100.9"
    )

    assert response.status_code == 429
    assert Complaint.objects.count() == 2


def test_reading_the_form_is_never_limited(client, monkeypatch):
    monkeypatch.setattr(views, "CLIENT_LIMIT", 1)
    for _ in range(5):
        assert client.get(URL).status_code == 200


def test_default_limits():
    assert (views.CLIENT_LIMIT, views.EMAIL_LIMIT, views.WINDOW) == (5, 3, 3600)


def test_the_limit_is_kept_in_the_shared_cache(client, shared_cache, monkeypatch):
    """Counted by the embedded default's file cache and by Redis, not in the process."""
    monkeypatch.setattr(views, "CLIENT_LIMIT", 1)
    client.post(URL, data())

    response = client.post(URL, data(email="b@example.org", message="Autre."))

    assert response.status_code == 429
