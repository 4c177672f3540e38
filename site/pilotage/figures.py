"""Every figure of the dashboard, computed in the database.

Each public function takes the `Filters` of the request and returns `Table`s of raw
numbers (tables.py), which only `privacy.protect` turns into something shown. Each
one runs a fixed number of queries (GROUP BY, `Count(distinct)`, conditional
`Count(filter=Q)`, `Exists`), whatever the amount of data: no loop over rows in
Python, only over the few grouped rows the database returns.

The sections that read another helper's models (surveys, complaints and actions, the
guides' daily counts, dropouts and self-positioning) are separate functions in
`sections.py`; they return nothing while those models are not there.

Definitions (issue 14):
- people trained: distinct people with a module completion, or a half-day attended
  (present or late) at a session, in the period;
- new / returning: trained in the period with no training before it (within the
  publishers looked at) / with one;
- completion rate: of the people who enrolled in a module in the period, the share
  who have completed it (today);
- median time to complete: the time spent in the module's lessons and quiz
  (`ModuleCompletion.time_spent_seconds`) of the completions of the period;
- first-attempt pass rate: first quiz attempts submitted in the period that passed;
- fill rate: confirmed registrations / seats; waiting-list demand: people on the
  waiting list; attendance rate: half-days attended / (confirmed × half-days held);
  no-shows: confirmed people of a finished session who attended no half-day.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Attendance,
    Enrolment,
    ModuleCompletion,
    ModulePage,
    QuizAttempt,
    QuizPage,
    Registration,
    SessionSlot,
    TrainingSession,
)
from courses.models.learning import AttemptStatus
from courses.models.sessions import ATTENDED, RegistrationStatus, SessionStatus

from .dimensions import OUTSIDE, available_dimensions
from .filters import paris_midnight
from .sql import distinct_count_over_union, grouped_median
from .tables import COUNT, MEDIAN, PEOPLE, RATE, Column, Table

PARIS = zoneinfo.ZoneInfo(settings.TIME_ZONE)
#: Dropped (issue 14): enrolled, not completed, no activity for this many days.
DROPOUT_DAYS = 21


# --- Training events ---------------------------------------------------------------------------


def completions(filters, *, before=False):
    """Module completions in scope (None when a session filter leaves modules out)."""
    queryset = ModuleCompletion.objects.filter(module__publisher__in=filters.publishers)
    if before:
        return queryset.filter(completed_at__lt=filters.since)
    if filters.session is not None:
        return None
    if filters.module is not None:
        queryset = queryset.filter(module=filters.module)
    return queryset.filter(completed_at__gte=filters.since, completed_at__lt=filters.until)


def attendances(filters, *, before=False):
    """Half-days attended by someone with an account, in scope."""
    queryset = Attendance.objects.filter(
        status__in=ATTENDED,
        registration__user__isnull=False,
        slot__session__organiser__in=filters.publishers,
    )
    if before:
        return queryset.filter(slot__date__lt=filters.start)
    if filters.session is not None:
        queryset = queryset.filter(slot__session=filters.session)
    if filters.module is not None:
        queryset = queryset.filter(slot__session__module=filters.module)
    return queryset.filter(slot__date__gte=filters.start, slot__date__lte=filters.end)


def trained_people(filters):
    """The users trained in the period, as a queryset (a subquery wherever it is used)."""
    condition = Q(pk__in=attendances(filters).values("registration__user_id"))
    done = completions(filters)
    if done is not None:
        condition |= Q(pk__in=done.values("user_id"))
    return get_user_model().objects.filter(condition).filter(filters.people_condition())


def trained_before(filters):
    """Q on users: trained before the period, within the publishers looked at."""
    return Q(pk__in=completions(filters, before=True).values("user_id")) | Q(
        pk__in=attendances(filters, before=True).values("registration__user_id")
    )


# --- People trained ----------------------------------------------------------------------------


def people_breakdown(filters):
    """People trained, grouped by every dimension at once, with the returning ones.

    One query for the overview and the sector / profession / commune tables: its rows
    are bounded by the vocabularies (professions × sectors × communes), not by the
    number of people, and the tables add them up."""
    groups = {
        f"d_{dimension.key}": dimension_group(dimension) for dimension in available_dimensions()
    }
    return list(
        trained_people(filters)
        .values(**groups)
        .annotate(people=Count("pk"), returning=Count("pk", filter=trained_before(filters)))
        .order_by()
    )


def people_overview(filters, breakdown=None):
    """New and returning people; the total is everyone trained in the period."""
    breakdown = people_breakdown(filters) if breakdown is None else breakdown
    total = sum(row["people"] for row in breakdown)
    returning = sum(row["returning"] for row in breakdown)
    return Table(
        "personnes",
        _("Personnes formées : nouvelles et déjà formées"),
        [Column("label", _("Personnes")), Column("people", _("Personnes formées"), PEOPLE)],
        rows=[
            {"label": _("Première formation"), "people": total - returning},
            {"label": _("Déjà formées avant la période"), "people": returning},
        ],
        total={"label": _("Total"), "people": total},
        additive=True,
    )


def month_case(field, filters, *, aware):
    """The month (yyyymm) of `field` as a CASE over the period's month boundaries.

    Plain comparisons, on both databases: SQLite has no date functions of its own for
    Django's Extract (it calls back into Python for every row), and the boundaries
    of an aware column are Paris midnights, so a completion at 00:30 on 1 March in
    Paris counts in March."""
    whens = []
    for month in months_of(filters):
        first = datetime.date(month // 100, month % 100, 1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        low, high = (
            (paris_midnight(first), paris_midnight(following)) if aware else (first, following)
        )
        whens.append(When(**{f"{field}__gte": low, f"{field}__lt": high}, then=Value(month)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def months_of(filters):
    """Every month of the period, as yyyymm numbers, empty ones included."""
    months, day = [], filters.start.replace(day=1)
    while day <= filters.end:
        months.append(day.year * 100 + day.month)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_label(number):
    return date_format(datetime.date(number // 100, number % 100, 1), "F Y")


def people_by_month(filters, total=None):
    """Distinct people per month (a person trained in two months counts in both)."""
    people = filters.people_condition("registration__user__")
    parts = [
        attendances(filters)
        .filter(people)
        .values(p=F("registration__user_id"), g=month_case("slot__date", filters, aware=False))
    ]
    done = completions(filters)
    if done is not None:
        parts.append(
            done.filter(filters.people_condition("user__")).values(
                p=F("user_id"), g=month_case("completed_at", filters, aware=True)
            )
        )
    counts = distinct_count_over_union(parts)
    total = trained_people(filters).count() if total is None else total
    return Table(
        "mois",
        _("Personnes formées par mois"),
        [Column("month", _("Mois")), Column("people", _("Personnes formées"), PEOPLE)],
        rows=[
            {"month": month_label(month), "people": counts.get(month, 0), "key": month}
            for month in months_of(filters)
        ],
        total={"month": _("Sur la période (sans doublon)"), "people": total},
        note=_("Une personne formée au cours de deux mois compte dans chacun des deux."),
    )


def dimension_group(dimension):
    """The grouping expression of a dimension (communes: « hors département » apart)."""
    if dimension.key != "commune":
        return F(dimension.field)
    return Case(
        When(~Q(workplace_commune=""), then=F("workplace_commune")),
        When(~Q(workplace_departement=""), then=Value(OUTSIDE)),
        default=Value(""),
    )


def people_by_dimension(filters, dimension, breakdown=None):
    """Distinct people per sector, profession or commune (each person in one row)."""
    breakdown = people_breakdown(filters) if breakdown is None else breakdown
    counts = {}
    for row in breakdown:  # grouped rows, bounded by the vocabularies
        group = row[f"d_{dimension.key}"]
        counts[group] = counts.get(group, 0) + row["people"]
    table_rows = [
        {
            "group": str(_("Hors département") if group == OUTSIDE else dimension.label_of(group)),
            "people": people,
        }
        for group, people in sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
    ]
    return Table(
        f"par-{dimension.key}",
        _("Personnes formées par %(dimension)s") % {"dimension": str(dimension.label).lower()},
        [Column("group", dimension.label), Column("people", _("Personnes formées"), PEOPLE)],
        rows=table_rows,
        total={"group": _("Total"), "people": sum(counts.values())},
        additive=True,
    )


def people_tables(filters):
    breakdown = people_breakdown(filters)
    overview = people_overview(filters, breakdown)
    return [
        overview,
        people_by_month(filters, overview.total["people"]),
        *(
            people_by_dimension(filters, dimension, breakdown)
            for dimension in available_dimensions()
        ),
    ]


# --- Modules -----------------------------------------------------------------------------------


def modules_in_scope(filters):
    modules = ModulePage.objects.filter(publisher__in=filters.publishers)
    if filters.module is not None:
        modules = modules.filter(pk=filters.module.pk)
    if filters.session is not None:
        modules = modules.filter(pk=filters.session.module_id or 0)
    return modules


def enrolments(filters):
    """Enrolments started in the period, each with `done` (the module completed since).

    The completion rate's base, here, on the dashboard's dropouts table and on
    /resultats/: one definition.

    `done` is a LEFT JOIN to the person's completion of the module, not an `EXISTS`
    per enrolment: a completion is unique per (user, module) (`unique_module_completion`),
    so the join adds no row, and PostgreSQL hashes the completions once instead of
    probing an index for each of the period's enrolments (40,000 at a département's
    scale: about 100 ms saved on each query that counts them, `make bench-scale`)."""
    completion = FilteredRelation(
        "module__completions", condition=Q(module__completions__user=F("user"))
    )
    return (
        Enrolment.objects.filter(
            filters.people_condition("user__"),
            module__in=modules_in_scope(filters),
            started_at__gte=filters.since,
            started_at__lt=filters.until,
        )
        .alias(completion=completion)
        .annotate(done=ExpressionWrapper(Q(completion__isnull=False), output_field=BooleanField()))
    )


def completion_totals(filters):
    """(completed, enrolled) over every module in scope: one query."""
    counts = enrolments(filters).aggregate(
        enrolled=Count("pk"), completed=Count("pk", filter=Q(done=True))
    )
    return counts["completed"], counts["enrolled"]


def enrolment_counts(filters):
    """Per module in scope with enrolments in the period, in title order: its title,
    `enrolled`, `completed` (of those enrolments, today) and `dropped` (not completed,
    no activity for DROPOUT_DAYS).

    One pass over the period's enrolments for the modules table and the dropouts table
    (build_dashboard computes it once and gives it to both)."""
    cutoff = timezone.now() - datetime.timedelta(days=DROPOUT_DAYS)
    return list(
        enrolments(filters)
        .values("module", "module__title")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(done=True)),
            dropped=Count(
                "pk",
                filter=Q(done=False)
                & (
                    Q(last_activity_at__lt=cutoff)
                    | Q(last_activity_at__isnull=True, started_at__lt=cutoff)
                ),
            ),
        )
        .order_by("module__title", "module")
    )


def module_rows(filters, counts=None):
    """Per module: enrolments, completions, rate, median time, first attempts."""
    modules = modules_in_scope(filters)
    people = filters.people_condition("user__")
    period = {"gte": filters.since, "lt": filters.until}
    counts = enrolment_counts(filters) if counts is None else counts
    enrolled = [
        {
            "module": row["module"],
            "enrolled": row["enrolled"],
            "completed_of_enrolled": row["completed"],
        }
        for row in counts
    ]
    done = ModuleCompletion.objects.filter(
        people,
        module__in=modules,
        completed_at__gte=period["gte"],
        completed_at__lt=period["lt"],
    )
    first = (
        QuizAttempt.objects.filter(
            people,
            module__in=modules,
            number=1,
            status=AttemptStatus.SUBMITTED,
            submitted_at__gte=period["gte"],
            submitted_at__lt=period["lt"],
        )
        .values("module")
        .annotate(first_attempts=Count("pk"), first_passed=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    merged = {
        row["pk"]: {**row, "enrolled": 0, "completed": 0, "first_attempts": 0}
        for row in modules.order_by("title").values(
            "pk", "title", "depth", "path", "publisher__name"
        )
    }
    for rows in (enrolled, first):
        for row in rows:
            merged[row.pop("module")].update(row)
    for module, median in grouped_median(done, "module_id", "time_spent_seconds").items():
        merged[module].update(median_seconds=median[0], completed=median[1])
    return merged


def quiz_ids(modules):
    """{module path: quiz page id} for the item-analysis links (one query)."""
    paths = [row["path"] for row in modules.values()]
    if not paths:
        return {}
    steplen = QuizPage.steplen
    depths = {len(path) // steplen + 1 for path in paths}
    quizzes = QuizPage.objects.filter(depth__in=depths).values_list("path", "pk")
    wanted = set(paths)
    return {path[:-steplen]: pk for path, pk in quizzes if path[:-steplen] in wanted}


def modules_table(filters, satisfaction=None, counts=None):
    """`counts`: the period's `enrolment_counts`, when the caller has them already."""
    rows = module_rows(filters, counts)
    quizzes = quiz_ids(rows)
    table_rows = []
    for module in rows.values():
        module.update(satisfaction.get(module["pk"], {}) if satisfaction else {})
        module["quiz_id"] = quizzes.get(module["path"])
        module.setdefault("completed_of_enrolled", 0)
        module.setdefault("first_passed", 0)
        module["completion_rate"] = ratio(module["completed_of_enrolled"], module["enrolled"])
        module["first_pass_rate"] = ratio(module["first_passed"], module["first_attempts"])
        module["median"] = module.get("median_seconds")
        table_rows.append(module)
    columns = [
        Column("title", _("Module")),
        Column("publisher__name", _("Éditeur")),
        Column("enrolled", _("Inscriptions"), PEOPLE),
        Column("completed", _("Terminés"), PEOPLE),
        Column(
            "completion_rate",
            _("Taux d'achèvement"),
            RATE,
            numerator="completed_of_enrolled",
            denominator="enrolled",
        ),
        Column("median", _("Durée médiane"), MEDIAN, base="completed"),
        Column(
            "first_pass_rate",
            _("Réussite du quiz au 1er essai"),
            RATE,
            numerator="first_passed",
            denominator="first_attempts",
        ),
    ]
    if satisfaction is not None:
        columns += satisfaction_columns()
    total = {
        "title": _("Total"),
        "publisher__name": "",
        **sum_of(
            table_rows,
            ["enrolled", "completed", "completed_of_enrolled", "first_attempts", "first_passed"],
        ),
    }
    total["completion_rate"] = ratio(total["completed_of_enrolled"], total["enrolled"])
    total["first_pass_rate"] = ratio(total["first_passed"], total["first_attempts"])
    return Table(
        "modules",
        _("Modules : inscriptions et résultats"),
        columns,
        rows=table_rows,
        total=total,
        additive=True,
        meta_keys=("quiz_id",),
        note=_(
            "Inscriptions de la période ; taux d'achèvement : part de ces inscriptions "
            "terminées à ce jour ; durée : temps passé dans le module."
        ),
    )


def satisfaction_columns():
    return [
        Column(
            "hot_satisfaction",
            _("Satisfaction à chaud"),
            RATE,
            numerator="hot_satisfied",
            denominator="hot_answers",
            base="hot_responses",
        ),
        Column(
            "hot_response_rate",
            _("Réponses à chaud"),
            RATE,
            numerator="hot_responses",
            denominator="hot_invited",
        ),
        Column(
            "cold_satisfaction",
            _("Satisfaction à froid"),
            RATE,
            numerator="cold_satisfied",
            denominator="cold_answers",
            base="cold_responses",
        ),
        Column(
            "cold_response_rate",
            _("Réponses à froid"),
            RATE,
            numerator="cold_responses",
            denominator="cold_invited",
        ),
    ]


def ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def sum_of(rows, keys):
    return {key: sum(row.get(key) or 0 for row in rows) for key in keys}


# --- Sessions ----------------------------------------------------------------------------------


def sessions_in_scope(filters):
    held = SessionSlot.objects.filter(date__gte=filters.start, date__lte=filters.end)
    sessions = TrainingSession.objects.filter(
        organiser__in=filters.publishers, pk__in=held.values("session_id")
    ).exclude(status=SessionStatus.CANCELLED)
    if filters.session is not None:
        sessions = sessions.filter(pk=filters.session.pk)
    if filters.module is not None:
        sessions = sessions.filter(module=filters.module)
    return sessions


def session_rows(filters):
    sessions = sessions_in_scope(filters)
    people = filters.people_condition("user__")
    attended = Attendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED)
    now = timezone.now()
    registrations = (
        Registration.objects.filter(people, session__in=sessions)
        .annotate(came=Exists(attended))
        .values("session")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
            attended=Count("pk", filter=Q(came=True)),
            no_show=Count(
                "pk",
                filter=Q(status=RegistrationStatus.CONFIRMED, came=False, session__ends_at__lt=now),
            ),
        )
        .order_by()
    )
    marks = (
        Attendance.objects.filter(
            slot__session__in=sessions, registration__status=RegistrationStatus.CONFIRMED
        )
        .filter(filters.people_condition("registration__user__"))
        .values("slot__session")
        .annotate(present_marks=Count("pk", filter=Q(status__in=ATTENDED)))
        .order_by()
    )
    held = (
        SessionSlot.objects.filter(session__in=sessions, date__lte=timezone.localdate())
        .values("session")
        .annotate(held=Count("pk"))
        .order_by()
    )
    merged = {
        row["pk"]: {**row, "confirmed": 0, "waiting": 0, "attended": 0, "no_show": 0}
        for row in sessions.order_by("-starts_at", "-pk").values(
            "pk", "title", "starts_at", "capacity", "organiser__name"
        )
    }
    for row in registrations:
        merged[row.pop("session")].update(row)
    for row in marks:
        merged[row.pop("slot__session")].update(row)
    for row in held:
        merged[row.pop("session")].update(row)
    return merged


def sessions_table(filters, satisfaction=None):
    table_rows = []
    for session in session_rows(filters).values():
        session["date"] = (
            date_format(timezone.localtime(session["starts_at"], PARIS).date(), "SHORT_DATE_FORMAT")
            if session["starts_at"]
            else ""
        )
        session["expected_marks"] = session["confirmed"] * session.get("held", 0)
        session.setdefault("present_marks", 0)
        session["fill_rate"] = ratio(session["confirmed"], session["capacity"])
        session["attendance_rate"] = ratio(session["present_marks"], session["expected_marks"])
        session.update(satisfaction.get(session["pk"], {}) if satisfaction else {})
        table_rows.append(session)
    columns = [
        Column("title", _("Session")),
        Column("date", _("Début")),
        Column("capacity", _("Places"), COUNT),
        Column("confirmed", _("Inscrit·e·s"), PEOPLE),
        Column(
            "fill_rate",
            _("Taux de remplissage"),
            RATE,
            numerator="confirmed",
            denominator="capacity",
            denominator_is_people=False,
        ),
        Column("waiting", _("Liste d'attente"), PEOPLE),
        Column("attended", _("Venu·e·s au moins une demi-journée"), PEOPLE),
        Column("no_show", _("Jamais venu·e·s"), PEOPLE),
        Column(
            "attendance_rate",
            _("Taux de présence par demi-journée"),
            RATE,
            numerator="present_marks",
            denominator="expected_marks",
            base="confirmed",
        ),
    ]
    if satisfaction is not None:
        columns += satisfaction_columns()
    keys = [
        "capacity",
        "confirmed",
        "waiting",
        "attended",
        "no_show",
        "present_marks",
        "expected_marks",
    ]
    total = {"title": _("Total"), "date": "", **sum_of(table_rows, keys)}
    total["fill_rate"] = ratio(total["confirmed"], total["capacity"])
    total["attendance_rate"] = ratio(total["present_marks"], total["expected_marks"])
    return Table(
        "sessions",
        _("Sessions : remplissage et présence"),
        columns,
        rows=table_rows,
        total=total,
        additive=True,
        note=_("Sessions ayant au moins une demi-journée dans la période (annulées exclues)."),
    )


def half_days_table(filters):
    """Attendance per half-day: present (or late) out of the confirmed registrations."""
    sessions = sessions_in_scope(filters)
    confirmed = (
        Registration.objects.filter(
            filters.people_condition("user__"),
            session=OuterRef("session_id"),
            status=RegistrationStatus.CONFIRMED,
        )
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    slots = (
        SessionSlot.objects.filter(
            session__in=sessions, date__gte=filters.start, date__lte=filters.end
        )
        .annotate(
            expected=Coalesce(Subquery(confirmed, output_field=IntegerField()), 0),
            present=Count(
                "attendances",
                filter=Q(
                    attendances__status__in=ATTENDED,
                    attendances__registration__status=RegistrationStatus.CONFIRMED,
                )
                & filters.people_condition("attendances__registration__user__"),
            ),
        )
        .values("session__title", "date", "start_time", "expected", "present")
        .order_by("date", "start_time", "session__title")
    )
    rows = [
        {
            "session": row["session__title"],
            "slot": f"{date_format(row['date'], 'SHORT_DATE_FORMAT')} {row['start_time']:%H:%M}",
            "expected": row["expected"],
            "present": row["present"],
            "rate": ratio(row["present"], row["expected"]),
        }
        for row in slots
    ]
    return Table(
        "demi-journees",
        _("Présence par demi-journée"),
        [
            Column("session", _("Session")),
            Column("slot", _("Demi-journée")),
            Column("expected", _("Inscrit·e·s"), PEOPLE),
            Column("present", _("Présent·e·s"), PEOPLE),
            Column(
                "rate", _("Taux de présence"), RATE, numerator="present", denominator="expected"
            ),
        ],
        rows=rows,
    )
