"""Argument types shared by the management commands."""

import argparse

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def moment(value):
    """An ISO 8601 date and time (`--now`); without an offset, in the site's time zone."""
    try:
        parsed = parse_datetime(value)
    except ValueError:  # well formed but impossible (30 February, 25 h…)
        parsed = None
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date and time: {value!r}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
