"""Wagtail loads `<app>/wagtail_hooks.py` only: the sub-packages' hooks register here."""

from pilotage.item_analysis import wagtail_hooks as item_analysis_hooks  # noqa: F401
