"""Certificates leave Wagtail's search index (see `Certificate`'s docstring).

The entries held holders' names and verification codes; nothing reads them. Deleted
with plain SQL: on SQLite a trigger of wagtailsearch removes the matching full-text
rows, on PostgreSQL the entry is all there is. Nothing to restore on the way back:
`manage.py update_index` would rebuild an index for a model that is indexed again.
"""

from django.db import migrations


def remove_certificate_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    database = schema_editor.connection.alias
    content_type = (
        ContentType.objects.using(database)
        .filter(app_label="certificates", model="certificate")
        .first()
    )
    if content_type is None:
        return
    table = schema_editor.quote_name(IndexEntry._meta.db_table)
    schema_editor.execute(
        f"DELETE FROM {table} WHERE content_type_id = %s",  # noqa: S608 — table name from the model
        [content_type.pk],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_certificate_anonymised_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(remove_certificate_entries, migrations.RunPython.noop),
    ]
