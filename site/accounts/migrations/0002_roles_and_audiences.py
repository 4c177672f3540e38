"""Create the role groups and the audience vocabulary."""

from django.db import migrations

ROLES = [
    "Professionnel·le",
    "Formateur·rice",
    "Rédacteur·rice",
    "Relecteur·rice juridique",
    "Coordination",
]
PROFESSIONS = [
    "enseignant",
    "cpe",
    "infirmier-scolaire",
    "assistant-social",
    "educateur",
    "medecin",
    "psychologue",
    "police-gendarmerie",
    "magistrat",
    "associatif",
    "autre",
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Audience = apps.get_model("accounts", "Audience")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for order, code in enumerate(PROFESSIONS):
        Audience.objects.update_or_create(code=code, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
