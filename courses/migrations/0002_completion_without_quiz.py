"""A module without a quiz is completed by its lessons: no score, no attempt."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="modulecompletion",
            name="attempt",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courses.quizattempt",
            ),
        ),
        migrations.AlterField(
            model_name="modulecompletion",
            name="score",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="score (%)"),
        ),
    ]
