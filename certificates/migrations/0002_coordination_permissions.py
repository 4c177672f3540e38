"""Coordination manages certificates in the Wagtail admin; no other role sees them.

- certificates: view (list and detail), revoke (revoke and re-issue), export (ZIP,
  XLSX, single PDF);
- certificate templates (a snippet): add, change, view — no delete: a publisher's
  template is edited, not removed (certificates already issued copied it anyway).

Permission rows are created here when missing: on a fresh database Django creates
them only after all migrations have run (post_migrate), with the same codenames.
"""

from django.db import migrations

COORDINATION = "Coordination"

PERMISSIONS = {
    "certificate": {
        "view_certificate": "Can view certificat",
        "revoke_certificate": "Peut révoquer et réémettre des certificats",
        "export_certificate": "Peut exporter des certificats",
    },
    "certificatetemplate": {
        "add_certificatetemplate": "Can add modèle de certificat",
        "change_certificatetemplate": "Can change modèle de certificat",
        "view_certificatetemplate": "Can view modèle de certificat",
    },
}


def permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model, codenames in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="certificates", model=model)
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
        ("certificates", "0001_initial"),
        ("accounts", "0002_roles_and_audiences"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
