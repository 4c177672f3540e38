"""The « bilan » PDF through the project's helper (`core.pdf.render_pdf`)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import render_pdf

BILAN_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/bilan.css")
#: Tables shown in full in the bilan (the others are in the XLSX).
#: Rows of a table in the bilan (the committee reads the XLSX for the full lists).
BILAN_ROWS = 30
KEY_TABLES = ("personnes", "mois", "modules", "sessions", "satisfaction", "reclamations", "actions")


def bilan_html(dashboard, user=None):
    tables = [table for table in dashboard.tables() if table.key in KEY_TABLES]
    for table in tables:
        table.limit = BILAN_ROWS  # a busy year's sessions: the XLSX has them all
    return render_to_string(
        "pilotage/bilan.html",
        {
            "dashboard": dashboard,
            "filters": dashboard.filters,
            "tables": [(table, dashboard.chart(table.key)) for table in tables],
            "generated_at": timezone.localtime(),
        },
    )


def render_bilan(dashboard, user=None):
    return render_pdf(
        bilan_html(dashboard, user),
        stylesheets=BILAN_STYLESHEETS,
        title=_("Bilan du plan de formation"),
        authors=["Repères"],
    )
