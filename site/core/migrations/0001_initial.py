"""SiteSettings moves from the home app to core (the ground floor every app may read).

The table already exists (home/0001): this migration only takes the model into core's
state, renames the table, and moves its content type, so that the « change site
settings » permission given to groups and the admin's history follow the model.
home/0003 then drops the model from home's state. On an empty database nothing is
copied: the table comes from home/0001 and is renamed here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="core", model="sitesettings").exists():
        return
    ContentType.objects.using(db).filter(app_label="home", model="sitesettings").update(
        app_label="core"
    )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="core", model="sitesettings").update(
        app_label="home"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0002_replace_welcome_page"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("accessibility_status", models.CharField(choices=[("non", "non conforme"), ("partiellement", "partiellement conforme"), ("totalement", "totalement conforme")], default="non", max_length=20, verbose_name="état de conformité (RGAA)")),
                        ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="adresse de contact")),
                        ("accessibility_page", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.WAGTAIL_PAGE_MODEL, verbose_name="page de la déclaration d'accessibilité")),
                        ("legal_notice_page", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.WAGTAIL_PAGE_MODEL, verbose_name="page des mentions légales")),
                        ("privacy_page", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.WAGTAIL_PAGE_MODEL, verbose_name="page des données personnelles")),
                        ("site", models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to="wagtailcore.site")),
                    ],
                    options={
                        "verbose_name": "réglages du site",
                        "verbose_name_plural": "réglages du site",
                        "db_table": "home_sitesettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        # Now core's own table name.
        migrations.AlterModelTable(name="sitesettings", table=None),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
