"""The grouped median in SQL: the window method (SQLite and PostgreSQL) and
PostgreSQL's percentile_cont give the same, hand-computed, medians."""

import pytest

from courses.models import ModuleCompletion
from pilotage.sql import PERCENTILE, WINDOW, grouped_median

from . import helpers as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def even(history):
    """Module B gets a second completion: 900 and 1,500 s, median 1,200."""
    h.complete(history.users[0], history.mb, h.paris(2026, 6, 20), 1500)
    return history


def test_window_median(even):
    medians = grouped_median(
        ModuleCompletion.objects.all(), "module_id", "time_spent_seconds", method=WINDOW
    )
    assert medians[even.ma.pk] == (1800.0, 5)
    assert medians[even.mb.pk] == (1200.0, 2)


def test_default_method_matches(even):
    medians = grouped_median(ModuleCompletion.objects.all(), "module_id", "time_spent_seconds")
    assert medians[even.mb.pk] == (1200.0, 2)


def test_median_of_nothing_is_no_row(history):
    assert (
        grouped_median(
            ModuleCompletion.objects.none().filter(pk=0), "module_id", "time_spent_seconds"
        )
        == {}
    )


@pytest.mark.postgres
def test_percentile_cont_on_postgresql(even):
    medians = grouped_median(
        ModuleCompletion.objects.all(), "module_id", "time_spent_seconds", method=PERCENTILE
    )
    assert medians[even.ma.pk] == (1800.0, 5)
    assert medians[even.mb.pk] == (1200.0, 2)
