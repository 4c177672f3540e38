"""Admin integration of guides: the « Guides à revoir » report in the Reports menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import GuidesToReviewView


@hooks.register("register_admin_urls")
def register_guides_report_urls():
    return [
        path(
            "rapports/guides-a-revoir/",
            GuidesToReviewView.as_view(),
            name="guides_to_review",
        ),
        path(
            "rapports/guides-a-revoir/resultats/",
            GuidesToReviewView.as_view(results_only=True),
            name="guides_to_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_guides_report_menu_item():
    return MenuItem(
        _("Guides à revoir"),
        reverse("guides_to_review"),
        name="guides-to-review",
        icon_name="time",
        order=50,
    )
