"""Fixtures of the quality tests: what a complaint can be about, and a filed complaint."""

import pytest
from django.core.cache import cache

from guides.setup import ensure_editorial_setup
from quality import services
from quality.models import SubjectType
from tests.courses.factories import build_module
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory, PublisherFactory
from tests.sessions.factories import build_session

HOSTILE_HTML = '<script>alert("x")</script><b>gras</b>'


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publisher(db):
    return PublisherFactory(name="Amicale du Nid")


@pytest.fixture
def module(publisher):
    return build_module(lessons=1, publisher=publisher)[0]


@pytest.fixture
def guide(db):
    index = GuideIndexPageFactory()
    ensure_editorial_setup(index)
    return GuidePageFactory(parent=index, publisher=PublisherFactory(name="Observatoire"))


@pytest.fixture
def session(publisher):
    return build_session(organiser=publisher)


@pytest.fixture
def file():
    """File a complaint through the service (anonymous unless `user=` is given)."""

    def make(**overrides):
        arguments = {
            "name": "Alex Durand",
            "email": "alex@example.org",
            "subject_type": SubjectType.PLATFORM,
            "message": "La page des sessions ne s'affiche pas.",
            **overrides,
        }
        return services.file_complaint(**arguments).complaint

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call as if its transaction committed: the e-mails queued on commit go out."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def post(client, committed):
    def send(url, data):
        return committed(client.post, url, data)

    return send
