"""Trigram indexes for Coordination's certificate search (issue 15, 150,000 certificates).

The search (`admin_views.search_condition`) filters with `icontains`, which Django
writes `UPPER(col::text) LIKE UPPER('%…%')` on PostgreSQL: a B-tree cannot serve a
pattern with a leading wildcard, a GIN trigram index on the same expression can
(https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX). Measured by
`make bench-scale`: a search by name or number went from a sequential scan of every
certificate (about 1 s) to a bitmap scan of the matching ones.

PostgreSQL only (the extension and the `gin` method do not exist on SQLite, where a
small instance scans its few rows): raw SQL run on PostgreSQL alone, so the model's
state is unchanged and `makemigrations` has nothing to add. `pg_trgm` is a trusted
extension (PostgreSQL 13+): the database owner may create it without superuser rights.
"""

from django.db import migrations

COLUMNS = {
    "certificate_number_trgm": "number",
    "certificate_first_name_trgm": "holder_first_name",
    "certificate_last_name_trgm": "holder_last_name",
    "certificate_title_trgm": "title",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON certificates_certificate "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0008_template_name_rule"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
