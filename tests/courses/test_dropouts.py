"""Dropout follow-up (indicator 12): last activity, backfill, selection, command, states."""

import importlib
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courses.models import Enrolment, LessonProgress, ModuleCompletion, QuizAttempt
from courses.modules import dropouts, services
from tests.conftest import make_user

from .factories import build_module
from .learning_helpers import finish_lessons, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def enrolment_of(user, module):
    return Enrolment.objects.get(user=user, module=module)


def set_activity(enrolment, when):
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=when)


# --- last_activity_at kept by the services ------------------------------------------------


def test_enrolment_starts_with_an_activity(professional):
    module, _, _ = build_module()
    enrolment = services.enrol(professional, module, now=NOW)
    assert enrolment_of(professional, module).last_activity_at == NOW
    assert enrolment.dropout_reminded_at is None


def test_visits_completions_and_quiz_submissions_move_the_last_activity(professional):
    module, (first, second), quiz = build_module()
    services.record_lesson_visit(professional, first, now=NOW - timedelta(days=30))
    assert enrolment_of(professional, module).last_activity_at == NOW - timedelta(days=30)
    services.record_lesson_visit(professional, second, now=NOW - timedelta(days=20))
    assert enrolment_of(professional, module).last_activity_at == NOW - timedelta(days=20)
    services.complete_lesson(professional, first, now=NOW - timedelta(days=10))
    services.complete_lesson(professional, second, now=NOW - timedelta(days=9))
    assert enrolment_of(professional, module).last_activity_at == NOW - timedelta(days=9)
    attempt = services.start_attempt(professional, quiz)
    services.submit_attempt(professional, attempt, wrong_answers(attempt), now=NOW)
    assert enrolment_of(professional, module).last_activity_at == NOW


def test_an_older_date_never_moves_it_back(professional):
    module, (first, _), _ = build_module()
    services.record_lesson_visit(professional, first, now=NOW)
    services.record_lesson_visit(professional, first, now=NOW - timedelta(days=3))
    assert enrolment_of(professional, module).last_activity_at == NOW


def test_opening_a_lesson_page_moves_it(client, professional):
    module, (first, _), _ = build_module()
    client.force_login(professional)
    client.get(first.url)
    enrolment = enrolment_of(professional, module)
    # The learner's last visit and activity, 40 days ago.
    set_activity(enrolment, NOW - timedelta(days=40))
    LessonProgress.objects.filter(user=professional).update(last_visit_at=NOW - timedelta(days=40))
    client.get(first.url)
    assert enrolment_of(professional, module).last_activity_at > NOW - timedelta(minutes=5)


def test_visits_within_minutes_move_it_once(professional):
    """The previous visit moved it already: reading lesson after lesson costs no
    UPDATE of the enrolment until ACTIVITY_PRECISION has passed."""
    module, (first, second), _ = build_module()
    start = NOW - timedelta(hours=1)
    services.record_lesson_visit(professional, first, now=start)
    services.record_lesson_visit(professional, second, now=start + timedelta(minutes=3))
    services.record_lesson_visit(professional, first, now=start + timedelta(minutes=9))
    assert enrolment_of(professional, module).last_activity_at == start
    later = start + timedelta(minutes=9) + services.ACTIVITY_PRECISION
    services.record_lesson_visit(professional, second, now=later)
    assert enrolment_of(professional, module).last_activity_at == later


# --- Backfill -------------------------------------------------------------------------------


def backfill():
    migration = importlib.import_module("courses.migrations.0006_backfill_last_activity")
    return migration.backfill_last_activity(Enrolment, LessonProgress, QuizAttempt)


def test_backfill_takes_the_latest_of_start_visits_and_attempts(django_user_model):
    module, (first, second), quiz = build_module()
    visits_only = make_user(django_user_model, "visits@example.org")
    services.record_lesson_visit(visits_only, first, now=NOW - timedelta(days=50))
    services.record_lesson_visit(visits_only, second, now=NOW - timedelta(days=45))
    with_quiz = make_user(django_user_model, "quiz@example.org")
    finish_lessons(with_quiz, [first, second])
    attempt = services.start_attempt(with_quiz, quiz)
    services.submit_attempt(with_quiz, attempt, wrong_answers(attempt))
    nothing = make_user(django_user_model, "nothing@example.org")
    services.enrol(nothing, module)
    started = NOW - timedelta(days=60)
    Enrolment.objects.update(last_activity_at=None, started_at=started)
    LessonProgress.objects.filter(user=with_quiz).update(last_visit_at=NOW - timedelta(days=40))
    QuizAttempt.objects.filter(user=with_quiz).update(
        started_at=NOW - timedelta(days=30), submitted_at=NOW - timedelta(days=29)
    )

    assert backfill() == 3
    assert enrolment_of(visits_only, module).last_activity_at == NOW - timedelta(days=45)
    assert enrolment_of(with_quiz, module).last_activity_at == NOW - timedelta(days=29)
    assert enrolment_of(nothing, module).last_activity_at == started
    # Rows already set are left alone: running it again changes nothing.
    assert backfill() == 0


def test_backfill_with_an_attempt_started_but_not_submitted(professional):
    module, lessons, quiz = build_module()
    finish_lessons(professional, lessons)
    services.start_attempt(professional, quiz)
    Enrolment.objects.update(last_activity_at=None, started_at=NOW - timedelta(days=90))
    LessonProgress.objects.update(last_visit_at=NOW - timedelta(days=80))
    QuizAttempt.objects.update(started_at=NOW - timedelta(days=70))
    backfill()
    assert enrolment_of(professional, module).last_activity_at == NOW - timedelta(days=70)


# --- Who is due ------------------------------------------------------------------------------


@pytest.fixture
def world(django_user_model):
    """One module and a learner per case, each enrolled with a given last activity."""
    module, lessons, quiz = build_module()

    def learner(email, days, **extra):
        user = make_user(django_user_model, email, **extra)
        enrolment = services.enrol(user, module)
        set_activity(enrolment, NOW - days)
        return user

    people = {
        "exactly_21": learner("exact@example.org", timedelta(days=21)),
        "just_over": learner("over@example.org", timedelta(days=21, seconds=1)),
        "recent": learner("recent@example.org", timedelta(days=3)),
        "opted_out": learner("optout@example.org", timedelta(days=40), learning_reminders=False),
        "inactive": learner("inactive@example.org", timedelta(days=40), is_active=False),
        "completed": learner("done@example.org", timedelta(days=40)),
        "reminded": learner("reminded@example.org", timedelta(days=40)),
    }
    finish_lessons(people["completed"], lessons)
    attempt = services.start_attempt(people["completed"], quiz)
    services.submit_attempt(people["completed"], attempt, right_answers(attempt))
    set_activity(enrolment_of(people["completed"], module), NOW - timedelta(days=40))
    Enrolment.objects.filter(user=people["reminded"]).update(
        dropout_reminded_at=NOW - timedelta(days=5)
    )
    return module, people


def test_due_reminders_boundaries_and_exclusions(world):
    _module, _people = world
    due = set(dropouts.due_reminders(NOW).values_list("user__email", flat=True))
    assert due == {"over@example.org"}


def test_a_withdrawn_module_sends_nothing(world):
    module, _ = world
    module.unpublish()
    assert not dropouts.due_reminders(NOW).exists()


def test_enrolment_states_in_sql(world, django_assert_num_queries):
    module, _people = world
    with django_assert_num_queries(1):
        states = dict(
            dropouts.enrolment_states(Enrolment.objects.all(), NOW).values_list(
                "user__email", "state"
            )
        )
    assert states == {
        "exact@example.org": "started",
        "over@example.org": "dropped",
        "recent@example.org": "started",
        "optout@example.org": "dropped",
        "inactive@example.org": "dropped",
        "done@example.org": "completed",
        "reminded@example.org": "dropped",
    }
    with django_assert_num_queries(1):
        counts = dropouts.state_counts(Enrolment.objects.filter(module=module), NOW)
    assert counts == {"started": 7, "completed": 1, "dropped": 4, "in_progress": 2}


# --- The command -------------------------------------------------------------------------


def run_command():
    out = io.StringIO()
    call_command("send_dropout_reminders", stdout=out)
    return out.getvalue()


def test_command_sends_one_email_and_a_second_run_none(world, settings):
    module, people = world
    # The command reads the clock: the « exactly 21 days » learner of the fixture is
    # past the limit by now; bring them back to 20 days.
    set_activity(enrolment_of(people["exactly_21"], module), timezone.now() - timedelta(days=20))
    assert "1 rappel de module mis en file d'attente." in run_command()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["over@example.org"]
    assert module.title in message.subject
    html = message.alternatives[0][0]
    assert "/compte/rappels/" in message.body and "/compte/rappels/" in html
    assert module.url in message.body
    assert Enrolment.objects.get(user=people["just_over"]).dropout_reminded_at is not None
    assert run_command().startswith("0 ")
    assert len(mail.outbox) == 1


def test_the_task_claims_before_sending_so_a_replayed_task_sends_nothing(world):
    _module, people = world
    enrolment = Enrolment.objects.get(user=people["just_over"])
    assert dropouts.send_dropout_reminder.call(enrolment.pk) is True
    assert dropouts.send_dropout_reminder.call(enrolment.pk) is False
    assert len(mail.outbox) == 1


def test_a_task_for_an_enrolment_no_longer_due_sends_nothing(world):
    _module, people = world
    enrolment = Enrolment.objects.get(user=people["recent"])
    assert dropouts.send_dropout_reminder.call(enrolment.pk) is False
    assert not mail.outbox
    assert Enrolment.objects.get(pk=enrolment.pk).dropout_reminded_at is None


def test_a_mail_failure_gives_the_claim_back(world, monkeypatch):
    _module, people = world
    enrolment = Enrolment.objects.get(user=people["just_over"])

    def broken(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(OSError):
        dropouts.send_dropout_reminder.call(enrolment.pk)
    assert Enrolment.objects.get(pk=enrolment.pk).dropout_reminded_at is None


def test_the_command_query_count_does_not_grow(django_user_model, django_assert_max_num_queries):
    module, _, _ = build_module()
    for n in range(6):
        user = make_user(django_user_model, f"late{n}@example.org")
        set_activity(services.enrol(user, module), NOW - timedelta(days=30))
    with django_assert_max_num_queries(1):
        ids = list(dropouts.due_reminders(NOW).values_list("pk", flat=True))
    assert len(ids) == 6
    assert ModuleCompletion.objects.count() == 0
