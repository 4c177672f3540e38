"""The dashboard's figures that read the other apps' records of issue 14:

- surveys: satisfaction à chaud / à froid and response rates (indicator 30);
- guides' daily counts: views and PDF downloads per day, no person behind;
- learning: dropouts (indicator 12) and self-positioning (indicator 11);
- quality: complaints and improvement actions (indicators 31–32), counted by
  `quality.figures`, the register's own figures.
"""

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.models import PositioningAnswer
from guides.models import GuideDailyCount, GuidePage
from quality import figures as quality_figures
from quality.models import ActionStatus, ComplaintStatus
from surveys.models import SurveyAnswer, SurveyInvitation

from .figures import (
    enrolment_counts,
    modules_in_scope,
    ratio,
    sessions_in_scope,
    sum_of,
)
from .tables import COUNT, MEAN, PEOPLE, RATE, SHIFT, Column, Table

#: What happened to the period's enrolments, per module (the dropouts table).
FATES = ("started", "completed", "dropped")
#: Past this many days, guide counts are shown per month rather than per day.
DAILY_MAX_DAYS = 62


# --- Surveys -----------------------------------------------------------------------------------


def survey_counts(filters, course):
    """{course id: {hot_invited, hot_responses, hot_answers, hot_satisfied, cold_…}}.

    `course` is "module" or "session". Satisfaction counts `is_satisfaction` scale
    answers of 4 or 5 (contract: per answer); response rate: answered invitations
    out of those of the same kind and course, both in the period.
    """
    courses = modules_in_scope(filters) if course == "module" else sessions_in_scope(filters)
    invitations = (
        SurveyInvitation.objects.filter(
            filters.people_condition("user__"),
            **{f"{course}__in": courses},
            # Offered in the period: an à froid invitation counts once it is due.
            due_at__gte=filters.since,
            due_at__lt=min(filters.until, timezone.now()),
        )
        .values(course, "kind")
        .annotate(invited=Count("pk"), responses=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    answers = (
        satisfaction_answers(filters)
        .filter(**{f"response__{course}__in": courses})
        .values(f"response__{course}", "response__kind")
        .annotate(answers=Count("pk"), satisfied=Count("pk", filter=Q(value__gte=4)))
        .order_by()
    )
    counts = {}
    for row in invitations:
        kind = prefix(row["kind"])
        counts.setdefault(row[course], {}).update(
            {f"{kind}_invited": row["invited"], f"{kind}_responses": row["responses"]}
        )
    for row in answers:
        kind = prefix(row["response__kind"])
        counts.setdefault(row[f"response__{course}"], {}).update(
            {f"{kind}_answers": row["answers"], f"{kind}_satisfied": row["satisfied"]}
        )
    for values in counts.values():
        for kind in ("hot", "cold"):
            for key in ("invited", "responses", "answers", "satisfied"):
                values.setdefault(f"{kind}_{key}", 0)
            values[f"{kind}_satisfaction"] = ratio(
                values[f"{kind}_satisfied"], values[f"{kind}_answers"]
            )
            values[f"{kind}_response_rate"] = ratio(
                values[f"{kind}_responses"], values[f"{kind}_invited"]
            )
    return counts


def satisfaction_answers(filters):
    """Answers to the questionnaires' global satisfaction question (scale 1–5)
    submitted in the period by the people filtered: the base of every satisfaction
    rate, on the dashboard and on /resultats/. A rate counts answers of 4 or 5."""
    return SurveyAnswer.objects.filter(
        filters.people_condition("response__invitation__user__"),
        response__submitted_at__gte=filters.since,
        response__submitted_at__lt=filters.until,
        is_satisfaction=True,
        question_type="scale",
        value__isnull=False,
    )


def prefix(kind):
    return "hot" if kind == "chaud" else "cold"


def satisfaction_table(module_counts, session_counts):
    """Satisfaction à chaud / à froid overall, for modules and for sessions."""
    rows = []
    for label, counts in ((_("Modules"), module_counts), (_("Sessions"), session_counts)):
        for kind, kind_label in (("hot", _("à chaud")), ("cold", _("à froid"))):
            keys = [f"{kind}_{key}" for key in ("invited", "responses", "answers", "satisfied")]
            total = sum_of(list(counts.values()), keys)
            rows.append(
                {
                    "what": f"{label} — {kind_label}",
                    "invited": total[keys[0]],
                    "responses": total[keys[1]],
                    "answers": total[keys[2]],
                    "satisfied": total[keys[3]],
                    "response_rate": ratio(total[keys[1]], total[keys[0]]),
                    "satisfaction": ratio(total[keys[3]], total[keys[2]]),
                }
            )
    return Table(
        "satisfaction",
        _("Satisfaction (indicateur 30)"),
        [
            Column("what", _("Questionnaire")),
            Column("invited", _("Personnes sollicitées"), PEOPLE),
            Column("responses", _("Réponses"), PEOPLE),
            Column(
                "response_rate",
                _("Taux de réponse"),
                RATE,
                numerator="responses",
                denominator="invited",
            ),
            Column(
                "satisfaction",
                _("Satisfaction"),
                RATE,
                numerator="satisfied",
                denominator="answers",
                base="responses",
            ),
        ],
        rows=rows,
        note=_("Satisfaction : part des réponses de 4 ou 5 sur 5 à la question de satisfaction."),
    )


# --- Guides ------------------------------------------------------------------------------------


def guide_counts(filters):
    """Views and PDF downloads of the publishers' guides, per day or per month."""
    counts = GuideDailyCount.objects.filter(
        page__in=GuidePage.objects.filter(publisher__in=filters.publishers).values("pk"),
        day__gte=filters.start,
        day__lte=filters.end,
    )
    by_day = (filters.end - filters.start).days <= DAILY_MAX_DAYS
    if by_day:
        grouped = counts.values(when=F("day")).annotate(
            views=Sum("views"), pdf=Sum("pdf_downloads")
        )
    else:
        grouped = counts.values(when=TruncMonth("day")).annotate(
            views=Sum("views"), pdf=Sum("pdf_downloads")
        )
    rows = [
        {
            "when": date_format(row["when"], "SHORT_DATE_FORMAT" if by_day else "F Y"),
            "views": row["views"],
            "pdf": row["pdf"],
        }
        for row in grouped.order_by("when")
    ]
    return Table(
        "guides",
        _("Guides : consultations par jour") if by_day else _("Guides : consultations par mois"),
        [
            Column("when", _("Jour") if by_day else _("Mois")),
            Column("views", _("Consultations"), COUNT),
            Column("pdf", _("Téléchargements PDF"), COUNT),
        ],
        rows=rows,
        total={"when": _("Total"), **sum_of(rows, ["views", "pdf"])},
        note=_(
            "Comptes par page et par jour, sans cookie ni suivi des personnes ; les filtres "
            "de personnes, de module et de session ne s'y appliquent pas."
        ),
    )


def guides_table(filters):
    """Views and downloads per guide over the period."""
    guides = GuidePage.objects.filter(publisher__in=filters.publishers)
    rows = list(
        GuideDailyCount.objects.filter(
            page__in=guides.values("pk"), day__gte=filters.start, day__lte=filters.end
        )
        .values("page__title")
        .annotate(views=Sum("views"), pdf=Sum("pdf_downloads"))
        .order_by("-views", "page__title")
    )
    return Table(
        "guides-par-guide",
        _("Guides : consultations par guide"),
        [
            Column("page__title", _("Guide")),
            Column("views", _("Consultations"), COUNT),
            Column("pdf", _("Téléchargements PDF"), COUNT),
        ],
        rows=rows,
        total={"page__title": _("Total"), **sum_of(rows, ["views", "pdf"])},
    )


# --- Learning: dropouts and self-positioning ---------------------------------------------------


def dropouts_table(filters, counts=None):
    """Started / completed / dropped per module (indicator 12), for enrolments of the period.

    `counts`: the period's `figures.enrolment_counts`, when the caller has them already.
    One row per title (two modules of the same title share it), in title order."""
    counts = enrolment_counts(filters) if counts is None else counts
    rows = []
    for count in counts:  # in title order: equal titles are neighbours
        if not rows or rows[-1]["module__title"] != count["module__title"]:
            rows.append({"module__title": count["module__title"], **dict.fromkeys(FATES, 0)})
        for fate, key in (
            ("started", "enrolled"),
            ("completed", "completed"),
            ("dropped", "dropped"),
        ):
            rows[-1][fate] += count[key]
    for row in rows:
        row["in_progress"] = row["started"] - row["completed"] - row["dropped"]
    return Table(
        "abandons",
        _("Suivi des abandons (indicateur 12)"),
        [
            Column("module__title", _("Module")),
            Column("started", _("Commencés"), PEOPLE),
            Column("completed", _("Terminés"), PEOPLE),
            Column("in_progress", _("En cours"), PEOPLE),
            Column("dropped", _("Abandonnés (21 jours sans activité)"), PEOPLE),
        ],
        rows=rows,
        total={
            "module__title": _("Total"),
            **sum_of(rows, ["started", "completed", "in_progress", "dropped"]),
        },
        additive=True,
    )


def positioning_table(filters):
    """Self-positioning before and after, per statement (indicator 11): mean of 1–4."""
    before, after = Q(moment="before"), Q(moment="after")
    rows = list(
        PositioningAnswer.objects.filter(
            filters.people_condition("user__"),
            module__in=modules_in_scope(filters),
            answered_at__gte=filters.since,
            answered_at__lt=filters.until,
        )
        .values("module__title", "statement_id")
        .annotate(
            statement=Max("statement"),
            before_n=Count("user", filter=before, distinct=True),
            before_mean=Avg("value", filter=before),
            after_n=Count("user", filter=after, distinct=True),
            after_mean=Avg("value", filter=after),
        )
        .order_by("module__title", "statement_id")
    )
    for row in rows:
        row["pairs"] = min(row["before_n"], row["after_n"])
        both = row["before_mean"] is not None and row["after_mean"] is not None
        row["shift"] = row["after_mean"] - row["before_mean"] if both else None
    return Table(
        "positionnement",
        _("Auto-positionnement avant / après (indicateur 11)"),
        [
            Column("module__title", _("Module")),
            Column("statement", _("Énoncé")),
            Column("before_n", _("Réponses avant"), PEOPLE),
            Column("before_mean", _("Moyenne avant (1 à 4)"), MEAN, base="before_n"),
            Column("after_n", _("Réponses après"), PEOPLE),
            Column("after_mean", _("Moyenne après (1 à 4)"), MEAN, base="after_n"),
            Column("shift", _("Évolution"), SHIFT, base="pairs"),
        ],
        rows=rows,
    )


# --- Quality: complaints and improvement actions -----------------------------------------------


def quality_scope(filters):
    """The publishers looked at; platform-wide complaints and actions (no publisher)
    for Coordination only, i.e. when every publisher is in scope."""
    return {"publishers": filters.publishers, "platform": filters.all_publishers}


def complaints_table(filters):
    counts = quality_figures.complaint_counts(filters.start, filters.end, **quality_scope(filters))
    rows = [
        {
            "status": label,
            "complaints": counts[value]["count"],
            "answered": counts[value]["answered"],
        }
        for value, label in ComplaintStatus.choices
    ]
    return Table(
        "reclamations",
        _("Réclamations reçues dans la période (indicateur 31)"),
        [
            Column("status", _("Statut")),
            Column("complaints", _("Réclamations"), COUNT),
            Column("answered", _("Dont répondues"), COUNT),
        ],
        rows=rows,
        total={"status": _("Total"), **sum_of(rows, ["complaints", "answered"])},
    )


def actions_table(filters):
    counts = quality_figures.action_counts(
        start=filters.start, end=filters.end, **quality_scope(filters)
    )
    rows = [
        {
            "status": label,
            "actions": counts[value]["count"],
            "overdue": counts[value]["overdue"],
        }
        for value, label in ActionStatus.choices
    ]
    return Table(
        "actions",
        _("Actions d'amélioration (indicateur 32)"),
        [
            Column("status", _("Statut")),
            Column("actions", _("Actions"), COUNT),
            Column("overdue", _("Dont en retard"), COUNT),
        ],
        rows=rows,
        total={"status": _("Total"), **sum_of(rows, ["actions", "overdue"])},
        note=_("Actions ouvertes pendant la période ou terminées pendant celle-ci."),
    )
