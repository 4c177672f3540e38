from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_signatures_to_private_storage"),
    ]

    operations = [
        migrations.RemoveField(model_name="certificatetemplate", name="signature"),
    ]
