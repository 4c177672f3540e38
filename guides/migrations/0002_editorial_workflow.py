"""Create the « Relecture juridique » workflow and give staff roles admin access.

Attaching the workflow and granting section permissions need the GuideIndexPage,
which the demo loader (or an administrator) creates: it then calls
`guides.setup.ensure_editorial_setup(index_page)`.
"""

from django.db import migrations


def create_workflow(apps, schema_editor):
    from guides.setup import ensure_workflow, grant_admin_access

    ensure_workflow(apps)
    grant_admin_access(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0001_initial"),
        ("accounts", "0002_roles_and_audiences"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
