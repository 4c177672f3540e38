"""Admin report « Guides à revoir »: legal review overdue or due within 30 days.

Built on Wagtail's ReportView (listing + CSV/XLSX export through `list_export`),
written by the project's spreadsheet rule (`core.spreadsheets`):
https://docs.wagtail.org/en/stable/extending/adding_reports.html
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView

from core.spreadsheets import SpreadsheetExport

from .models import GuidePage, OrientationOutcomePage, OrientationStepPage

REVIEW_HORIZON_DAYS = 30


def guides_to_review(today=None):
    """Guides, and the « Que faire ? » questions and outcomes, whose legal review is due
    within the horizon: one query per page type (three), sorted by date then title."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REVIEW_HORIZON_DAYS)
    guides = (
        GuidePage.objects.filter(next_review_due__lte=horizon)
        .select_related("publisher")
        .defer_streamfields()
    )
    nodes = [
        model.objects.filter(next_review_due__lte=horizon).defer_streamfields()
        for model in (OrientationStepPage, OrientationOutcomePage)
    ]
    pages = [*guides, *nodes[0], *nodes[1]]
    return sorted(pages, key=lambda page: (page.next_review_due, page.title))


class GuidesToReviewView(SpreadsheetExport, ReportView):
    page_title = _("Guides à revoir")
    header_icon = "time"
    index_url_name = "guides_to_review"
    index_results_url_name = "guides_to_review_results"
    results_template_name = "guides/reports/guides_to_review_results.html"
    # No extra permission: every staff member who reaches the admin
    # (`wagtailadmin.access_admin`, checked for all admin URLs) may see it.
    list_export = ["title", "publisher", "last_legal_review", "next_review_due", "status_string"]
    export_headings = {
        "title": _("Guide"),
        "publisher": _("Éditeur"),
        "last_legal_review": _("Dernière relecture juridique"),
        "next_review_due": _("Prochaine relecture prévue"),
        "status_string": _("Statut"),
    }
    export_stem = "guides-a-revoir"

    def get_queryset(self):
        return guides_to_review()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context
