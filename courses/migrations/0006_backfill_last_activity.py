"""Backfill `Enrolment.last_activity_at` from what learners already did.

The last activity is the latest of: the enrolment's start, the last lesson visit
(`LessonProgress.last_visit_at`, which a completion also moves), the last quiz attempt
started or submitted. One UPDATE with correlated subqueries: no row is read in Python.
"""

from django.db import migrations
from django.db.models import DateTimeField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest


def backfill_last_activity(enrolment_model, progress_model, attempt_model):
    """Set `last_activity_at` on every enrolment that has none; the number updated.

    Each candidate falls back to `started_at`, because GREATEST returns NULL on SQLite
    as soon as one argument is NULL (PostgreSQL ignores NULLs).
    """

    def latest(model, field):
        rows = (
            model.objects.filter(user_id=OuterRef("user_id"), module_id=OuterRef("module_id"))
            .order_by()
            .values("user_id")
            .annotate(latest=Max(field))
            .values("latest")
        )
        return Coalesce(Subquery(rows, output_field=DateTimeField()), F("started_at"))

    return enrolment_model.objects.filter(last_activity_at__isnull=True).update(
        last_activity_at=Greatest(
            F("started_at"),
            latest(progress_model, "last_visit_at"),
            latest(attempt_model, "started_at"),
            latest(attempt_model, "submitted_at"),
        )
    )


def forwards(apps, schema_editor):
    backfill_last_activity(
        apps.get_model("courses", "Enrolment"),
        apps.get_model("courses", "LessonProgress"),
        apps.get_model("courses", "QuizAttempt"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_learning_positioning_and_dropouts"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
