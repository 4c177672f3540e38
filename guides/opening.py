"""« Ouvert maintenant »: whether a contact is open at a given instant, when that changes,
and its hours in words.

Pure functions over plain values (no query, no clock of their own): the caller passes the
contact's slots and the instant. Slots are wall-clock times in Paris, one weekday each,
`opens` strictly before `closes` (a slot never spans midnight; a structure open through
the night enters two slots). Comparisons are made on the Paris wall clock of the instant,
so a slot « 9 h – 17 h » is right on both sides of a change of summer time; only
durations (how long until the next change) are computed in UTC, since subtracting two
datetimes of the same zone ignores the change of offset between them.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PARIS = ZoneInfo("Europe/Paris")

#: Weekday names, Monday first (`date.weekday()`); lower case, as inside a sentence.
WEEKDAYS = (
    gettext_lazy("lundi"),
    gettext_lazy("mardi"),
    gettext_lazy("mercredi"),
    gettext_lazy("jeudi"),
    gettext_lazy("vendredi"),
    gettext_lazy("samedi"),
    gettext_lazy("dimanche"),
)


@dataclass(frozen=True)
class Slot:
    weekday: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class Opening:
    """The state of a contact at an instant.

    `next_change` is an aware datetime in Paris: when it closes if open, when it opens
    next if closed; None when it never changes (always open).
    """

    is_open: bool
    next_change: dt.datetime | None
    always_open: bool = False
    now: dt.datetime | None = None

    def seconds_left(self):
        """Whole seconds until `next_change` (None if it never changes)."""
        if self.next_change is None or self.now is None:
            return None
        delta = self.next_change.astimezone(dt.UTC) - self.now.astimezone(dt.UTC)
        return max(0, int(delta.total_seconds()))

    @property
    def status(self):
        """« Ouvert maintenant — ferme à 17 h », « Fermé — ouvre lundi à 9 h »…"""
        if self.always_open:
            return _("Ouvert maintenant, 24 h/24")
        when = describe_change(self.next_change, self.now)
        if self.is_open:
            return _("Ouvert maintenant — ferme %(when)s") % {"when": when}
        return _("Fermé — ouvre %(when)s") % {"when": when}


def slots_of(hours):
    """`Slot`s from ContactHours rows (or anything with weekday, opens, closes)."""
    return [Slot(h.weekday, h.opens, h.closes) for h in hours]


def merged_days(slots):
    """{weekday: [(opens, closes), …]} in order, overlapping or touching slots joined."""
    days = {}
    for slot in sorted(slots, key=lambda s: (s.weekday, s.opens)):
        if not slot.opens < slot.closes:
            continue  # refused by the model; ignored if it ever gets here
        ranges = days.setdefault(slot.weekday, [])
        if ranges and slot.opens <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], slot.closes))
        else:
            ranges.append((slot.opens, slot.closes))
    return days


def at_paris(day, time):
    """The instant of `time` on `day`, Paris wall clock (an hour that does not exist on
    the spring change reads as the one after it, as clocks do)."""
    naive = dt.datetime.combine(day, time)
    return naive.replace(tzinfo=PARIS).astimezone(dt.UTC).astimezone(PARIS)


def opening_at(slots, when, always_open=False):
    """The `Opening` of a contact at the aware datetime `when`; None when no hours are
    known (no status is then shown)."""
    if always_open:
        return Opening(is_open=True, next_change=None, always_open=True, now=when)
    days = merged_days(slots)
    if not days:
        return None
    local = when.astimezone(PARIS)
    today, clock = local.date(), local.time().replace(tzinfo=None)
    for opens, closes in days.get(today.weekday(), ()):
        if opens <= clock < closes:
            return Opening(True, at_paris(today, closes), now=when)
    for offset in range(8):
        day = today + dt.timedelta(days=offset)
        for opens, _closes in days.get(day.weekday(), ()):
            if offset or opens > clock:
                return Opening(False, at_paris(day, opens), now=when)
    return None  # pragma: no cover (a non-empty week always has a next opening)


def format_time(value):
    """« 9 h », « 9 h 30 », « 17 h »."""
    if value.minute:
        return _("%(hour)s h %(minute)02d") % {"hour": value.hour, "minute": value.minute}
    return _("%(hour)s h") % {"hour": value.hour}


def describe_change(change, now):
    """« à 17 h » today, « demain à 9 h », « lundi à 9 h » within the week, « mercredi
    prochain à 14 h » a week later."""
    local_now = now.astimezone(PARIS)
    time = format_time(change.time())
    days = (change.date() - local_now.date()).days
    if days == 0:
        return _("à %(time)s") % {"time": time}
    if days == 1:
        return _("demain à %(time)s") % {"time": time}
    if days >= 7:  # the same weekday as today, after today's hours
        return _("%(day)s prochain à %(time)s") % {"day": WEEKDAYS[change.weekday()], "time": time}
    return _("%(day)s à %(time)s") % {"day": WEEKDAYS[change.weekday()], "time": time}


def join_words(words):
    """« a », « a et b », « a, b et c »."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s et %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def describe_days(weekdays):
    """« lundi », « lundi et mardi », « du lundi au vendredi » (consecutive days)."""
    if len(weekdays) >= 3:
        return _("du %(first)s au %(last)s") % {
            "first": WEEKDAYS[weekdays[0]],
            "last": WEEKDAYS[weekdays[-1]],
        }
    return join_words(WEEKDAYS[day] for day in weekdays)


def describe_ranges(ranges):
    """« 9 h – 12 h et 14 h – 17 h »."""
    return join_words(f"{format_time(opens)} – {format_time(closes)}" for opens, closes in ranges)


def summary(slots):
    """The hours in words, one line per run of consecutive days with the same hours:
    ["du lundi au vendredi, 9 h – 17 h", "samedi, 9 h – 12 h"]."""
    days = merged_days(slots)
    runs = []  # [[weekdays], ranges]
    for weekday in range(7):
        ranges = days.get(weekday)
        if not ranges:
            continue
        if runs and runs[-1][1] == ranges and runs[-1][0][-1] == weekday - 1:
            runs[-1][0].append(weekday)
        else:
            runs.append([[weekday], ranges])
    return [
        _("%(days)s, %(hours)s") % {"days": describe_days(w), "hours": describe_ranges(r)}
        for w, r in runs
    ]


def next_change_in(contacts_slots, when):
    """Seconds until the first change of status among several contacts (None if none
    ever changes): how long a page showing their statuses stays right."""
    left = []
    for slots, always_open in contacts_slots:
        opening = opening_at(slots, when, always_open)
        if opening is not None and opening.seconds_left() is not None:
            left.append(opening.seconds_left())
    return min(left, default=None)
