"""Admin addresses of the site settings, which moved from the home app to core."""

from django.urls import re_path, reverse
from django.views.generic import RedirectView
from wagtail import hooks


class FormerSettingsRedirect(RedirectView):
    """/admin/settings/home/sitesettings/… (bookmarks from before the move) → core's page.

    Registered before wagtail.contrib.settings' own URLs (core comes first in
    INSTALLED_APPS), which would otherwise answer 404 for the old app label.
    """

    permanent = True

    def get_redirect_url(self, *args, pk=None, preview=None, **kwargs):
        if pk is None:
            return reverse("wagtailsettings:edit", args=["core", "sitesettings"])
        name = "wagtailsettings:preview_on_edit" if preview else "wagtailsettings:edit"
        return reverse(name, args=["core", "sitesettings", int(pk)])


@hooks.register("register_admin_urls")
def register_former_settings_urls():
    return [
        re_path(
            r"^settings/home/sitesettings/(?:(?P<pk>\d+)/(?:(?P<preview>preview)/)?)?$",
            FormerSettingsRedirect.as_view(),
        ),
    ]
