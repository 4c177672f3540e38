"""Every aggregate against the hand-counted history of conftest.py (raw numbers,
before the small-cell rule)."""

import datetime

import pytest
from django.http import QueryDict

from guides.models import Publisher
from pilotage import figures
from pilotage.filters import Filters, read_filters

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def year(**extra):
    data = QueryDict(mutable=True)
    data.update({**YEAR, **extra})
    return read_filters(data, Publisher.objects.all(), coordination=True).filters


def rows_by(table, key, value="people"):
    return {str(row[key]): row[value] for row in table.rows}


def test_people_trained_new_and_returning(history):
    table = figures.people_overview(year())
    assert table.total["people"] == 8
    assert [row["people"] for row in table.rows] == [7, 1]


def test_people_by_month_counts_each_person_once_per_month(history):
    table = figures.people_by_month(year())
    counts = {row["key"]: row["people"] for row in table.rows}
    assert len(counts) == 12
    assert counts[202603] == 2
    assert counts[202604] == 2
    assert counts[202605] == 1
    assert counts[202606] == 5  # u7's completion and four people at session S
    assert counts[202601] == 0
    assert table.total["people"] == 8


def test_people_by_profession(history):
    from pilotage.dimensions import dimension

    table = figures.people_by_dimension(year(), dimension("profession"))
    assert rows_by(table, "group") == {
        "CPE": 3,
        "Enseignant·e": 3,
        "Médecin": 1,
        "Non renseigné": 1,
    }
    assert table.total["people"] == 8


def test_profession_filter_narrows_every_people_figure(history):
    filters = year(profession="cpe")
    assert figures.people_overview(filters).total["people"] == 3
    modules = {row["title"]: row for row in figures.modules_table(filters).rows}
    assert modules["Module A"]["enrolled"] == 3
    sessions = figures.sessions_table(filters).rows
    assert sessions[0]["confirmed"] == 2  # u1, u3 (u2 waits)
    assert sessions[0]["waiting"] == 1


def test_modules_table(history):
    modules = {row["title"]: row for row in figures.modules_table(year()).rows}
    a = modules["Module A"]
    assert a["enrolled"] == 6
    assert a["completed"] == 5
    assert a["completion_rate"] == pytest.approx(5 / 6)
    assert a["median"] == 1800  # seconds: 600, 1200, 1800, 2400, 3000
    assert a["first_attempts"] == 6
    assert a["first_pass_rate"] == pytest.approx(4 / 6)
    assert a["quiz_id"] == history.qa.pk
    b = modules["Module B"]
    assert (b["enrolled"], b["completed"], b["median"]) == (1, 1, 900)


def test_sessions_table(history):
    rows = figures.sessions_table(year()).rows
    assert len(rows) == 1  # S0 is in 2025
    s = rows[0]
    assert s["capacity"] == 10
    assert s["confirmed"] == 6
    assert s["fill_rate"] == pytest.approx(0.6)
    assert s["waiting"] == 1
    assert s["attended"] == 4
    assert s["no_show"] == 2
    # Half-days attended: 4 + 3 out of 6 confirmed × 2 half-days.
    assert s["attendance_rate"] == pytest.approx(7 / 12)


def test_half_days_table(history):
    rows = figures.half_days_table(year()).rows
    assert [(row["expected"], row["present"]) for row in rows] == [(6, 4), (6, 3)]


def test_publisher_filter(history):
    filters = year(publisher=str(history.b.pk))
    assert figures.people_overview(filters).total["people"] == 1
    assert [row["title"] for row in figures.modules_table(filters).rows] == ["Module B"]
    assert figures.sessions_table(filters).rows == []


def test_module_filter_counts_its_completions_and_its_sessions(history):
    filters = year(module=str(history.ma.pk))
    # Completions of MA (u1–u5) and people at S, linked to MA (u1, u3, u6, u8).
    assert figures.people_overview(filters).total["people"] == 7


def test_session_filter_counts_attendance_only(history):
    filters = year(session=str(history.s.pk))
    assert figures.people_overview(filters).total["people"] == 4


def test_period_before_the_history_is_empty(history):
    filters = Filters(
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        publishers=Publisher.objects.all(),
    )
    assert figures.people_overview(filters).total["people"] == 0
    assert all(row["enrolled"] == 0 for row in figures.modules_table(filters).rows)
