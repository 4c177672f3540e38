"""Helpers shared by the learning tests: finishing lessons, right and wrong answers."""

from courses.modules import services


def finish_lessons(user, lessons):
    for lesson in lessons:
        services.complete_lesson(user, lesson)


def right_answers(attempt):
    return {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in attempt.questions}


def wrong_answers(attempt):
    return {
        q["id"]: [next(c["id"] for c in q["choices"] if not c["correct"])]
        for q in attempt.questions
    }


def answers_post(answers):
    """The quiz form's POST data for {question id: [choice ids]}."""
    data = {"question": list(answers)}
    for question_id, choice_ids in answers.items():
        data[f"q-{question_id}"] = choice_ids
    return data


def all_secret_texts(attempt):
    """Feedback and explanation texts of the snapshot: none may appear before grading."""
    texts = []
    for question in attempt.questions:
        texts += [c["feedback"] for c in question["choices"] if c["feedback"]]
        if question["explanation"]:
            texts.append(question["explanation"])
    return texts
