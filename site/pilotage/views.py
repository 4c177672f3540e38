"""The dashboard's admin views: the page, its XLSX exports and the PDF bilan.

Thin: each view reads the filters (`filters.read_filters`, 404 for another
publisher's object), builds the dashboard (`dashboard.build_dashboard`, every
figure through the small-cell rule) and renders it one way or another.
"""

import logging

from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.roles import is_coordination
from core.spreadsheets import dated_filename

from . import exports, pdf
from .dashboard import build_dashboard
from .filters import read_filters
from .scope import require_dashboard

logger = logging.getLogger("reperes.pilotage")
#: Rows of a table shown on the page; the XLSX export has every row.
PAGE_ROWS = 30


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
        return build_dashboard(self.result.filters)


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
        )
        return context


class ExportView(DashboardMixin, View):
    """One table, or every table (`tout`), as XLSX: cells as the page shows them."""

    def get(self, request, key):
        dashboard = build_dashboard(self.result.filters, full=True)
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


class BilanView(DashboardMixin, View):
    """The « bilan » PDF for the steering committee.

    Rendered in the request: on the demo data it takes well under a second (see the
    report of issue 14); a task would add a polling page for nothing.
    """

    def get(self, request):
        dashboard = self.dashboard()
        content = pdf.render_bilan(dashboard, request.user)
        logger.info("pilotage bilan", extra={"user_id": request.user.pk})
        response = HttpResponse(content, content_type="application/pdf")
        filename = dated_filename("bilan-pilotage", "pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
