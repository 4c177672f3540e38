"""The platform's default questionnaires, and who edits questionnaires.

- « Questionnaire à chaud » and « Questionnaire à froid », platform-wide defaults
  (their questions in `surveys/defaults.py`, plain data);
- Rédacteur·rice and Coordination add, change and view questionnaires; deleting is
  left to superusers (a questionnaire that was answered is protected anyway).

Permission rows are created here when missing: on a fresh database Django creates
them only after all migrations have run (post_migrate), with the same codenames.
"""

from django.db import migrations

from surveys.defaults import PLATFORM_DEFAULTS

GROUPS = ("Rédacteur·rice", "Coordination")
CODENAMES = {
    "add_questionnaire": "Can add questionnaire de satisfaction",
    "change_questionnaire": "Can change questionnaire de satisfaction",
    "view_questionnaire": "Can view questionnaire de satisfaction",
}


def create_defaults(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    for kind, (title, intro, questions) in PLATFORM_DEFAULTS.items():
        if Questionnaire.objects.filter(publisher=None, kind=kind, is_default=True).exists():
            continue
        Questionnaire.objects.create(
            title=title, kind=kind, is_default=True, intro=intro, questions=questions
        )


def permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="surveys", model="questionnaire")
    for codename, name in CODENAMES.items():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    granted = list(permissions(apps))
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*granted)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_questionnaires"),
        ("accounts", "0002_roles_and_audiences"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
