"""The history every dashboard test counts by hand.

Two publishers: A (« Observatoire ») with module MA and session S (June 2026, two
half-days, 10 seats) and an older session S0 (November 2025); B (« Amicale ») with
module MB. Eight learners u1…u8, professions: u1–u3 CPE, u4–u6 enseignant·e,
u7 médecin, u8 none.

In 2026 (period 2026-01-01 → 2026-12-31):
- MA: enrolled u1 (March), u2 (March), u3, u4 (April), u5, u6 (May); completed u1
  (10 March, 600 s), u2 (20 March, 1,200 s), u3 (5 April, 1,800 s), u4 (6 April,
  2,400 s), u5 (3 May, 3,000 s); first attempts: u1, u2, u4, u5 passed, u3, u6 failed.
- MB: u7 enrolled and completed (15 June, 900 s), first attempt passed.
- S: confirmed u1, u3, u4, u5, u6, u8; waiting u2. Half-day 1: u1 present, u3 present,
  u6 present, u8 late, u4 absent; half-day 2: u1 present, u3 present, u8 present,
  u6 absent, u4 absent; u5 never marked. Attended: u1, u3, u6, u8; no-shows: u4, u5.
- Before: u1 attended S0 (November 2025): returning.

People trained in 2026: u1…u8 = 8 (7 new, 1 returning). By month: March 2 (u1, u2),
April 2 (u3, u4), May 1 (u5), June 5 (u7; u1, u3, u6, u8).
"""

import datetime

import pytest

from tests.courses.factories import build_module
from tests.guides.factories import PublisherFactory

from . import helpers as h

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.fixture
def coordination(client, coordinator):
    """A test client signed in as coordination (the dashboard's, the bilan's reader)."""
    client.force_login(coordinator)
    return client


class History:
    pass


@pytest.fixture
def history(django_user_model):
    from tests.conftest import make_user

    data = History()
    data.a = PublisherFactory(name="Observatoire A")
    data.b = PublisherFactory(name="Amicale B")
    data.ma, _lessons, data.qa = build_module(lessons=1, publisher=data.a, title="Module A")
    data.mb, _lessons, data.qb = build_module(lessons=1, publisher=data.b, title="Module B")
    professions = ["cpe", "cpe", "cpe", "enseignant", "enseignant", "enseignant", "medecin", ""]
    data.users = [
        make_user(django_user_model, f"u{index}@example.org", profession=profession)
        for index, profession in enumerate(professions, start=1)
    ]
    u1, u2, u3, u4, u5, u6, u7, u8 = data.users
    for user, month in ((u1, 3), (u2, 3), (u3, 4), (u4, 4), (u5, 5), (u6, 5)):
        h.enrol(user, data.ma, h.paris(2026, month, 1))
    for user, day, seconds in (
        (u1, (3, 10), 600),
        (u2, (3, 20), 1200),
        (u3, (4, 5), 1800),
        (u4, (4, 6), 2400),
        (u5, (5, 3), 3000),
    ):
        h.complete(user, data.ma, h.paris(2026, *day), seconds)
    for user, passed in ((u1, True), (u2, True), (u3, False), (u4, True), (u5, True), (u6, False)):
        h.attempt(user, data.ma, data.qa, 1, passed, h.paris(2026, 5, 1))
    h.attempt(u3, data.ma, data.qa, 2, True, h.paris(2026, 5, 2))
    h.enrol(u7, data.mb, h.paris(2026, 6, 1))
    h.complete(u7, data.mb, h.paris(2026, 6, 15), 900)
    h.attempt(u7, data.mb, data.qb, 1, True, h.paris(2026, 6, 15))

    data.s = h.session_on(data.a, datetime.date(2026, 6, 10), module=data.ma, title="Session S")
    registrations = {user: h.register(data.s, user) for user in (u1, u3, u4, u5, u6, u8)}
    h.register(data.s, u2, status="waiting")
    h.mark(data.s, registrations[u1], ["present", "present"])
    h.mark(data.s, registrations[u3], ["present", "present"])
    h.mark(data.s, registrations[u6], ["present", "absent"])
    h.mark(data.s, registrations[u8], ["late", "present"])
    h.mark(data.s, registrations[u4], ["absent", "absent"])

    data.s0 = h.session_on(data.a, datetime.date(2025, 11, 5), slots=1, title="Session S0")
    h.mark(data.s0, h.register(data.s0, u1), ["present"])
    return data
