"""The figures read from the other parts of issue 14, against hand counts:
satisfaction and response rates (surveys), guides' daily counts, dropouts,
self-positioning, complaints and improvement actions."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from guides.models import GuideDailyCount, Publisher
from pilotage import figures, sections
from pilotage.filters import read_filters
from quality.models import Complaint, ImprovementAction
from surveys.models import Questionnaire, SurveyAnswer, SurveyInvitation, SurveyResponse
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory

from . import helpers as h
from .conftest import YEAR

pytestmark = pytest.mark.django_db


def year(**extra):
    data = QueryDict(mutable=True)
    data.update({**YEAR, **extra})
    return read_filters(data, Publisher.objects.all(), coordination=True).filters


def answer_survey(invitation, satisfaction):
    response = SurveyResponse.objects.create(
        invitation=invitation,
        kind=invitation.kind,
        module=invitation.module,
        session=invitation.session,
        publisher=invitation.publisher,
        questionnaire=invitation.questionnaire,
        questions=[],
        submitted_at=invitation.due_at,
    )
    SurveyAnswer.objects.create(
        response=response,
        question_id="q1",
        question_type="scale",
        is_satisfaction=True,
        value=satisfaction,
    )
    SurveyAnswer.objects.create(  # not the satisfaction question: not counted
        response=response, question_id="q2", question_type="scale", value=1
    )
    invitation.answered_at = invitation.due_at
    invitation.save(update_fields=["answered_at"])


@pytest.fixture
def surveys(history):
    """Module A, à chaud: u1–u6 invited in May; u1–u5 answered 5, 4, 4, 3, 5
    (4 satisfied of 5). À froid: u1, u2 invited (one answered 2). Session S à chaud:
    u1, u3 invited, u1 answered 5."""
    questionnaire = Questionnaire.objects.create(title="Avis", questions=[])
    when = h.paris(2026, 5, 10)

    def invite(user, kind, **course):
        return SurveyInvitation.objects.create(
            user=user,
            kind=kind,
            publisher=history.a,
            questionnaire=questionnaire,
            due_at=when,
            **course,
        )

    users = history.users
    for user, value in zip(users[:5], [5, 4, 4, 3, 5], strict=True):
        answer_survey(invite(user, "chaud", module=history.ma), value)
    invite(users[5], "chaud", module=history.ma)
    answer_survey(invite(users[0], "froid", module=history.ma), 2)
    invite(users[1], "froid", module=history.ma)
    answer_survey(invite(users[0], "chaud", session=history.s), 5)
    invite(users[2], "chaud", session=history.s)
    return history


def test_module_satisfaction_and_response_rates(surveys):
    counts = sections.survey_counts(year(), "module")[surveys.ma.pk]
    assert (counts["hot_invited"], counts["hot_responses"]) == (6, 5)
    assert (counts["hot_answers"], counts["hot_satisfied"]) == (5, 4)
    assert counts["hot_satisfaction"] == pytest.approx(0.8)
    assert counts["hot_response_rate"] == pytest.approx(5 / 6)
    assert (counts["cold_invited"], counts["cold_responses"], counts["cold_satisfied"]) == (2, 1, 0)


def test_satisfaction_in_the_modules_table_is_protected(surveys):
    from pilotage.dashboard import build_dashboard

    dashboard = build_dashboard(year())
    modules = dashboard.table("modules")
    keys = [column.key for column in modules.columns]
    row = next(row for row in modules.rows if row[0].text == "Module A")
    # 4 satisfied of 5: 80 %, but 4 people would be given back by 80 % × 5.
    assert row[keys.index("hot_satisfaction")].text == "—"
    assert row[keys.index("hot_response_rate")].text == "83 %"  # 5 of 6 answered
    assert row[keys.index("cold_satisfaction")].text == "—"  # one answer


def test_satisfaction_table(surveys):
    table = sections.satisfaction_table(
        sections.survey_counts(year(), "module"), sections.survey_counts(year(), "session")
    )
    rows = {row["what"]: row for row in table.rows}
    assert rows["Modules — à chaud"]["responses"] == 5
    assert rows["Sessions — à chaud"]["invited"] == 2


def test_guide_counts_by_day_and_by_guide(history):
    index = GuideIndexPageFactory()
    guide = GuidePageFactory(parent=index, publisher=history.a)
    other = GuidePageFactory(parent=index, publisher=history.b)
    for day, views, pdf in ((1, 10, 2), (2, 5, 0)):
        GuideDailyCount.objects.create(
            page=guide, day=datetime.date(2026, 3, day), views=views, pdf_downloads=pdf
        )
    GuideDailyCount.objects.create(page=other, day=datetime.date(2026, 3, 1), views=7)
    march = year(start="2026-03-01", end="2026-03-31")
    table = sections.guide_counts(march)
    assert [(row["views"], row["pdf"]) for row in table.rows] == [(17, 2), (5, 0)]
    assert table.total["views"] == 22
    mine = year(start="2026-03-01", end="2026-03-31", publisher=str(history.a.pk))
    assert sections.guides_table(mine).rows[0]["views"] == 15
    by_month = sections.guide_counts(year())
    assert [row["views"] for row in by_month.rows] == [22]


def test_dropouts(history):
    from courses.models import Enrolment

    old = timezone.now() - datetime.timedelta(days=30)
    recent = timezone.now() - datetime.timedelta(days=3)
    # Module A: u1–u5 completed; u6 inactive for 30 days: dropped.
    Enrolment.objects.filter(module=history.ma).update(last_activity_at=recent)
    Enrolment.objects.filter(module=history.ma, user=history.users[5]).update(last_activity_at=old)
    rows = {row["module__title"]: row for row in sections.dropouts_table(year()).rows}
    a = rows["Module A"]
    assert (a["started"], a["completed"], a["dropped"], a["in_progress"]) == (6, 5, 1, 0)


def test_positioning_shift(history):
    from courses.models import PositioningAnswer

    for index, user in enumerate(history.users[:5]):
        for moment, value in (("before", 1 + index % 2), ("after", 4)):
            PositioningAnswer.objects.create(
                user=user,
                module=history.ma,
                moment=moment,
                statement_id="s1",
                statement="Je sais à qui transmettre",
                value=value,
                answered_at=h.paris(2026, 4, 1),
            )
    row = sections.positioning_table(year()).rows[0]
    assert (row["before_n"], row["after_n"]) == (5, 5)
    assert row["before_mean"] == pytest.approx(1.4)  # 1, 2, 1, 2, 1
    assert row["shift"] == pytest.approx(2.6)


def test_complaints_and_actions(history):
    def complaint(status, publisher, when):
        return Complaint.objects.create(
            reference=f"R-{Complaint.objects.count()}",
            name="X",
            email="x@example.org",
            subject_type="module",
            message="…",
            status=status,
            publisher=publisher,
            created_at=when,
        )

    complaint("recue", history.a, h.paris(2026, 2, 1))
    complaint("close", history.a, h.paris(2026, 3, 1))
    complaint("recue", None, h.paris(2026, 3, 1))  # platform-wide
    complaint("recue", history.b, h.paris(2025, 3, 1))  # before the period
    ImprovementAction.objects.create(
        title="A",
        origin="complaint",
        publisher=history.a,
        status="planned",
        due_date=datetime.date(2026, 1, 15),
    )
    ImprovementAction.objects.create(title="B", origin="survey", publisher=history.b, status="done")
    counts = {row["status"]: row["complaints"] for row in sections.complaints_table(year()).rows}
    assert sum(counts.values()) == 3
    only_a = year(publisher=str(history.a.pk))
    assert sections.complaints_table(only_a).total["complaints"] == 2  # no platform-wide one
    actions = sections.actions_table(year())
    assert actions.total["actions"] == 2
    assert actions.total["overdue"] == 1


def test_sections_count_only_what_the_people_filters_allow(surveys):
    cpe = year(profession="cpe")  # u1–u3
    counts = sections.survey_counts(cpe, "module")[surveys.ma.pk]
    assert counts["hot_invited"] == 3
    assert figures.people_overview(cpe).total["people"] == 3
