"""core.compiled_query: the ORM's SQL compiled once, run with each call's values."""

from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from core.compiled_query import CompiledQuery
from tests.certificates.test_verify import make_certificate
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def by_uuid_and_holder(uuid, holder):
    return Certificate.objects.filter(uuid=uuid, holder=holder).order_by().values_list("number")


@pytest.fixture
def people(django_user_model):
    return [make_user(django_user_model, f"p{n}@example.org") for n in range(2)]


def test_runs_the_same_sql_with_each_calls_values(people, monkeypatch):
    first, second = people
    mine, theirs = make_certificate(first), make_certificate(second)
    lookup = CompiledQuery(Certificate, by_uuid_and_holder, uuid=UUID(int=0), holder=-1)
    compiled = []
    real = lookup._compile
    monkeypatch.setattr(lookup, "_compile", lambda using: compiled.append(using) or real(using))
    with CaptureQueriesContext(connection) as queries:
        assert lookup.rows(uuid=mine.uuid, holder=first.pk) == [(mine.number,)]
        assert lookup.rows(uuid=theirs.uuid, holder=second.pk) == [(theirs.number,)]
        # Another person's certificate, an unknown one: no row.
        assert lookup.rows(uuid=mine.uuid, holder=second.pk) == []
        assert lookup.rows(uuid=UUID(int=5), holder=first.pk) == []
    assert compiled == ["default"]
    assert len(queries) == 4


def test_every_value_is_required():
    lookup = CompiledQuery(Certificate, by_uuid_and_holder, uuid=UUID(int=0), holder=-1)
    with pytest.raises(TypeError):
        lookup.rows(uuid=UUID(int=1))


def test_a_sample_must_land_once_among_the_parameters():
    def twice(uuid, holder):
        return Certificate.objects.filter(uuid=uuid, holder=holder, revoked_by=holder)

    lookup = CompiledQuery(Certificate, twice, uuid=UUID(int=0), holder=-1)
    with pytest.raises(ValueError, match="found 2 times"):
        lookup.rows(uuid=UUID(int=1), holder=1)
