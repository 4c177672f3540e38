"""The small-cell rule of every figure about people (DESIGN.md, « Figures about people »).

A count of 1 to 4 people is shown as « < 5 » (0 reveals nobody and is shown); a rate
whose denominator counts fewer than 5 people is shown as « — ». Shared by the item
analysis, the trainer's results panel and /resultats/, whatever app they live in
(`pilotage.privacy` applies the same threshold to the dashboard's tables).
"""

from dataclasses import dataclass

THRESHOLD = 5


def is_small(count):
    """A count that would point at one of a handful of people."""
    return 0 < count < THRESHOLD


@dataclass(frozen=True)
class Rate:
    """`part` out of `whole`; no percentage when `whole` is under THRESHOLD."""

    part: int
    whole: int

    @property
    def hidden(self):
        return self.whole < THRESHOLD

    @property
    def percent(self):
        return None if self.hidden else round(100 * self.part / self.whole)
