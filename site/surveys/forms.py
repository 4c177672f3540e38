"""Reading the questionnaire form.

The fields are the questions of the invitation's questionnaire (`Questionnaire.snapshot`),
posted as `q-<question id>`; `services.submit_response` checks every value against
them, so this only collects what was posted, bounded.
"""

from django.utils.translation import gettext_lazy as _

from .models import QuestionType

#: More values than any question can take are cut (a choice question's list at most).
MAX_VALUES = 50


def answers_from_post(post, questions):
    """{question id: [posted values]} for the questions asked, nothing else."""
    return {
        question["id"]: post.getlist(f"q-{question['id']}")[:MAX_VALUES] for question in questions
    }


def scale_options(question, low, high):
    """(value, label) from `low` to `high`, the two ends with their labels."""
    options = []
    for value in range(low, high + 1):
        label = str(value)
        if value == low:
            label = f"{value} — {question['low_label']}"
        elif value == high:
            label = f"{value} — {question['high_label']}"
        options.append((str(value), label))
    return options


def options(question):
    kind = question["type"]
    if kind == QuestionType.SCALE:
        return scale_options(question, 1, 5)
    if kind == QuestionType.RECOMMEND:
        return scale_options(question, 0, 10)
    if kind == QuestionType.YES_NO:
        return [("1", _("Oui")), ("0", _("Non"))]
    if kind == QuestionType.CHOICE:
        return [(choice, choice) for choice in question["choices"]]
    return []


def form_questions(questions, posted=None, errors=None):
    """The questions as the template shows them: options, what was posted, the error."""
    posted, errors = posted or {}, errors or {}
    shown = []
    for number, question in enumerate(questions, start=1):
        values = posted.get(question["id"], [])
        shown.append(
            {
                **question,
                "number": number,
                "options": [
                    {"value": value, "label": label, "checked": value in values}
                    for value, label in options(question)
                ],
                "input": "checkbox" if question.get("multiple") else "radio",
                "text": values[0] if values and question["type"] == QuestionType.FREE_TEXT else "",
                "error": errors.get(question["id"], ""),
            }
        )
    return shown
