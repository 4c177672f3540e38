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


def add_generated_data_arguments(parser, *, learners, seed):
    """The arguments shared by the commands that fill a database with fictitious people
    for a benchmark (`generate_pilotage_data`, `generate_scale_data`): never production,
    so the flag is required, and `--delete` takes exactly their rows away."""
    parser.add_argument("--learners", type=int, default=learners)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--delete", action="store_true", help="Supprimer les données générées.")
    parser.add_argument(
        "--i-know-this-is-not-production",
        action="store_true",
        dest="confirmed",
        help="Obligatoire : confirme que cette base n'est pas celle de la production.",
    )
