"""After the run: is every quiz submission the server acknowledged really stored?

The simulated people write one JSON line per event they saw succeed (locustfile.py,
`LOAD_EVENTS`): `{"event": "submitted", "attempt": id, "email": …}` once the
« Valider » POST was answered with the redirect to that attempt's result, and
`{"event": "pdf", "certificate": uuid, "email": …}` once a certificate PDF was
received (and `{"event": "resent", …}` for a request sent again, browsing.py).
Here each of them is looked up in the database (Django set up by the
caller): an acknowledged submission is stored when its attempt belongs to that
person, is graded and closed, and holds one answer per question of its snapshot.
"""

import json
from dataclasses import dataclass, field


@dataclass
class Verification:
    acknowledged: int = 0
    stored: int = 0
    lost: list = field(default_factory=list)
    pdfs_received: int = 0
    pdfs_unknown: list = field(default_factory=list)
    resent: int = 0
    rolls_acknowledged: int = 0
    rolls_lost: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.lost and not self.pdfs_unknown and not self.rolls_lost


def read_events(path):
    """The events file's lines as dicts (a line cut short by a crash is skipped)."""
    events = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                continue
    return events


def stored_submissions(attempt_ids):
    """{attempt id: holder e-mail} of the attempts stored as submitted, fully answered."""
    from django.db.models import Count

    from courses.models import QuizAttempt
    from courses.models.learning import AttemptStatus

    rows = (
        QuizAttempt.objects.filter(
            pk__in=attempt_ids,
            status=AttemptStatus.SUBMITTED,
            submitted_at__isnull=False,
            score__isnull=False,
        )
        .annotate(answer_count=Count("answers"))
        .values_list("pk", "user__email", "answer_count", "questions")
    )
    return {pk: email for pk, email, answers, questions in rows if answers == len(questions)}


def owned_certificates(uuids):
    """{certificate uuid (str): holder e-mail} among `uuids`."""
    from certificates.models import Certificate

    rows = Certificate.objects.filter(uuid__in=uuids).values_list("uuid", "holder__email")
    return {str(uuid): email for uuid, email in rows}


def verify_events(events):
    """Check every acknowledged submission and every received PDF against the database."""
    result = Verification()
    submitted = {int(e["attempt"]): e["email"] for e in events if e.get("event") == "submitted"}
    result.acknowledged = len(submitted)
    stored = stored_submissions(list(submitted))
    result.lost = sorted(pk for pk, email in submitted.items() if stored.get(pk) != email)
    result.stored = result.acknowledged - len(result.lost)
    pdfs = {e["certificate"]: e["email"] for e in events if e.get("event") == "pdf"}
    result.pdfs_received = len(pdfs)
    owners = owned_certificates(list(pdfs))
    result.pdfs_unknown = sorted(uuid for uuid, email in pdfs.items() if owners.get(uuid) != email)
    result.resent = sum(1 for e in events if e.get("event") == "resent")
    result.rolls_acknowledged, result.rolls_lost = lost_rolls(events)
    return result


def lost_rolls(events):
    """Half-days whose stored marks are not what the trainer last had acknowledged.

    One trainer marks each half-day, one request after the other. What is stored must
    be the last acknowledged roll, or a roll sent after it whose answer never came (the
    run ended while it was on its way): that one may or may not have been kept.
    """
    from courses.models import Attendance

    acknowledged, allowed = {}, {}
    for event in events:
        if event.get("event") == "marked":
            acknowledged[event["slot"]] = event["marks"]
            allowed[event["slot"]] = [event["marks"]]
        elif event.get("event") == "marking":
            allowed.setdefault(event["slot"], []).append(event["marks"])
    lost = []
    for slot in acknowledged:
        stored = dict(
            Attendance.objects.filter(slot_id=slot).values_list("registration_id", "status")
        )
        if {str(k): v for k, v in stored.items()} not in allowed[slot]:
            lost.append(slot)
    return len([e for e in events if e.get("event") == "marked"]), lost


def server_counts(email_domain):
    """What the database holds for the run's accounts, printed next to locust's numbers."""
    from django_tasks_db.models import DBTaskResult

    from certificates.models import Certificate
    from courses.models import Attendance, ModuleCompletion, QuizAttempt
    from courses.models.learning import AttemptStatus

    people = {"user__email__endswith": f"@{email_domain}"}
    attempts = QuizAttempt.objects.filter(**people)
    certificates = Certificate.objects.filter(holder__email__endswith=f"@{email_domain}")
    return {
        "tentatives validées": attempts.filter(status=AttemptStatus.SUBMITTED).count(),
        "tentatives en cours": attempts.filter(status=AttemptStatus.IN_PROGRESS).count(),
        "modules terminés": ModuleCompletion.objects.filter(**people).count(),
        "certificats délivrés": certificates.count(),
        "PDF rendus": certificates.exclude(pdf="").count(),
        "présences enregistrées": Attendance.objects.filter(
            slot__session__trainers__email__endswith=f"@{email_domain}"
        ).count(),
        "tâches en attente": DBTaskResult.objects.ready().count(),
        "tâches en échec": DBTaskResult.objects.failed().count(),
    }
