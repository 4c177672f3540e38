"""Grade the attempts submitted before 0005 into the item-analysis rows.

Same rule as `courses.modules.services.is_answer_right` (all or nothing: exactly the
correct choices of the attempt's snapshot), copied here because a migration must not
depend on code that will change. Reads in batches; idempotent (rows already there
are skipped).
"""

from django.db import migrations

BATCH = 500


def is_answer_right(question, choice_ids):
    right = {choice["id"] for choice in question["choices"] if choice["correct"]}
    return set(choice_ids or ()) == right


def backfill(apps, schema_editor):
    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    AttemptAnswer = apps.get_model("courses", "AttemptAnswer")
    AttemptChoice = apps.get_model("courses", "AttemptChoice")
    attempts = QuizAttempt.objects.filter(status="submitted").order_by("pk")
    last_pk = 0
    while True:
        batch = list(attempts.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        answers = AttemptAnswer.objects.filter(attempt__in=batch)
        by_key = {(answer.attempt_id, answer.question_id): answer for answer in answers}
        graded, picked = [], []
        for attempt in batch:
            for question in attempt.questions:
                answer = by_key.get((attempt.pk, question["id"]))
                if answer is None:
                    continue
                answer.is_correct = is_answer_right(question, answer.choice_ids)
                graded.append(answer)
                picked += [
                    AttemptChoice(
                        attempt_id=attempt.pk,
                        quiz_id=attempt.quiz_id,
                        question_id=question["id"],
                        choice_id=choice["id"],
                        is_correct=choice["correct"],
                    )
                    for choice in question["choices"]
                    if choice["id"] in answer.choice_ids
                ]
        AttemptAnswer.objects.bulk_update(graded, ["is_correct"])
        AttemptChoice.objects.bulk_create(picked, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_item_analysis_rows")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
