"""`--now` of the scheduled commands (core/command_args.py): ISO 8601, refused clearly."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from core.command_args import moment

PARIS = ZoneInfo("Europe/Paris")


def test_a_moment_without_offset_is_in_the_site_time_zone():
    assert moment("2027-03-31T04:00:00") == datetime(2027, 3, 31, 4, 0, tzinfo=PARIS)
    assert moment("2027-03-31T04:00:00+00:00") == datetime(2027, 3, 31, 6, 0, tzinfo=PARIS)


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["anonymise_certificates", "purge_inactive_accounts"])
@pytest.mark.parametrize("value", ["hier", "31/03/2027", "2027-02-30T04:00:00"])
def test_a_bad_now_is_refused_with_the_value_before_anything_runs(command, value):
    with pytest.raises(CommandError, match=f"not a date and time: '{value}'"):
        call_command(command, "--now", value)
