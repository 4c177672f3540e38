"""Parsing the quiz form: which questions were sent and the choice ids ticked for each.

The quiz form is built from the attempt's snapshot, not from a Django form class:
each question is a fieldset with a hidden `question` input (its id) and radio or
checkbox inputs named `q-<question id>`. Only ids come from the browser; they are
checked against the snapshot by `courses.modules.services.clean_choice_ids`.
"""

MAX_QUESTIONS_PER_POST = 200

QUESTION_FIELD = "question"
CHOICE_PREFIX = "q-"


def answers_from_post(data):
    """{question id: [choice ids]} for every question present in the POST.

    A listed question without ticked choices maps to [] (its answer is cleared), so
    unticking every box of a multiple-choice question is saved too.
    """
    question_ids = list(dict.fromkeys(data.getlist(QUESTION_FIELD)))
    question_ids += [
        key.removeprefix(CHOICE_PREFIX)
        for key in data
        if key.startswith(CHOICE_PREFIX) and key.removeprefix(CHOICE_PREFIX) not in question_ids
    ]
    return {
        question_id: data.getlist(CHOICE_PREFIX + question_id)
        for question_id in question_ids[:MAX_QUESTIONS_PER_POST]
    }


STATEMENT_PREFIX = "s-"
MAX_STATEMENTS_PER_POST = 50


def positioning_from_post(data):
    """{statement id: value as sent} for the `s-<statement id>` radio groups of the
    self-positioning form; checked by `courses.modules.positioning.clean_values`."""
    keys = [key for key in data if key.startswith(STATEMENT_PREFIX)][:MAX_STATEMENTS_PER_POST]
    return {key.removeprefix(STATEMENT_PREFIX): data.get(key, "") for key in keys}
