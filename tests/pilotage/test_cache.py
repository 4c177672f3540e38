"""The dashboard's cached figures (pilotage/cache.py, issue 15): computed once per set
of filters, computed again when a record they count changes or the window ends, and
the page says when they were computed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage import cache
from pilotage.dashboard import build_dashboard
from pilotage.filters import read_filters
from pilotage.scope import visible_publishers
from tests.conftest import make_user

from . import helpers as h
from .conftest import YEAR
from .test_queries import more_history

pytestmark = pytest.mark.django_db

DASHBOARD = "pilotage:dashboard"


def trained(response):
    return response.context["dashboard"].table("personnes").total[1].value


def view(client, params=YEAR):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(DASHBOARD), params)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_view_reads_the_figures_from_the_cache_and_says_when(coordination, history):
    first, computing = view(coordination)
    second, cached = view(coordination)
    assert cached < computing - 10
    assert trained(second) == trained(first) == 8
    computed = second.context["dashboard"].computed_at
    assert computed == first.context["dashboard"].computed_at
    assert "Chiffres calculés le" in second.content.decode()


def test_a_record_counted_drops_the_cached_figures(coordination, history, django_user_model):
    assert trained(view(coordination)[0]) == 8
    newcomer = make_user(django_user_model, "new@example.org", profession="cpe")
    h.complete(newcomer, history.mb, h.paris(2026, 7, 1), 600)
    assert trained(view(coordination)[0]) == 9


def test_other_filters_are_other_entries(coordination, history):
    assert trained(view(coordination)[0]) == 8
    assert trained(view(coordination, {**YEAR, "profession": "cpe"})[0]) == "< 5"


def test_the_window_ending_drops_them(coordination, history, monkeypatch):
    first = view(coordination)[0].context["dashboard"].computed_at
    window = cache.current_window()
    monkeypatch.setattr(cache, "current_window", lambda: window + 1)
    response, _queries = view(coordination)
    assert response.context["dashboard"].computed_at > first


def test_a_login_keeps_them_a_profile_change_drops_them(coordination, history, client):
    first = view(coordination)[0].context["dashboard"].computed_at
    user = history.users[7]
    user.save(update_fields=["last_login"])
    assert view(coordination)[0].context["dashboard"].computed_at == first
    user.profession = "medecin"
    user.save(update_fields=["profession"])
    assert view(coordination)[0].context["dashboard"].computed_at > first


def test_computing_them_takes_as_many_queries_with_more_data(
    coordinator, history, django_user_model
):
    """The cache aside, the figures' own query count does not grow with the data."""

    def computing():
        result = read_filters(YEAR, visible_publishers(coordinator), coordination=True)
        with CaptureQueriesContext(connection) as queries:
            build_dashboard(result.filters)
        return len(queries)

    small = computing()
    more_history(history, django_user_model, 12)
    assert computing() == small
