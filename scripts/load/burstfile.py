"""The people of `LOAD_MODE=burst make load` (burst.py prepares them).

- `Finisher`: arrives at a random moment of the burst's minute, opens the quiz, answers
  every question right and « Valider » in one go (as the no-JavaScript form does), then
  leaves; the certificate is issued by that request and its PDF rendered by a task.
- `LessonReader`: a signed-in professional reading lessons, one every 1–4 s: the
  pages whose p99 the burst must not push beyond 300 ms.

The driver's files, the loopback check and the answer key are the journey's
(locustfile.py, imported as a module so that its people are not run here).
"""

# Randomness only spreads arrivals and picks lessons; nothing secret depends on it.
# ruff: noqa: S311

import itertools
import os
import random

import gevent
import locustfile as journey
from browsing import Browser
from locust import between, constant, task
from locust.exception import StopUser

_finishers = itertools.count()
_readers = itertools.count()
WINDOW = int(os.environ.get("LOAD_BURST_WINDOW", "60"))


def signed_in(user, emails, counter):
    accounts = {a["email"]: a for a in journey._shared["accounts"]["accounts"]}
    index = next(counter)
    if index >= len(emails):
        raise StopUser
    account = accounts[emails[index]]
    user.set_session(journey._shared["accounts"]["session_cookie"], account["session"])
    return account


class Finisher(Browser):
    fixed_count = int(os.environ.get("LOAD_BURST", "200"))
    wait_time = constant(0)

    def on_start(self):
        burst = journey._shared["accounts"]["burst"]
        self.account = signed_in(self, burst["finishers"], _finishers)
        self.module_id = str(burst["module"])
        gevent.sleep(random.uniform(0, WINDOW))

    @task
    def finish(self):
        quiz_url = f"/apprendre/modules/{self.module_id}/quiz/"
        landing = self.page(quiz_url, name="/apprendre/modules/[id]/quiz/")
        start = journey.START_QUIZ.search(landing)
        resume = journey.OPEN_ATTEMPT.search(landing)
        if resume:
            attempt_path = resume.group(1)
        elif start:
            attempt_path = self.post_form(
                start.group(1), landing, {}, name="/apprendre/modules/[id]/quiz/commencer/",
                expect=journey.ATTEMPT_URL,
            )  # fmt: skip
        else:
            self.step_failed("rafale", f"quiz {self.module_id} : pas de tentative possible")
            raise StopUser
        attempt_id = journey.ATTEMPT_URL.search(attempt_path).group(1)
        attempt = self.page(attempt_path, name="/apprendre/tentatives/[id]/")
        answers = journey.Professional.choose_answers(None, attempt, False)
        fields = journey.Professional.answer_fields(list(answers.items()))
        self.post_form(
            f"{attempt_path}valider/", attempt, fields,
            name="/apprendre/tentatives/[id]/valider/", expect=journey.RESULT_URL,
        )  # fmt: skip
        journey.Recorded.record(
            self, "submitted", attempt=int(attempt_id), email=self.account["email"]
        )
        raise StopUser


class LessonReader(Browser):
    wait_time = between(*journey.THINK_SECONDS)

    def on_start(self):
        burst = journey._shared["accounts"]["burst"]
        signed_in(self, burst["readers"], _readers)
        self.lessons = burst["lessons"]

    @task
    def read(self):
        self.page(
            random.choice(self.lessons), name="/formations/[module]/[leçon]/", must_contain="<main"
        )
