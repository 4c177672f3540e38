"""The dashboard in Wagtail's admin: its URLs and a « Pilotage » menu item.

The menu item shows to Coordination and to editors who belong to a publisher (the
same test as the views, which answer 404 to everyone else). Wagtail loads
`<app>/wagtail_hooks.py` only: the item analysis's hooks (owner G) are imported here.
https://docs.wagtail.org/en/stable/reference/hooks.html#register-admin-urls
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from pilotage.item_analysis import wagtail_hooks as item_analysis_hooks  # noqa: F401

from . import urls
from .scope import may_open_dashboard


class PilotageMenuItem(MenuItem):
    def is_shown(self, request):
        return may_open_dashboard(request.user)


@hooks.register("register_admin_urls")
def register_pilotage_urls():
    return [path("pilotage/", include((urls.urlpatterns, "pilotage"), namespace="pilotage"))]


@hooks.register("register_admin_menu_item")
def register_pilotage_menu_item():
    return PilotageMenuItem(
        _("Pilotage"), reverse("pilotage:dashboard"), name="pilotage", icon_name="table", order=250
    )
