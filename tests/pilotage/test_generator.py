"""The bench's data generator: refused without the flag, marked rows, removable."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from courses.models import Enrolment, TrainingSession
from pilotage.history import GENERATED, generated_users

pytestmark = pytest.mark.django_db


def test_refused_without_the_flag(history):
    with pytest.raises(CommandError):
        call_command("generate_pilotage_data", learners=10)
    assert not generated_users().exists()


def test_generates_marked_rows_then_deletes_only_them(history):
    before = get_user_model().objects.count()
    call_command("generate_pilotage_data", learners=60, confirmed=True)
    users = generated_users()
    assert users.count() == 60
    assert all(user.first_name == GENERATED.first_name for user in users)
    assert not any(user.has_usable_password() for user in users)
    assert Enrolment.objects.filter(user__in=users).exists()
    assert TrainingSession.objects.filter(title__startswith=GENERATED.session_prefix).exists()
    call_command("generate_pilotage_data", learners=60, confirmed=True)  # already there
    assert generated_users().count() == 60
    call_command("generate_pilotage_data", delete=True, confirmed=True)
    assert get_user_model().objects.count() == before
    assert TrainingSession.objects.filter(title="Session S").exists()  # untouched
