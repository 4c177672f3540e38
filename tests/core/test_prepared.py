"""Querysets compiled once, run with each call's values (core/prepared.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.prepared import DATETIME, INT, PreparedQuery
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

User = get_user_model()

JOINED_BEFORE = PreparedQuery(
    lambda user, now: (
        User.objects.filter(pk=user, date_joined__lte=now, is_active=True)
        .order_by("pk")
        .values("email", "date_joined")
    ),
    user=INT,
    now=DATETIME,
)

AS_INSTANCES = PreparedQuery(
    lambda user: User.objects.filter(pk=user).only("email", "date_joined"), user=INT
)


@pytest.fixture
def people(django_user_model):
    return (
        make_user(django_user_model, "une@example.org"),
        make_user(django_user_model, "autre@example.org"),
    )


def test_each_call_reads_its_own_values(people):
    one, other = people
    now = timezone.now()
    assert [row["email"] for row in JOINED_BEFORE.dicts(user=one.pk, now=now)] == [one.email]
    assert [row["email"] for row in JOINED_BEFORE.dicts(user=other.pk, now=now)] == [other.email]
    # The datetime is a parameter too: before they joined, nothing.
    assert JOINED_BEFORE.dicts(user=one.pk, now=one.date_joined - timedelta(seconds=1)) == []


def test_rows_are_converted_as_the_orm_converts_them(people):
    one, _other = people
    (row,) = JOINED_BEFORE.dicts(user=one.pk, now=timezone.now())
    assert row == User.objects.filter(pk=one.pk).values("email", "date_joined").get()
    assert row["date_joined"].tzinfo is not None


def test_instances_hold_the_selected_columns_the_others_deferred(people):
    one, _other = people
    (found,) = AS_INSTANCES.instances(user=one.pk)
    assert found == one and found.email == one.email and found.date_joined == one.date_joined
    assert found.get_deferred_fields() >= {"first_name", "password"}


def test_one_query_per_call_once_compiled(people):
    one, _other = people
    AS_INSTANCES.instances(user=one.pk)
    with CaptureQueriesContext(connection) as queries:
        AS_INSTANCES.instances(user=one.pk)
    assert len(queries) == 1 and str(one.pk) in queries[0]["sql"]


def test_a_stand_in_missing_from_the_sql_fails_loudly(people):
    forgotten = PreparedQuery(lambda user: User.objects.filter(is_active=True), user=INT)
    with pytest.raises(ValueError, match="user"):
        forgotten.dicts(user=people[0].pk)


def test_every_value_is_required(people):
    with pytest.raises(TypeError):
        JOINED_BEFORE.dicts(user=people[0].pk)


def test_annotations_are_set_on_the_instances(people):
    one, _other = people
    with_annotation = PreparedQuery(
        lambda user: User.objects.filter(pk=user).only("email").annotate(shout=Upper("email")),
        user=INT,
    )
    (found,) = with_annotation.instances(user=one.pk)
    assert found.shout == one.email.upper() and found.email == one.email


def test_instances_refuse_a_join_to_another_model(people):
    from courses.models import Registration

    joined = PreparedQuery(
        lambda user: Registration.objects.filter(user_id=user).select_related("session"),
        user=INT,
    )
    with pytest.raises(TypeError, match="select_related"):
        joined.instances(user=people[0].pk)
