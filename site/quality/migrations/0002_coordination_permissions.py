"""Coordination handles complaints and the improvement actions in the Wagtail admin.

- complaints: view and change (status, assignee, answer) — never add (they come from
  /reclamation/) nor delete (the register is evidence for the quality audit);
- improvement actions: add, change, view, delete.

Permission rows are created here when missing: on a fresh database Django creates
them only after all migrations have run (post_migrate), with the same codenames.
"""

from django.db import migrations

COORDINATION = "Coordination"

PERMISSIONS = {
    "complaint": {
        "view_complaint": "Can view réclamation",
        "change_complaint": "Can change réclamation",
    },
    "improvementaction": {
        "add_improvementaction": "Can add action d'amélioration",
        "change_improvementaction": "Can change action d'amélioration",
        "view_improvementaction": "Can view action d'amélioration",
        "delete_improvementaction": "Can delete action d'amélioration",
    },
}


def permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, codenames in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="quality", model=model)
        for codename, name in codenames.items():
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=COORDINATION)
    group.permissions.add(*permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=COORDINATION).first()
    if group is not None:
        group.permissions.remove(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_complaints_and_actions"),
        ("accounts", "0002_roles_and_audiences"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
