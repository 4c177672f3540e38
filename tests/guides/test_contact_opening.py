"""« Ouvert maintenant »: status, next change and hours in words (guides.opening)."""

import datetime as dt

import pytest

from guides.opening import PARIS, Slot, next_change_in, opening_at, summary

T = dt.time
WEEKDAYS_9_17 = [Slot(day, T(9), T(17)) for day in range(5)]


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def test_open_during_a_slot_closes_at_its_end():
    opening = opening_at(WEEKDAYS_9_17, paris(2026, 12, 2, 10, 30))  # a Wednesday
    assert opening.is_open
    assert opening.next_change == paris(2026, 12, 2, 17)
    assert opening.status == "Ouvert maintenant — ferme à 17 h"
    assert opening.seconds_left() == 6 * 3600 + 30 * 60


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (paris(2026, 12, 2, 8, 59, 59), False),
        (paris(2026, 12, 2, 9, 0), True),  # opens: included
        (paris(2026, 12, 2, 16, 59, 59), True),
        (paris(2026, 12, 2, 17, 0), False),  # closes: excluded
    ],
)
def test_boundaries(when, is_open):
    assert opening_at(WEEKDAYS_9_17, when).is_open is is_open


def test_closed_friday_evening_opens_monday():
    opening = opening_at(WEEKDAYS_9_17, paris(2026, 12, 4, 18))  # Friday
    assert not opening.is_open
    assert opening.next_change == paris(2026, 12, 7, 9)
    assert opening.status == "Fermé — ouvre lundi à 9 h"


def test_closed_before_opening_and_the_evening_before():
    assert opening_at(WEEKDAYS_9_17, paris(2026, 12, 2, 7)).status == "Fermé — ouvre à 9 h"
    assert opening_at(WEEKDAYS_9_17, paris(2026, 12, 2, 20)).status == "Fermé — ouvre demain à 9 h"


def test_utc_instant_is_read_on_the_paris_clock():
    # 08:30 UTC in winter is 09:30 in Paris.
    assert opening_at(WEEKDAYS_9_17, dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC)).is_open


def test_weekly_slot_the_same_day_next_week():
    slots = [Slot(2, T(14), T(16))]  # Wednesdays only
    opening = opening_at(slots, paris(2026, 12, 2, 17))
    assert opening.next_change == paris(2026, 12, 9, 14)
    assert opening.status == "Fermé — ouvre mercredi prochain à 14 h"
    assert opening_at(slots, paris(2026, 12, 1, 17)).status == "Fermé — ouvre demain à 14 h"
    assert opening_at(slots, paris(2026, 11, 29, 17)).status == "Fermé — ouvre mercredi à 14 h"


def test_lunch_break_and_touching_slots():
    slots = [Slot(0, T(9), T(12)), Slot(0, T(13, 30), T(17)), Slot(0, T(17), T(18))]
    assert opening_at(slots, paris(2026, 12, 7, 12, 15)).status == "Fermé — ouvre à 13 h 30"
    # 13:30–17:00 and 17:00–18:00 are one opening: it closes at 18 h.
    assert opening_at(slots, paris(2026, 12, 7, 16)).next_change == paris(2026, 12, 7, 18)


def test_always_open_and_no_hours():
    always = opening_at([], paris(2026, 12, 2, 3), always_open=True)
    assert always.is_open and always.next_change is None and always.seconds_left() is None
    assert always.status == "Ouvert maintenant, 24 h/24"
    assert opening_at([], paris(2026, 12, 2, 3)) is None


def test_spring_forward_night_lasts_one_hour_less():
    # 29 March 2026: clocks go from 02:00 to 03:00 in Paris.
    slots = [Slot(6, T(0, 30), T(5))]  # Sunday night
    opening = opening_at(slots, paris(2026, 3, 29, 1))
    assert opening.is_open
    assert opening.next_change == paris(2026, 3, 29, 5)
    assert opening.next_change.utcoffset() == dt.timedelta(hours=2)
    # 01:00 CET → 05:00 CEST is three hours, not four.
    assert opening.seconds_left() == 3 * 3600


def test_fall_back_night_lasts_one_hour_more():
    # 25 October 2026: clocks go from 03:00 back to 02:00.
    slots = [Slot(6, T(0, 30), T(5))]
    opening = opening_at(slots, paris(2026, 10, 25, 1))
    assert opening.next_change.utcoffset() == dt.timedelta(hours=1)
    assert opening.seconds_left() == 5 * 3600


def test_next_opening_across_the_spring_change():
    # Saturday evening before the change, opens Monday 9 h (summer time).
    opening = opening_at(WEEKDAYS_9_17, paris(2026, 3, 28, 20))
    assert opening.next_change == paris(2026, 3, 30, 9)
    assert opening.next_change.astimezone(dt.UTC).hour == 7
    # 20:00 CET Saturday → 09:00 CEST Monday: 37 hours minus the hour lost.
    assert opening.seconds_left() == 36 * 3600


def test_opening_hour_that_does_not_exist():
    # A slot opening at 02:30 on the night the clock skips it opens at 03:30.
    slots = [Slot(6, T(2, 30), T(6))]
    opening = opening_at(slots, paris(2026, 3, 29, 1))
    assert opening.next_change.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


def test_summary_groups_consecutive_days():
    assert summary(WEEKDAYS_9_17) == ["du lundi au vendredi, 9 h – 17 h"]
    slots = [
        Slot(0, T(9), T(12)),
        Slot(0, T(14), T(17, 30)),
        Slot(1, T(9), T(12)),
        Slot(1, T(14), T(17, 30)),
        Slot(3, T(10), T(18)),
        Slot(5, T(9), T(12)),
    ]
    assert summary(slots) == [
        "lundi et mardi, 9 h – 12 h et 14 h – 17 h 30",
        "jeudi, 10 h – 18 h",
        "samedi, 9 h – 12 h",
    ]
    assert summary([]) == []


def test_summary_does_not_join_days_that_are_not_consecutive():
    slots = [Slot(0, T(9), T(12)), Slot(2, T(9), T(12))]
    assert summary(slots) == ["lundi, 9 h – 12 h", "mercredi, 9 h – 12 h"]


def test_next_change_among_several_contacts():
    later = [Slot(2, T(18), T(20))]
    when = paris(2026, 12, 2, 16)
    assert next_change_in([(WEEKDAYS_9_17, False), (later, False), ([], True)], when) == 3600
    assert next_change_in([([], True), ([], False)], when) is None
