"""The learner's pages cost a fixed number of queries, whatever their history.

« Mon espace », a lesson, a module page, the quiz page and a certificate download are
each read with a short history (one other module) and a long one (four more modules
finished, with failed and passed attempts, their certificates, and attempts at the
page's own quiz): the count is the same, and it is the one written here. A count
that moves is a regression to look at, not a number to bump.

Counts are taken on a warm request, as a running server has them: the content
cache holds the modules, their outlines and the site.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from courses.modules import services

from .factories import build_module
from .learning_helpers import finish_lessons, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

# The session's user, then what each page reads of the learner's own rows.
QUERIES = {
    # (The signed-in person comes from the shared cache: accounts/user_cache.py.)
    # Enrolments, lessons done, attempts, completions (courses); latest
    # certificates; registrations; open survey invitations.
    "espace": 7,
    # The visit: BEGIN, the module's progress rows locked (with whether the quiz was
    # passed), the lesson's row saved, COMMIT (the enrolment's last activity was
    # moved by the visit a moment before); the completion. The positioning offer is
    # settled in the session.
    "lesson": 5,
    # Enrolment, lessons done, attempts and completion in one query (the upcoming
    # sessions are rendered into the SESSIONS generation, dropped by a registration).
    "module": 1,
    # Enrolment, lessons done, attempts and completion in one query (the module, its
    # lessons and its quiz come from the content cache).
    "quiz": 1,
    # The certificate (its status, file and the module's slug).
    "certificate": 1,
}


@pytest.fixture
def learner(client, professional):
    client.force_login(professional)
    return professional


@pytest.fixture
def target(learner):
    """The module whose pages are read: lessons done, one failed attempt."""
    module, lessons, quiz = build_module(lessons=3, max_attempts=0)
    finish_lessons(learner, lessons)
    attempt = services.start_attempt(learner, quiz)
    services.submit_attempt(learner, attempt, wrong_answers(attempt))
    return module, lessons, quiz


def add_history(user, target, modules):
    """`modules` more modules finished (a failed then a passed attempt, hence a
    completion and its certificate), and one more failed attempt at the target's quiz."""
    for _ in range(modules):
        _module, lessons, quiz = build_module(lessons=2, max_attempts=0)
        finish_lessons(user, lessons)
        for answers in (wrong_answers, right_answers):
            attempt = services.start_attempt(user, quiz)
            services.submit_attempt(user, attempt, answers(attempt))
        attempt = services.start_attempt(user, target[2])
        services.submit_attempt(user, attempt, wrong_answers(attempt))


def stored_certificate(user):
    """The learner's first certificate with its file, as the render task leaves it
    (tasks queued on commit do not run inside a test's transaction)."""
    certificate = Certificate.objects.filter(holder=user).earliest("issued_at")
    certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return certificate


def page_urls(user, target):
    module, lessons, _quiz = target
    certificate = stored_certificate(user)
    return {
        "espace": reverse("courses:dashboard"),
        "lesson": lessons[1].url,
        "module": module.url,
        "quiz": reverse("courses:quiz", args=[module.pk]),
        "certificate": reverse("certificates:download", args=[certificate.uuid]),
    }


def warm_counts(client, urls):
    counts = {}
    for name, url in urls.items():
        client.get(url)  # fills the content cache, as a running server has it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_the_learners_pages_cost_the_same_with_a_long_history(client, learner, target):
    add_history(learner, target, 1)
    urls = page_urls(learner, target)
    short = warm_counts(client, urls)
    add_history(learner, target, 4)
    long = warm_counts(client, urls)
    assert Certificate.objects.filter(holder=learner).count() == 5
    assert short == long == QUERIES


def test_the_dashboard_still_lists_the_whole_history(client, learner, target):
    add_history(learner, target, 3)
    html = client.get(reverse("courses:dashboard")).content.decode()
    # Three modules finished, the target in progress; 3 × 2 + 4 attempts.
    assert html.count('scope="row"') >= 3 + 10
    assert html.count("Reprendre<span") == 1
