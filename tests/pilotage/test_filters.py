"""Periods and presets of the filters, and unknown values ignored with a notice."""

import datetime

import pytest
from django.http import QueryDict

from guides.models import Publisher
from pilotage.filters import preset_period, read_filters

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)


def read(query):
    return read_filters(QueryDict(query), Publisher.objects.all(), coordination=True, today=TODAY)


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("mois", (datetime.date(2026, 12, 1), TODAY)),
        ("12-mois", (datetime.date(2026, 1, 1), TODAY)),
        ("annee", (datetime.date(2026, 1, 1), TODAY)),
        ("annee-precedente", (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
    ],
)
def test_presets(preset, expected):
    assert preset_period(preset, TODAY) == expected
    result = read(f"period={preset}")
    assert (result.filters.start, result.filters.end) == expected
    assert result.form["start"].value() == expected[0].isoformat()  # shown in the form


def test_last_12_months_across_a_year():
    assert preset_period("12-mois", datetime.date(2026, 3, 15))[0] == datetime.date(2025, 4, 1)


def test_default_is_the_last_12_months():
    result = read("")
    assert (result.filters.start, result.filters.end) == (datetime.date(2026, 1, 1), TODAY)
    assert result.notices == []


def test_dates_apply_when_no_preset_is_chosen():
    result = read("start=2026-03-01&end=2026-03-31")
    assert (result.filters.start, result.filters.end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )


def test_a_start_after_the_end_is_ignored_with_a_notice():
    result = read("start=2026-06-01&end=2026-01-01")
    assert result.notices and (result.filters.end == TODAY)


def test_unknown_profession_is_ignored_and_the_others_apply():
    result = read("profession=astronaute&start=2026-03-01&end=2026-03-31")
    assert len(result.notices) == 1
    assert result.filters.people == ()
    assert result.filters.start == datetime.date(2026, 3, 1)
    assert "profession" not in result.query
