"""Coordination's search at scale: trigram indexes serve it on PostgreSQL (issue 15)."""

import pytest
from django.db import connection, transaction

from certificates.admin_views import search_condition
from certificates.models import Certificate
from tests.courses.factories import ModulePageFactory
from tests.guides.factories import PublisherFactory

from .test_admin import make_certificate

pytestmark = pytest.mark.django_db

INDEXES = {
    "certificate_number_trgm",
    "certificate_first_name_trgm",
    "certificate_last_name_trgm",
    "certificate_title_trgm",
}


@pytest.fixture
def module():
    return ModulePageFactory(publisher=PublisherFactory(), title="Repérer les signaux")


def search(query):
    return set(Certificate.objects.filter(search_condition(query)))


def test_the_module_title_matches_by_id(module):
    other = ModulePageFactory(publisher=module.publisher, title="Agir")
    in_module = make_certificate(module, first_name="Inès", last_name="Diallo", pdf=False)
    elsewhere = make_certificate(other, first_name="Karim", last_name="Haddad", pdf=False)
    # The module renamed since: its current title is still found (by the module's id).
    Certificate.objects.filter(pk=in_module.pk).update(title="Titre à la délivrance")
    assert search("signaux") == {in_module}
    assert search("signaux Diallo") == {in_module}
    assert search("signaux Haddad") == set()
    assert search(elsewhere.number) == {elsewhere}
    assert search(elsewhere.number.lower()) == {elsewhere}
    assert search(elsewhere.number[:-2]) == {in_module, elsewhere}  # a part: both
    assert search("Nobody") == set()


@pytest.mark.postgres
def test_the_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'certificates_certificate'"
        )
        names = {name for (name,) in cursor.fetchall()}
    assert names >= INDEXES


@pytest.mark.postgres
def test_the_trigram_indexes_have_no_pending_list():
    """fastupdate off (migration 0010): a search never reads a list of pending entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [list(INDEXES)]
        )
        options = dict(cursor.fetchall())
    assert options == {name: ["fastupdate=off"] for name in INDEXES}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("Diallo", "certificate_last_name_trgm"),
        ("RP-2026-0001", "certificate_number_trgm"),
        ("RP-2026-000001", "certificates_certificate_number"),  # whole: the unique index
    ],
)
def test_the_search_plan_reads_the_indexes(module, query, index):
    """With sequential scans priced out (a test table is tiny), the plan is bitmap scans."""
    make_certificate(module, first_name="Inès", last_name="Diallo", pdf=False)
    queryset = Certificate.objects.filter(search_condition(query))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert index in plan
    assert "Seq Scan on certificates_certificate" not in plan


@pytest.mark.postgres
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
