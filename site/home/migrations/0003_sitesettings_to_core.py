"""SiteSettings now belongs to core (core/0001 took its table and content type)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_replace_welcome_page"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SiteSettings")],
            database_operations=[],
        ),
    ]
