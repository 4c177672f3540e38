"""The dashboard's query count does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_user

from . import helpers as h
from .conftest import YEAR

pytestmark = pytest.mark.django_db


def more_history(history, django_user_model, count):
    """`count` more learners, each enrolled, completing, and at a new session."""
    for index in range(count):
        user = make_user(django_user_model, f"extra{index}@example.org", profession="cpe")
        h.enrol(user, history.mb, h.paris(2026, 2 + index % 9, 1))
        h.complete(user, history.mb, h.paris(2026, 2 + index % 9, 2), 600 + index)
        h.attempt(user, history.mb, history.qb, 1, index % 2 == 0, h.paris(2026, 3, 1))
        session = h.session_on(history.b, datetime.date(2026, 3 + index % 8, 10), title=f"S{index}")
        h.mark(session, h.register(session, user), ["present", "late"])


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("pilotage:dashboard"), YEAR)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_constant(
    client, coordinator, history, django_user_model, django_assert_max_num_queries
):
    client.force_login(coordinator)
    client.get(reverse("pilotage:dashboard"), YEAR)  # warm: content types, site, menus
    small = dashboard_queries(client)
    more_history(history, django_user_model, 12)
    # Warm again: creating accounts invalidates the MFA middleware's cached check.
    client.get(reverse("pilotage:dashboard"), YEAR)
    with django_assert_max_num_queries(small):
        client.get(reverse("pilotage:dashboard"), YEAR)
    assert small < 60


def test_export_and_filters_query_count_is_constant(
    client, coordinator, history, django_user_model
):
    client.force_login(coordinator)
    url = reverse("pilotage:export", args=["tout"])
    params = {**YEAR, "profession": "cpe", "module": history.mb.pk}
    client.get(url, params)
    with CaptureQueriesContext(connection) as small:
        client.get(url, params)
    more_history(history, django_user_model, 6)
    client.get(url, params)
    with CaptureQueriesContext(connection) as large:
        client.get(url, params)
    assert len(large) == len(small)
