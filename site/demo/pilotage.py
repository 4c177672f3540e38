"""A demo history for the pilotage dashboard: about 300 learners over 18 months.

Anonymous-looking and marked: addresses at `historique.reperes.example`, first name
« Démo », sessions titled « [démo] … ». Enrolments, completions, first quiz attempts,
sessions with attendance (`pilotage.history`), then satisfaction answers à chaud and
à froid, self-positioning before/after and the guides' daily counts, so that every
chart of the dashboard shows something. Idempotent: a second run adds nothing.
"""

import datetime
import random

from django.utils import timezone

from courses.models import ModuleCompletion, ModulePage, PositioningAnswer
from guides.models import GuideDailyCount, GuidePage
from pilotage.history import Marker, generate, generated_users
from surveys.models import Questionnaire, SurveyAnswer, SurveyInvitation, SurveyResponse

DEMO_HISTORY = Marker("historique.reperes.example", "Démo", "[démo]")
DEMO_LEARNERS = 300
DAYS = 540


def ensure_demo_history():
    """The history, once; returns the number of demo learners created."""
    if generated_users(DEMO_HISTORY).exists():
        return 0
    modules = list(
        ModulePage.objects.live().filter(publisher__isnull=False).select_related("publisher")
    )
    if not modules:
        return 0
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    users = generate(DEMO_LEARNERS, modules, rng, DEMO_HISTORY)
    completions = list(
        ModuleCompletion.objects.filter(user__in=generated_users(DEMO_HISTORY)).select_related(
            "module"
        )
    )
    add_survey_answers(completions, rng)
    add_positioning(completions, rng)
    add_guide_counts(rng)
    return len(users)


def add_survey_answers(completions, rng):
    """À chaud for most completions (70 % answer), à froid for those 90 days old."""
    questionnaire = Questionnaire.objects.order_by("-is_default", "pk").first()
    if questionnaire is None:
        return
    now = timezone.now()
    invitations = []
    for completion in completions:
        kinds = ["chaud"]
        if completion.completed_at < now - datetime.timedelta(days=90):
            kinds.append("froid")
        for kind in kinds:
            due = completion.completed_at + datetime.timedelta(days=0 if kind == "chaud" else 90)
            answered = rng.random() < (0.7 if kind == "chaud" else 0.45)
            invitations.append(
                SurveyInvitation(
                    user=completion.user,
                    kind=kind,
                    module=completion.module,
                    publisher_id=completion.module.publisher_id,
                    questionnaire=questionnaire,
                    due_at=due,
                    emailed_at=due,
                    answered_at=due if answered else None,
                )
            )
    SurveyInvitation.objects.bulk_create(invitations, batch_size=1000)
    answered = SurveyInvitation.objects.filter(
        user__in=generated_users(DEMO_HISTORY), answered_at__isnull=False
    )
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                invitation=invitation,
                kind=invitation.kind,
                module_id=invitation.module_id,
                publisher_id=invitation.publisher_id,
                questionnaire=questionnaire,
                questions=[],
                submitted_at=invitation.answered_at,
            )
            for invitation in answered
        ],
        batch_size=1000,
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(
                response=response,
                question_id="satisfaction",
                question_type="scale",
                is_satisfaction=True,
                value=rng.choice((3, 4, 4, 5, 5, 5, 2)),
            )
            for response in responses
        ],
        batch_size=1000,
    )


def add_positioning(completions, rng):
    """Two statements rated before and after, for half of the completions."""
    statements = [
        ("demo-transmettre", "Je sais à qui transmettre une information préoccupante."),
        ("demo-reperer", "Je sais repérer les signaux d'alerte."),
    ]
    answers = []
    for completion in completions[::2]:
        for key, text in statements:
            before = rng.choice((1, 2, 2, 3))
            for moment, value in (
                ("before", before),
                ("after", min(4, before + rng.choice((0, 1, 1, 2)))),
            ):
                answers.append(
                    PositioningAnswer(
                        user=completion.user,
                        module=completion.module,
                        moment=moment,
                        statement_id=key,
                        statement=text,
                        value=value,
                        answered_at=completion.completed_at,
                    )
                )
    PositioningAnswer.objects.bulk_create(answers, batch_size=1000, ignore_conflicts=True)


def add_guide_counts(rng):
    """Views and PDF downloads per published guide and day (counts only)."""
    today = timezone.localdate()
    counts = [
        GuideDailyCount(
            page_id=guide,
            day=today - datetime.timedelta(days=offset),
            views=rng.randrange(0, 25),
            pdf_downloads=rng.randrange(0, 4),
        )
        for guide in GuidePage.objects.live().values_list("pk", flat=True)
        for offset in range(1, DAYS)
    ]
    GuideDailyCount.objects.bulk_create(counts, batch_size=2000, ignore_conflicts=True)
