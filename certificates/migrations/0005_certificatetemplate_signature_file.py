import django.db.models
from django.db import migrations

import certificates.models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_remove_search_index_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificatetemplate",
            name="signature_file",
            field=django.db.models.FileField(
                blank=True,
                help_text="PNG ou JPEG sur fond transparent ou blanc.",
                storage=certificates.models.certificate_storage,
                upload_to=certificates.models.signature_upload_to,
                verbose_name="image de la signature",
            ),
        ),
    ]
