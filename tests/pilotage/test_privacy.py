"""The small-cell rule: unit cases, then every filter combination of a small history."""

import datetime
import itertools

import pytest

from guides.models import Publisher
from pilotage.dashboard import build_dashboard
from pilotage.dimensions import NOT_GIVEN
from pilotage.filters import Filters
from pilotage.privacy import protect
from pilotage.tables import COUNT, MEDIAN, PEOPLE, RATE, Column, Table


def people_table(values, *, additive=True):
    return Table(
        "t",
        "T",
        [Column("label", "Groupe"), Column("people", "Personnes", PEOPLE)],
        rows=[{"label": str(index), "people": value} for index, value in enumerate(values)],
        total={"label": "Total", "people": sum(values)},
        additive=additive,
    )


def texts(shown, column=1):
    return [row[column].text for row in shown.rows]


def test_small_counts_show_less_than_five_and_zero_shows_zero():
    shown = protect(people_table([0, 1, 4, 5, 12], additive=False))
    assert texts(shown) == ["0", "< 5", "< 5", "5", "12"]
    assert shown.total[1].text == "22"


def test_one_small_cell_masks_the_smallest_other_so_the_total_cannot_give_it_back():
    shown = protect(people_table([3, 10, 40]))
    assert texts(shown) == ["< 5", "masqué", "40"]
    assert shown.total[1].value == 53  # 53 − 40 = 13: two rows, not one person


def test_two_small_cells_adding_to_less_than_five_mask_one_more():
    shown = protect(people_table([1, 2, 30, 50]))
    assert texts(shown) == ["< 5", "< 5", "masqué", "50"]


def test_small_cells_adding_to_five_or_more_need_no_mask():
    shown = protect(people_table([3, 4, 30]))
    assert texts(shown) == ["< 5", "< 5", "30"]


def test_a_small_total_shows_less_than_five():
    shown = protect(people_table([2, 1]))
    assert texts(shown) == ["< 5", "< 5"]
    assert shown.total[1].text == "< 5"


def test_non_additive_tables_are_not_masked():
    assert texts(protect(people_table([3, 10], additive=False))) == ["< 5", "10"]


def rate_table(**row):
    return Table(
        "r",
        "R",
        [
            Column("label", "L"),
            Column("enrolled", "Inscrits", PEOPLE),
            Column("done", "Terminés", PEOPLE),
            Column("rate", "Taux", RATE, numerator="done", denominator="enrolled"),
            Column("median", "Médiane", MEDIAN, base="done"),
            Column("seats", "Places", COUNT),
        ],
        rows=[{"label": "x", **row}],
    )


def test_derived_figures_over_fewer_than_five_people_show_a_dash():
    shown = protect(rate_table(enrolled=4, done=4, rate=1.0, median=600, seats=3))
    assert [cell.text for cell in shown.rows[0]][1:] == ["< 5", "< 5", "—", "—", "3"]
    assert any("moins de 5" in str(note) for note in shown.notes)


def test_a_rate_with_a_small_numerator_is_hidden():
    shown = protect(rate_table(enrolled=20, done=3, rate=0.15, median=600, seats=3))
    assert [cell.text for cell in shown.rows[0]][1:4] == ["20", "< 5", "—"]


def test_rates_and_medians_over_five_or_more_are_shown():
    shown = protect(rate_table(enrolled=20, done=10, rate=0.5, median=1800, seats=25))
    assert [cell.text for cell in shown.rows[0]][1:] == ["20", "10", "50 %", "30 min", "25"]


# --- Every filter combination ------------------------------------------------------------------


def combinations(history):
    periods = [
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
    ]
    publishers = [None, history.a, history.b]
    modules = [None, history.ma, history.mb]
    sessions = [None, history.s]
    professions = [None, "cpe", "enseignant", "medecin", NOT_GIVEN]
    for period, publisher, module, session, profession in itertools.product(
        periods, publishers, modules, sessions, professions
    ):
        scope = Publisher.objects.all()
        if publisher is not None:
            scope = scope.filter(pk=publisher.pk)
        yield Filters(
            start=period[0],
            end=period[1],
            publishers=scope,
            module=module,
            session=session,
            people=(("profession", profession),) if profession else (),
            all_publishers=publisher is None,
        )


def revealed(table):
    """Cells of people between 1 and 4, or a total minus the shown cells in 1–4."""
    found = []
    for index, column in enumerate(table.columns):
        if column.kind != PEOPLE:
            continue
        cells = [row[index] for row in table.rows]
        if table.total:
            cells.append(table.total[index])
        found += [
            cell.value for cell in cells if isinstance(cell.value, int) and 0 < cell.value < 5
        ]
        if table.total and isinstance(table.total[index].value, int) and table.key in ADDITIVE:
            rest = table.total[index].value - sum(
                row[index].value for row in table.rows if isinstance(row[index].value, int)
            )
            if 0 < rest < 5:
                found.append(f"total − others = {rest}")
    return found


ADDITIVE = {
    "personnes",
    "par-profession",
    "par-sector",
    "par-commune",
    "modules",
    "sessions",
    "abandons",
}


@pytest.mark.django_db
def test_no_filter_combination_reveals_a_count_between_one_and_four(history):
    checked = 0
    for filters in combinations(history):
        dashboard = build_dashboard(filters)
        for section in dashboard.sections:
            for table, chart in section.tables:
                assert not revealed(table), (filters, table.key, revealed(table))
                if chart:
                    for bar, row in zip(chart.bars, table.rows, strict=True):
                        hidden = any(cell.hidden for cell in row)
                        assert not (hidden and bar.width and bar.height), (table.key, bar)
                checked += 1
    assert checked > 500
