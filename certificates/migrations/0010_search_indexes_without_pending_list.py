"""The search's trigram indexes are updated at each insert, not through a pending list.

GIN indexes default to `fastupdate = on`: new entries go to an unsorted pending list
that every search reads in full until VACUUM (or the list reaching
`gin_pending_list_limit`, 4 MB) merges it into the index
(https://www.postgresql.org/docs/current/gin.html#GIN-FAST-UPDATE). Certificates are
inserted one at a time, a few hundred a day: autovacuum's insert threshold is reached
after months, so the four lists stay full and each name search read about 1,400
pending pages (`make bench-scale`: 25–35 ms of BitmapOr per query, twice per page
with the pager's count, instead of about 1 ms). Without the list, an insert updates
the index at once (a little slower, once per certificate) and a search reads only the
index. What is pending now is merged here.

PostgreSQL only, like 0009 (the indexes exist only there).
"""

from django.db import migrations

INDEXES = (
    "certificate_number_trgm",
    "certificate_first_name_trgm",
    "certificate_last_name_trgm",
    "certificate_title_trgm",
)


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0009_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(without_pending_list, with_pending_list, elidable=False)]
