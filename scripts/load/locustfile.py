"""Simulated professionals for `make load` (run by scripts/load/run.py).

Each one signs in (a session prepared by the driver, or the login form for a few),
then, module after module: home → /formations/ → the module → each lesson, marked
done through its form → the quiz: start an attempt, save each answer through the
per-question endpoint (as quiz.js does, or as the no-JavaScript button does),
« Valider », read the result, start again if it failed → « Mes certificats »:
download the attestation, polling its status while the PDF is being prepared.
Once every module is done they keep browsing (guides, « Mon espace », PDFs again).

HTTP as a browser speaks it, CSRF tokens included: browsing.py. Only the right choices come from the driver's answer key
(`LOAD_ANSWER_KEY`): the pages never reveal them. The first attempt of some people
is answered wrong on purpose, so that failed attempts and retries are part of the
load.

Events the server acknowledged (and requests resent, see browsing.py) are written, one JSON line each, to `LOAD_EVENTS`:
the driver checks afterwards that each acknowledged submission is stored.

Loopback only: a host that is not this machine is refused, and so is a run without
`--run-time` in headless mode.
"""

# Randomness here only varies the simulated behaviour; nothing secret depends on it.
# ruff: noqa: S311

import itertools
import json
import os
import random
import re
import time
from html import unescape

from browsing import Browser
from locust import between, events, task
from locust.exception import RescheduleTask, StopUser
from loopback import require_loopback

MODULE_LINK = re.compile(r'class="card__link" href="([^"]+)"')
LESSON_LINK = re.compile(r'class="lesson-list__title"><a href="([^"]+)"')
QUIZ_LINK = re.compile(r'href="(/apprendre/modules/(\d+)/quiz/)"')
START_MODULE = re.compile(r'action="(/apprendre/modules/\d+/commencer/)"')
COMPLETE_LESSON = re.compile(r'action="(/apprendre/lecons/\d+/terminer/)"')
START_QUIZ = re.compile(r'action="(/apprendre/modules/\d+/quiz/commencer/)"')
OPEN_ATTEMPT = re.compile(r'href="(/apprendre/tentatives/\d+/)"')
ATTEMPT_URL = re.compile(r"/apprendre/tentatives/(\d+)/$")
RESULT_URL = re.compile(r"/apprendre/tentatives/(\d+)/resultat/$")
QUESTION = re.compile(r'<input type="hidden" name="question" value="([^"]+)">')
CHOICE = re.compile(
    r'name="q-([^"]+)" id="[^"]*" value="([^"]+)"[^>]*>\s*<label for="[^"]*">(.*?)</label>', re.S
)
CERTIFICATE = re.compile(r'href="/espace/certificats/([0-9a-f-]{36})/"')
PASSED = 'class="callout__title">Quiz réussi<'
PASSED_ALREADY = "Vous avez réussi ce quiz."
GUIDE_LINK = re.compile(r'href="(/guides/[^"?#/]+/)"')
POSITIONING = re.compile(r'action="(/apprendre/modules/\d+/positionnement/avant/)"')
POSITIONING_SKIP = re.compile(r'formaction="(/apprendre/modules/\d+/positionnement/passer/)"')
STATEMENT = re.compile(r'type="radio" name="(s-[0-9a-f-]+)"')
SESSION_LINK = re.compile(r'href="(/sessions/[0-9a-f-]{36}/)"')
ROLL_FIELD = re.compile(r'name="(status-\d+)" value="([a-z]+)"')
ATTENDANCE_STATUSES = ("present", "present", "present", "late", "excused", "absent")

# Share of people whose first attempt at a quiz is answered wrong (when retries exist).
FIRST_ATTEMPT_FAILS = 0.25
# Share of people without JavaScript: the per-question button posts the whole form.
WITHOUT_JAVASCRIPT = 0.3
# Think time between two steps, in seconds: `LOAD_THINK=min,max` (shorter for tests).
THINK_SECONDS = [float(s) for s in os.environ.get("LOAD_THINK", "1,4").split(",")]
# A certificate's PDF is rendered by the task worker: how long to keep polling.
PDF_PATIENCE_SECONDS = 120

# Capacity steps each start with accounts nobody used yet (capacity.py).
_people = itertools.count(int(os.environ.get("LOAD_ACCOUNT_OFFSET", "0")))
_trainers = itertools.count()
_shared = {}


@events.init_command_line_parser.add_listener
def _arguments(parser):
    parser.add_argument("--load-accounts", default=os.environ.get("LOAD_ACCOUNTS", ""))
    parser.add_argument("--load-answer-key", default=os.environ.get("LOAD_ANSWER_KEY", ""))
    parser.add_argument("--load-events", default=os.environ.get("LOAD_EVENTS", ""))


@events.init.add_listener
def _refuse_beyond_loopback(environment, **kwargs):
    """Checked before any user starts: loopback host, bounded run, the driver's files."""
    options = environment.parsed_options
    if options is None:
        return
    require_loopback(environment.host or options.host)
    if options.headless and not options.run_time:
        raise SystemExit("Refusé : une charge sans --run-time n'a pas de fin.")
    for name in ("load_accounts", "load_answer_key", "load_events"):
        if not getattr(options, name):
            raise SystemExit(f"--{name.replace('_', '-')} manquant (fichier préparé par run.py).")
    with open(options.load_accounts, encoding="utf-8") as accounts:
        _shared["accounts"] = json.load(accounts)
    with open(options.load_answer_key, encoding="utf-8") as key:
        _shared["key"] = json.load(key)
    # Line-buffered: an event is on disk as soon as it is known, whatever happens next.
    _shared["events"] = open(options.load_events, "a", encoding="utf-8", buffering=1)  # noqa: SIM115


@events.quitting.add_listener
def _close_events(environment, **kwargs):
    if "events" in _shared:
        _shared["events"].close()


def pdf_or_wait(response):
    """A certificate download: the PDF (200), or « en préparation » (202)."""
    if response.status_code == 202:
        return None
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return None if (response.content or b"").startswith(b"%PDF") else "pas un PDF"


def status_json(response):
    try:
        response.json()["ready"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code} sans état JSON"
    return None


class Recorded(Browser):
    """Someone whose acknowledged actions the driver checks against the database."""

    abstract = True

    def record(self, event, **data):
        _shared["events"].write(json.dumps({"event": event, **data}) + "\n")


class Professional(Recorded):
    """A professional following the modules, then browsing."""

    weight = 6
    wait_time = between(*THINK_SECONDS)

    def on_start(self):
        accounts = _shared["accounts"]["accounts"]
        index = next(_people)
        if index >= len(accounts):
            self.step_failed("connexion", "plus de personnes simulées que de comptes préparés")
            raise StopUser
        self.account = accounts[index]
        self.javascript = random.random() >= WITHOUT_JAVASCRIPT
        self.finished_modules = set()
        self.downloaded = set()
        self.failed_once = set()
        if self.account["form_login"]:
            self.log_in()
        else:
            self.set_session(_shared["accounts"]["session_cookie"], self.account["session"])
        self.check_signed_in()

    def log_in(self):
        page = self.page("/comptes/login/")
        fields = {"login": self.account["email"], "password": _shared["accounts"]["password"]}
        self.post_form("/comptes/login/", page, fields, expect="/")

    def check_signed_in(self):
        """« Mon espace » answers, not a redirect to the login page: else nothing counts."""
        try:
            self.send(
                "GET", "/espace/", "/espace/",
                lambda r: None if r.status_code == 200 else f"pas connecté·e : {r.status_code}",
                allow_redirects=False,
            )  # fmt: skip
        except RescheduleTask:
            raise StopUser from None

    # --- the journey ------------------------------------------------------------------

    @task
    def follow_a_module(self):
        self.page("/", must_contain="<main")
        self.wait()
        index = self.page("/formations/")
        modules = [url for url in MODULE_LINK.findall(index) if url not in self.finished_modules]
        if not modules:
            self.browse()
            return
        module_url = random.choice(modules)
        self.wait()
        module_id = self.do_lessons(module_url)
        if self.pass_quiz(module_url, module_id):
            self.finished_modules.add(module_url)
            self.wait()
            self.collect_certificates()

    def do_lessons(self, module_url):
        """Start the module if needed, mark every lesson done, in order: the module's id."""
        module = self.page(module_url, name="/formations/[module]/")
        start = START_MODULE.search(module)
        if start:
            self.post_form(start.group(1), module, {}, name="/apprendre/modules/[id]/commencer/")
        for lesson_url in LESSON_LINK.findall(module):
            self.wait()
            lesson = self.page(lesson_url, name="/formations/[module]/[leçon]/")
            lesson = self.position_myself(lesson, lesson_url)
            done = COMPLETE_LESSON.search(lesson)
            if done:
                self.post_form(done.group(1), lesson, {}, name="/apprendre/lecons/[id]/terminer/")
        quiz = QUIZ_LINK.search(module)
        if not quiz:
            self.step_failed("parcours", f"pas de lien vers le quiz sur {module_url}")
            raise RescheduleTask
        return quiz.group(2)

    def position_myself(self, lesson, lesson_url):
        """The optional self-positioning shown before the first lesson: answered by
        half the people, skipped by the others; then the lesson itself."""
        form = POSITIONING.search(lesson)
        if not form:
            return lesson
        self.wait()
        if random.random() < 0.5:
            fields = [(name, str(random.randint(1, 4))) for name in set(STATEMENT.findall(lesson))]
            self.post_form(form.group(1), lesson, fields, name="/apprendre/…/positionnement/avant/")
        else:
            skip = POSITIONING_SKIP.search(lesson).group(1)
            self.post_form(skip, lesson, {}, name="/apprendre/…/positionnement/passer/")
        return self.page(lesson_url, name="/formations/[module]/[leçon]/")

    def pass_quiz(self, module_url, module_id):
        """Attempts until one passes (or none is left): True once passed."""
        limits = _shared["key"]["modules"].get(module_id, {})
        quiz_url = f"/apprendre/modules/{module_id}/quiz/"
        while True:
            self.wait()
            landing = self.page(quiz_url, name="/apprendre/modules/[id]/quiz/")
            attempt_path = self.open_attempt(landing)
            if attempt_path is None:
                if PASSED_ALREADY in landing:
                    return True
                self.step_failed("quiz", f"module {module_id} : ni tentative possible ni réussite")
                raise RescheduleTask
            attempt_id = ATTEMPT_URL.search(attempt_path).group(1)
            fail = self.should_fail(module_id, limits)
            passed = self.answer_and_submit(attempt_id, fail)
            if passed:
                return True

    def open_attempt(self, landing):
        resume = OPEN_ATTEMPT.search(landing)
        if resume:
            return resume.group(1)
        start = START_QUIZ.search(landing)
        if not start:
            return None
        return self.post_form(
            start.group(1), landing, {}, name="/apprendre/modules/[id]/quiz/commencer/",
            expect=ATTEMPT_URL,
        )  # fmt: skip

    def should_fail(self, module_id, limits):
        """Some people fail their first attempt, when the quiz allows another."""
        if module_id in self.failed_once:
            return False
        max_attempts = limits.get("max_attempts")
        if max_attempts is not None and max_attempts < 2:
            return False
        if random.random() < FIRST_ATTEMPT_FAILS:
            self.failed_once.add(module_id)
            return True
        return False

    def answer_and_submit(self, attempt_id, fail):
        attempt_url = f"/apprendre/tentatives/{attempt_id}/"
        attempt = self.page(attempt_url, name="/apprendre/tentatives/[id]/")
        answers = self.choose_answers(attempt, fail)
        given = []
        for question_id, choice_ids in answers.items():
            self.wait()
            given.append((question_id, choice_ids))
            attempt = self.save_answer(attempt_id, attempt, question_id, choice_ids, given)
        self.wait()
        result_path = self.post_form(
            f"{attempt_url}valider/",
            attempt,
            self.answer_fields(given),
            name="/apprendre/tentatives/[id]/valider/",
            expect=RESULT_URL,
        )
        # The server answered « graded »: from now on this submission must be stored.
        self.record("submitted", attempt=int(attempt_id), email=self.account["email"])
        result = self.page(result_path, name="/apprendre/tentatives/[id]/resultat/")
        passed = PASSED in result
        if passed == fail:
            self.step_failed(
                "résultat", f"tentative {attempt_id} : réussie={passed}, attendu {not fail}"
            )
        return passed

    def choose_answers(self, attempt, fail):
        """{question id: [choice ids]} as the page lists them: right ones, or wrong ones."""
        key = _shared["key"]["questions"]
        right, wrong = {}, {}
        for question_id, choice_id, label in CHOICE.findall(attempt):
            correct = key[question_id]
            is_right = choice_id in correct["ids"] or unescape(label) in correct["texts"]
            (right if is_right else wrong).setdefault(question_id, []).append(choice_id)
        return {
            question_id: (wrong.get(question_id, [])[:1] if fail else None)
            or right.get(question_id, [])
            for question_id in QUESTION.findall(attempt)
        }

    @staticmethod
    def answer_fields(given):
        fields = []
        for question_id, choice_ids in given:
            fields.append(("question", question_id))
            fields += [(f"q-{question_id}", choice_id) for choice_id in choice_ids]
        return fields

    def save_answer(self, attempt_id, attempt, question_id, choice_ids, given):
        """One answer saved: the attempt page as the person now sees it."""
        action = f"/apprendre/tentatives/{attempt_id}/enregistrer/"
        name = "/apprendre/tentatives/[id]/enregistrer/"
        if not self.javascript:
            # « Enregistrer ma réponse »: the whole form so far, back to that question.
            fields = [*self.answer_fields(given), ("save", question_id)]
            self.post_form(action, attempt, fields, name=f"{name} (sans JS)", expect=ATTEMPT_URL)
            return self.page(
                f"/apprendre/tentatives/{attempt_id}/", name="/apprendre/tentatives/[id]/"
            )
        # quiz.js: this question only, JSON answer, the page stays as it is.
        fields = self.answer_fields([(question_id, choice_ids)])
        self.post_json(
            action, attempt, fields, name, referer=f"/apprendre/tentatives/{attempt_id}/"
        )
        return attempt

    # --- certificates -----------------------------------------------------------------

    def collect_certificates(self):
        self.page("/espace/", must_contain="Mon espace")
        self.wait()
        listing = self.page("/espace/certificats/", must_contain="Mes certificats")
        for uuid in dict.fromkeys(CERTIFICATE.findall(listing)):
            if uuid not in self.downloaded:
                self.wait()
                self.download(uuid)

    def download(self, uuid):
        """The PDF, after polling its status while it is « en préparation »."""
        deadline = time.monotonic() + PDF_PATIENCE_SECONDS
        while True:
            response = self.send(
                "GET", f"/espace/certificats/{uuid}/", "/espace/certificats/[uuid]/", pdf_or_wait
            )
            if response.status_code == 200:
                self.downloaded.add(uuid)
                self.record("pdf", certificate=uuid, email=self.account["email"])
                return
            if not self.wait_until_ready(uuid, deadline):
                return

    def wait_until_ready(self, uuid, deadline):
        """Poll /etat/ every second or two, as certificate-status.js does."""
        while time.monotonic() < deadline:
            time.sleep(random.uniform(1, 2))
            response = self.send(
                "GET",
                f"/espace/certificats/{uuid}/etat/",
                "/espace/certificats/[uuid]/etat/",
                status_json,
                headers={"Accept": "application/json"},
            )
            if response.json().get("ready"):
                return True
        self.step_failed("PDF", f"{uuid} toujours en préparation après {PDF_PATIENCE_SECONDS} s")
        return False

    # --- browsing once every module is done -------------------------------------------

    def browse(self):
        choice = random.random()
        if choice < 0.35:
            guides = self.page("/guides/")
            links = GUIDE_LINK.findall(guides)
            if links:
                self.wait()
                self.page(random.choice(links), name="/guides/[guide]/")
        elif choice < 0.6:
            self.page("/espace/", must_contain="Mon espace")
        elif choice < 0.8:
            listing = self.page("/espace/certificats/", must_contain="Mes certificats")
            uuids = CERTIFICATE.findall(listing)
            if uuids:
                self.wait()
                self.download(random.choice(uuids))
        else:
            self.page("/verifier/")


class AnonymousReader(Browser):
    """Someone not signed in reading the public pages (mostly from the page cache)."""

    weight = 2
    wait_time = between(*THINK_SECONDS)

    def open_one_of(self, listing, link, name):
        """Think, then open one of the listing's links (if it has any)."""
        links = link.findall(listing)
        if links:
            self.wait()
            self.page(random.choice(links), name=name)

    @task(3)
    def read_guides(self):
        guides = self.page("/guides/", must_contain="<main")
        self.open_one_of(guides, GUIDE_LINK, "/guides/[guide]/ (anonyme)")

    @task(2)
    def look_at_modules(self):
        self.page("/", must_contain="<main")
        self.wait()
        index = self.page("/formations/")
        self.open_one_of(index, MODULE_LINK, "/formations/[module]/ (anonyme)")

    @task(1)
    def look_at_sessions(self):
        listing = self.page("/sessions/")
        self.open_one_of(listing, SESSION_LINK, "/sessions/[uuid]/ (anonyme)")


class Verifier(Browser):
    """An employer checking a certificate's code on /verifier/ (sometimes a wrong one)."""

    weight = 1
    # Slower than the others: someone typing a code read on paper.
    wait_time = between(3, 8)

    @task
    def verify(self):
        self.page("/verifier/")
        self.wait()
        codes = _shared["accounts"].get("codes") or []
        if codes and random.random() < 0.9:
            code = random.choice(codes)
        else:
            code = "".join(random.choice("ABCDEFGHJKMNPQRSTVWXYZ23456789") for _ in range(12))
        self.page(f"/verifier/{code}/", name="/verifier/[code]/")


class Trainer(Recorded):
    """A trainer in the room, marking the roll of a 40-person half-day again and again."""

    weight = 1
    # As many as the driver prepared (one session each), whatever the total.
    fixed_count = int(os.environ.get("LOAD_TRAINERS", "0"))
    wait_time = between(*THINK_SECONDS)

    def on_start(self):
        trainers = _shared["accounts"].get("trainers") or []
        index = next(_trainers)
        if index >= len(trainers):
            self.step_failed("connexion", "plus de formateur·rice·s simulé·e·s que préparé·e·s")
            raise StopUser
        self.trainer = trainers[index]
        self.set_session(_shared["accounts"]["session_cookie"], self.trainer["session"])

    @task
    def mark_the_roll(self):
        uuid, slot = self.trainer["uuid"], self.trainer["slot"]
        self.page("/formateur/", name="/formateur/", must_contain="<main")
        self.wait()
        self.page(f"/formateur/sessions/{uuid}/", name="/formateur/sessions/[uuid]/")
        self.wait()
        roll_url = f"/formateur/sessions/{uuid}/demi-journees/{slot}/presences/"
        roll = self.page(roll_url, name="/formateur/…/presences/")
        people = sorted({field for field, _value in ROLL_FIELD.findall(roll)})
        if not people:
            self.step_failed("présences", f"aucune personne sur {roll_url}")
            raise RescheduleTask
        self.wait()
        marks = [(field, random.choice(ATTENDANCE_STATUSES)) for field in people]
        sent = {f.removeprefix("status-"): v for f, v in marks}
        # Written before sending: a roll cut short by the end of the run (sent, stored,
        # never answered) is not a loss, only one the server may or may not have kept.
        self.record("marking", slot=slot, marks=sent)
        self.post_form(
            roll_url, roll, [("q", ""), *marks], name="/formateur/…/presences/ (POST)",
            expect=roll_url,
        )  # fmt: skip
        # Acknowledged (redirected back to the roll): the driver checks these are stored.
        self.record("marked", slot=slot, marks=sent)
