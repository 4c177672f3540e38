"""Wagtail loads `<app>/wagtail_hooks.py` only: the pilotage admin URLs, and the hooks
of the sub-packages (imported: importing registers them).

Until the dashboard's own URLs (owner D, `pilotage/urls.py`) are merged, the admin
URLs under /admin/pilotage/ (namespace « pilotage ») are the item analysis alone.
"""

from django.urls import include, path
from wagtail import hooks

from pilotage.item_analysis import wagtail_hooks as item_analysis_hooks  # noqa: F401


@hooks.register("register_admin_urls")
def register_pilotage_urls():
    urls = [path("", include("pilotage.item_analysis.urls"))]
    return [path("pilotage/", include((urls, "pilotage"), namespace="pilotage"))]
