"""/resultats/: hand-counted figures, small cells, the period, the cache, 404s."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.content_cache import CONTENT
from courses.models import (
    Attendance,
    Enrolment,
    ModuleCompletion,
    ModulePage,
    TrainingSession,
)
from courses.models.sessions import AttendanceStatus
from pilotage.results import figures, views
from tests.conftest import make_user
from tests.courses.factories import build_module
from tests.guides.factories import PublisherFactory
from tests.pilotage.satisfaction import satisfaction_answers
from tests.sessions.factories import add_participant, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def people(django_user_model, count, start=0):
    return [
        make_user(django_user_model, f"p{start + n}@example.org", mfa=False, last_name=f"Nom{n}")
        for n in range(count)
    ]


def enrol(users, module, completed=0, days_ago=0):
    """Enrolments of `users` (the first `completed` of them completed), `days_ago` old."""
    when = timezone.now() - timedelta(days=days_ago)
    for number, user in enumerate(users):
        enrolment = Enrolment.objects.create(user=user, module=module)
        Enrolment.objects.filter(pk=enrolment.pk).update(started_at=when)
        if number < completed:
            ModuleCompletion.objects.create(user=user, module=module, completed_at=when)


def attend(session, users, statuses):
    slot = session.slots.first()
    for user, status in zip(users, statuses, strict=True):
        registration = add_participant(session, user)
        Attendance.objects.create(
            slot=slot,
            registration=registration,
            status=status,
            marked_at=timezone.now(),
            method="trainer",
        )


def past_session(**fields):
    """A session whose half-days were 20 days ago (registrations opened before)."""
    fields.setdefault("registration_opens_at", timezone.now() - timedelta(days=60))
    return build_session(start=timezone.localdate() - timedelta(days=20), **fields)


@pytest.fixture
def data(django_user_model):
    """Observatoire: 8 enrolments, 6 completed (75 %), plus 2 older than a year.
    Amicale: one past session, 3 present or late (one of them also completed), 1 absent.
    People trained: 6 + 3 - 1 = 8 overall; 6 for the Observatoire; 3 (« < 5 ») for the Amicale.
    """
    observatoire = PublisherFactory(name="Observatoire")
    amicale = PublisherFactory(name="Amicale du Nid")
    module, _lessons, _quiz = build_module(lessons=0, publisher=observatoire)
    learners = people(django_user_model, 8)
    enrol(learners, module, completed=6)
    enrol(people(django_user_model, 2, start=50), module, completed=2, days_ago=400)
    session = past_session(organiser=amicale)
    attendees = [learners[0], *people(django_user_model, 3, start=20)]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.PRESENT]
    attend(session, attendees, [*statuses, AttendanceStatus.ABSENT])
    return observatoire, amicale


def test_hand_counted_figures(data):
    observatoire, amicale = data
    overall = figures.results()
    assert overall.people_trained == 8
    assert (overall.completion.part, overall.completion.whole, overall.completion.percent) == (
        6,
        8,
        75,
    )
    mine = figures.results(observatoire)
    assert (mine.people_trained, mine.completion.percent) == (6, 75)
    theirs = figures.results(amicale)
    assert (theirs.people_trained, theirs.people_hidden) == (3, True)
    assert theirs.completion.whole == 0 and theirs.completion.percent is None


def test_the_period_is_the_last_twelve_months(data):
    start, end = figures.last_twelve_months()
    assert end == timezone.localdate() and (end - start).days == 364
    later = timezone.now() + timedelta(days=366)  # everything has left the period
    assert figures.results(now=later).people_trained == 0


def test_the_page_shows_the_figures_and_no_one(client, data):
    html = client.get(reverse("results:overview")).content.decode()
    assert "75 %" in html and ">8<" in html
    assert "indicateurs 1 et 2" in html
    assert "Dernière mise à jour" in html and "douze derniers mois" in html
    assert "Nom0" not in html and "@example.org" not in html


def test_small_cells_show_less_than_five(client, data):
    _observatoire, amicale = data
    response = client.get(reverse("results:publisher", args=[amicale.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt; 5" in html and "moins de 5 inscriptions" in html
    assert ">3<" not in html


def test_publishers_are_listed_and_unknown_ones_are_404(client, data):
    observatoire, _amicale = data
    html = client.get(reverse("results:overview")).content.decode()
    assert reverse("results:publisher", args=[observatoire.pk]) in html
    assert client.get("/resultats/999999/").status_code == 404
    assert client.get("/resultats/abc/").status_code == 404
    assert client.post(reverse("results:overview")).status_code == 405


def test_the_footer_links_to_the_results(client, db):
    assert 'href="/resultats/"' in client.get(reverse("results:overview")).content.decode()


def test_queries_do_not_grow_with_the_data(data, django_user_model, django_assert_num_queries):
    observatoire, _amicale = data
    with django_assert_num_queries(figures_queries()) as few:
        figures.results(observatoire)
    module, _lessons, _quiz = build_module(lessons=0, publisher=observatoire)
    enrol(people(django_user_model, 10, start=100), module, completed=7)
    with django_assert_num_queries(len(few.captured_queries)):
        figures.results(observatoire)


def figures_queries():
    """People, completion, satisfaction à chaud and à froid."""
    return 4


@pytest.fixture
def answers(data):
    """Observatoire, à chaud: 5 4 4 3 2 → 3 of 5, 60 %; and one older than a year.
    Amicale, à froid: 5 5 → 2 answers (« moins de 5 réponses »)."""
    observatoire, amicale = data
    module = ModulePage.objects.get(publisher=observatoire)
    session = TrainingSession.objects.get(organiser=amicale)
    satisfaction_answers("chaud", [5, 4, 4, 3, 2], publisher=observatoire, module=module)
    old = timezone.now() - timedelta(days=400)
    satisfaction_answers("chaud", [1], publisher=observatoire, module=module, when=old)
    satisfaction_answers("froid", [5, 5], publisher=amicale, session=session)
    return data


def test_hand_counted_satisfaction(answers):
    observatoire, amicale = answers
    overall = figures.results()
    assert (overall.satisfaction_hot.part, overall.satisfaction_hot.whole) == (3, 5)
    assert overall.satisfaction_hot.percent == 60
    assert (overall.satisfaction_cold.whole, overall.satisfaction_cold.percent) == (2, None)
    assert figures.results(amicale).satisfaction_hot.whole == 0
    assert figures.results(observatoire).satisfaction_cold.whole == 0


def test_the_page_shows_satisfaction_with_its_number_of_answers(client, answers):
    html = client.get(reverse("results:overview")).content.decode()
    assert "60 %" in html and "5 réponses" in html
    assert "moins de 5 réponses" in html  # à froid: 2 answers


def test_the_figures_are_cached_then_rebuilt(client, data, monkeypatch):
    builds = []
    real = figures.results
    monkeypatch.setattr(figures, "results", lambda *a, **k: builds.append(1) or real(*a, **k))
    url = reverse("results:overview")
    client.get(url)
    client.get(url)
    assert len(builds) == 1
    CONTENT.changed()  # content published: the generation changes
    client.get(url)
    assert len(builds) == 2
    next_hour = views.current_hour() + 1
    monkeypatch.setattr(views, "current_hour", lambda: next_hour)
    client.get(url)
    assert len(builds) == 3


def test_a_cached_page_reads_no_figure(client, data, django_assert_max_num_queries):
    url = reverse("results:overview")
    client.get(url)
    with django_assert_max_num_queries(2):  # the cache serves every figure
        assert client.get(url).status_code == 200


def test_nothing_yet_is_not_a_500(client, db):
    response = client.get(reverse("results:overview"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ">0<" in html and "—" in html and "moins de 5 inscriptions" in html


def test_no_answer_yet_says_so(client, data):
    html = client.get(reverse("results:overview")).content.decode()
    assert "pas encore de réponse" in html


def test_the_public_figures_are_the_dashboards(data):
    """The page reads the dashboard's definitions: the same filters give the same numbers."""
    from pilotage import figures as dashboard

    observatoire, _amicale = data
    filters = figures.period_filters(observatoire)
    mine = figures.results(observatoire)
    assert mine.people_trained == dashboard.people_overview(filters).total["people"]
    modules = dashboard.modules_table(filters)
    assert (mine.completion.part, mine.completion.whole) == (
        modules.total["completed_of_enrolled"],
        modules.total["enrolled"],
    )
