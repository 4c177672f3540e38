"""Self-positioning (Qualiopi indicator 11): statements rated 1–4 before and after a module.

A module's editors write a few statements (`ModulePage.positioning`, each block's id
is the statement's key). Before the first lesson the learner is offered to rate them
— « Passer » records nothing but a marker on the enrolment, so that the offer is not
made again; once the module is completed, the same statements are offered again.

Answers are a snapshot (the statement as read). A second submission changes nothing
and says so. Bad input (unknown statement, a value outside 1–4, a missing rating)
raises `CourseError` with a stable code and stores nothing.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, IntegerField, OuterRef, Subquery
from django.utils import timezone

from courses.models import Enrolment, ModuleCompletion, PositioningAnswer
from courses.models.learning import PositioningMoment
from courses.modules.errors import CourseError
from courses.modules.services import enrol, record

BEFORE = PositioningMoment.BEFORE
AFTER = PositioningMoment.AFTER
#: 1 = pas du tout … 4 = tout à fait.
SCALE = (1, 2, 3, 4)
#: URL slugs of the two moments (French URLs), and back.
MOMENT_SLUGS = {BEFORE: "avant", AFTER: "apres"}
SLUG_MOMENTS = {slug: moment for moment, slug in MOMENT_SLUGS.items()}


@dataclass
class PositioningResult:
    answers: list
    # True when this call stored them; False when earlier answers were kept.
    created: bool


def statements(module):
    """[(statement id, text)] of the module, in the editor's order (no query)."""
    return module.positioning_statements()


def answers(user, module, moment):
    """The learner's answers for one moment, in the statements' order of answering."""
    return list(
        PositioningAnswer.objects.filter(user_id=user.pk, module_id=module.pk, moment=moment)
        .order_by("pk")
        .values("statement_id", "statement", "value", "answered_at")
    )


def before_is_due(user, module):
    """Whether to offer the « before » page on the first lesson (one query at most).

    Due when the module has statements and the learner has neither answered nor
    skipped it, nor completed the module.
    """
    if not statements(module) or not user.is_authenticated:
        return False
    answered = PositioningAnswer.objects.filter(
        user_id=OuterRef("user_id"), module_id=OuterRef("module_id"), moment=BEFORE
    )
    completed = ModuleCompletion.objects.filter(
        user_id=OuterRef("user_id"), module_id=OuterRef("module_id")
    )
    row = (
        Enrolment.objects.filter(user_id=user.pk, module_id=module.pk)
        .annotate(answered=Exists(answered), completed=Exists(completed))
        .values("positioning_skipped_at", "answered", "completed")
        .first()
    )
    if row is None:
        return True  # not enrolled yet: the first lesson is about to be opened
    return not (row["positioning_skipped_at"] or row["answered"] or row["completed"])


# The modules whose « before » page is settled for the signed-in person, in their
# session: answered, skipped or the module completed is never undone, so the module's
# first lesson asks the database only until then.
SETTLED_SESSION_KEY = "positioning_settled"


def before_is_due_for(request, module):
    """`before_is_due` for the person of `request`, remembered in the session once
    it is settled (no query on the first lesson afterwards)."""
    settled = request.session.get(SETTLED_SESSION_KEY, [])
    if module.pk in settled:
        return False
    if before_is_due(request.user, module):
        return True
    if statements(module):  # without statements, nothing was asked (no query)
        request.session[SETTLED_SESSION_KEY] = [*settled, module.pk]
    return False


def after_is_due(user, module, completed):
    """Whether to offer « Et maintenant ? » (one query when the module is completed)."""
    if not completed or not statements(module) or not user.is_authenticated:
        return False
    return not PositioningAnswer.objects.filter(
        user_id=user.pk, module_id=module.pk, moment=AFTER
    ).exists()


def clean_values(module, values):
    """{statement id: 1–4} checked against the module's statements, or CourseError.

    `values` comes from the browser: ids and values are strings; every statement of
    the module must be rated, and nothing else.
    """
    known = dict(statements(module))
    if not known:
        raise CourseError("no_positioning")
    if set(values) - set(known):
        raise CourseError("unknown_statement")
    cleaned = {}
    for statement_id, raw in values.items():
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise CourseError("invalid_value") from None
        if value not in SCALE:
            raise CourseError("invalid_value")
        cleaned[statement_id] = value
    if set(cleaned) != set(known):
        raise CourseError("positioning_incomplete")
    return [(statement_id, text, cleaned[statement_id]) for statement_id, text in known.items()]


def submit_positioning(user, module, moment, values, now=None):
    """Store the learner's ratings for `moment`; idempotent.

    « before » is refused once the module is completed, « after » until it is. If
    answers for this moment exist already (a second tab, a replay), they are kept
    and returned with `created=False`: the first answers stand.
    """
    if moment not in PositioningMoment.values:
        raise CourseError("invalid_moment")
    if not module.live:
        raise CourseError("module_not_live")
    rows = clean_values(module, values)
    now = now or timezone.now()
    completed = ModuleCompletion.objects.filter(user_id=user.pk, module_id=module.pk).exists()
    if moment == BEFORE and completed:
        raise CourseError("positioning_too_late")
    if moment == AFTER and not completed:
        raise CourseError("positioning_too_early")
    try:
        with transaction.atomic():
            # The enrolment row serialises two submissions of the same person.
            enrolment = enrol(user, module, now)
            Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
            existing = answers(user, module, moment)
            if existing:
                return PositioningResult(answers=existing, created=False)
            PositioningAnswer.objects.bulk_create(
                PositioningAnswer(
                    user=user,
                    module=module,
                    moment=moment,
                    statement_id=statement_id,
                    statement=text,
                    value=value,
                    answered_at=now,
                )
                for statement_id, text, value in rows
            )
            record(
                "reperes.positioning_answer",
                enrolment,
                user,
                module_id=module.pk,
                moment=moment,
                statements=len(rows),
            )
    except IntegrityError:
        # A parallel submission won the unique constraint: its answers stand.
        return PositioningResult(answers=answers(user, module, moment), created=False)
    return PositioningResult(answers=answers(user, module, moment), created=True)


def skip_positioning(user, module, now=None):
    """« Passer »: nothing is answered, and the « before » page is not offered again.

    Enrols the learner (they are starting the module); idempotent: the first skip
    date stays.
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = enrol(user, module, now)
        skipped = Enrolment.objects.filter(
            pk=enrolment.pk, positioning_skipped_at__isnull=True
        ).update(positioning_skipped_at=now)
        if skipped:
            record("reperes.positioning_skip", enrolment, user, module_id=module.pk)
    return bool(skipped)


def positioning_shift(modules_qs):
    """Per module and statement: people who answered both times, mean before and after.

    Computed in the database: each « before » answer is joined (correlated subquery)
    to the same person's « after » answer of the same statement, then grouped by
    module and statement. Rows: `module_id`, `statement_id`, `statement` (the text as
    last answered), `people`, `before` and `after` (means, floats). The small-cell
    rule (< 5) is the dashboard's to apply.
    """
    after = PositioningAnswer.objects.filter(
        user_id=OuterRef("user_id"),
        module_id=OuterRef("module_id"),
        statement_id=OuterRef("statement_id"),
        moment=AFTER,
    ).values("value")[:1]
    rows = (
        PositioningAnswer.objects.filter(moment=BEFORE, module__in=modules_qs)
        .annotate(after_value=Subquery(after, output_field=IntegerField()))
        .filter(after_value__isnull=False)
        .values("module_id", "statement_id")
        .annotate(
            people=Count("user_id", distinct=True),
            before=Avg("value"),
            after=Avg("after_value"),
            statement_text=Subquery(
                PositioningAnswer.objects.filter(
                    module_id=OuterRef("module_id"), statement_id=OuterRef("statement_id")
                )
                .order_by("-answered_at", "-pk")
                .values("statement")[:1]
            ),
        )
        .order_by("module_id", "statement_id")
    )
    return [
        {
            "module_id": row["module_id"],
            "statement_id": row["statement_id"],
            "statement": row["statement_text"],
            "people": row["people"],
            "before": float(row["before"]),
            "after": float(row["after"]),
        }
        for row in rows
    ]
