"""Fixtures of the certificate tests."""

import pytest

from certificates.models import Certificate

from .helpers import certificate_fields


@pytest.fixture
def make_certificate(professional):
    def make(**overrides):
        overrides.setdefault("holder", professional)
        return Certificate.objects.create(**certificate_fields(**overrides))

    return make
