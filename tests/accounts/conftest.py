import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits live in the cache; each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()
