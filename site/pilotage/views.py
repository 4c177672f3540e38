"""The dashboard's admin views: the page, its XLSX exports and the PDF bilan.

The bilan is rendered by a task (pilotage/bilan.py): the dashboard asks for it (POST),
a status page says when it is ready, a view streams the stored file.

Thin: each view reads the filters (`filters.read_filters`, 404 for another
publisher's object), builds the dashboard (`dashboard.cached_dashboard`, every
figure through the small-cell rule) and renders it one way or another.
"""

import logging

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coordination
from core.spreadsheets import dated_filename
from core.storage_errors import open_stored_file

from . import bilan, exports
from .cache import CACHE_SECONDS
from .dashboard import cached_dashboard
from .filters import read_filters
from .models import BilanReport
from .scope import require_dashboard

logger = logging.getLogger("reperes.pilotage")
#: Rows of a table shown on the page; the XLSX export has every row.
PAGE_ROWS = 30
#: The bilan's status page, when the person asks it to refresh itself.
REFRESH_SECONDS = 5


class DashboardMixin:
    """Scope first (404 for whoever may not see the dashboard), then the filters."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        self.publishers = require_dashboard(request.user)
        self.result = read_filters(
            request.GET, self.publishers, coordination=is_coordination(request.user)
        )
        return super().dispatch(request, *args, **kwargs)

    def dashboard(self):
        return cached_dashboard(self.result.filters)


def item_analysis_url(quiz_id):
    """The item-analysis page of a quiz (owner G), once its URLs are installed."""
    if not quiz_id:
        return None
    try:
        return reverse("pilotage:item_analysis:quiz", args=[quiz_id])
    except NoReverseMatch:
        return None


class DashboardView(DashboardMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "pilotage/dashboard.html"
    page_title = _("Pilotage")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dashboard = self.dashboard()
        query = urlencode(self.result.query)
        for table in dashboard.tables():
            table.limit = PAGE_ROWS  # a long list (a busy year's sessions) is in the XLSX
        modules = dashboard.table("modules")
        if modules is not None:
            modules.links = [item_analysis_url(meta.get("quiz_id")) for meta in modules.meta]
        context.update(
            dashboard=dashboard,
            filters=self.result.filters,
            form=self.result.form,
            notices=self.result.notices,
            query=query,
            export_all_url=f"{reverse('pilotage:export', args=['tout'])}?{query}",
            bilan_url=f"{reverse('pilotage:bilan')}?{query}",
            cache_minutes=CACHE_SECONDS // 60,
        )
        return context


class ExportView(DashboardMixin, View):
    """One table, or every table (`tout`), as XLSX: cells as the page shows them."""

    def get(self, request, key):
        dashboard = cached_dashboard(self.result.filters, full=True)
        if key == "tout":
            tables = dashboard.tables()
        else:
            table = dashboard.table(key)
            if table is None:
                raise Http404
            tables = [table]
        content = exports.workbook_bytes(tables, dashboard.filters)
        logger.info(
            "pilotage export",
            extra={"user_id": request.user.pk, "table": key, "filters": self.result.query},
        )
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        filename = dated_filename(f"pilotage-{key}", "xlsx")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class BilanRequestView(DashboardMixin, View):
    """« Préparer le bilan PDF »: a pending report with the filters that applied, its
    rendering enqueued (pilotage/bilan.py), then the status page (POST, redirect, GET).

    The filters come in the query string of the form's action, read and checked by
    `DashboardMixin` exactly as for the page (404 for another publisher's object).
    """

    http_method_names = ["post"]

    def post(self, request):
        report = bilan.request_bilan(request.user, self.result)
        return redirect("pilotage:bilan_status", report.pk)


def own_report(request, pk):
    """The requester's report; anyone else's, or none, is a 404 (as is the whole
    dashboard for whoever may no longer open it)."""
    require_dashboard(request.user)
    return get_object_or_404(BilanReport, pk=pk, requested_by=request.user)


class BilanStatusView(WagtailAdminTemplateMixin, TemplateView):
    """« En préparation », then the download link, or why it failed.

    No script. A `<meta http-equiv="refresh">` the person did not choose is a WCAG
    2.2.1 / RGAA 13.1 failure (F41; axe `meta-refresh`): by default the page offers
    « Actualiser »; `?actualiser=auto` (a link on the page) turns the 5-second refresh
    on while the report is pending, and a link turns it off again.
    """

    template_name = "pilotage/bilan_status.html"
    page_title = _("Bilan PDF")
    header_icon = "doc-full"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = own_report(self.request, self.kwargs["pk"])
        context.update(
            report=report,
            refresh_seconds=REFRESH_SECONDS,
            auto_refresh=report.is_pending and self.request.GET.get("actualiser") == "auto",
        )
        return context

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("pilotage:dashboard"), "label": _("Pilotage")},
            {"url": "", "label": self.page_title},
        ]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        add_never_cache_headers(response)
        return response


class BilanDownloadView(View):
    """The stored PDF, as an attachment named `bilan-pilotage-<day>.pdf`."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, pk):
        report = own_report(request, pk)
        if not report.is_ready:
            return redirect("pilotage:bilan_status", report.pk)
        try:
            handle = open_stored_file(report.file.storage, report.file.name)
        except FileNotFoundError:
            # The row says ready but the file is gone: operations, not the person.
            logger.error("pilotage bilan file missing", extra={"report": report.pk})
            raise Http404 from None
        logger.info("pilotage bilan downloaded", extra={"user_id": request.user.pk})
        day = timezone.localtime(report.ready_at).date()
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=dated_filename("bilan-pilotage", "pdf", day=day),
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response
