"""Fixtures for guides: the index page with its editorial set-up, guides, publishing."""

import pytest
from taggit.models import Tag

from accounts.models import Audience
from guides.setup import ensure_editorial_setup

from .factories import FULL_BODY, GuideIndexPageFactory, GuidePageFactory


@pytest.fixture
def guide_index(db):
    index = GuideIndexPageFactory()
    ensure_editorial_setup(index)
    return index


@pytest.fixture
def make_guide(guide_index):
    """Create a live guide under the index; `published=True` publishes a revision."""

    def make(published=False, full_body=True, **kwargs):
        params = {**(FULL_BODY if full_body else {}), **kwargs}
        guide = GuidePageFactory(parent=guide_index, **params)
        if published:
            guide.save_revision().publish()
            guide.refresh_from_db()
        return guide

    return make


@pytest.fixture
def audience():
    def get(code):
        return Audience.objects.get(code=code)

    return get


@pytest.fixture
def topic():
    def get(name):
        return Tag.objects.get(name=name)

    return get


# --- « Que faire ? » -------------------------------------------------------------------


@pytest.fixture
def orientation_tree(db):
    """A small live path: start (q1) → q2 or « urgence »; q2 → « transmettre » or
    « urgence ». Returns a dict of the pages by name."""
    from .orientation_factories import build_tree

    return build_tree()
