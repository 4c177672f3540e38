"""Trainer area downloads: the participant list (CSV, XLSX) and the émargement PDF."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.audit import log_data_export
from courses.models.sessions import RegistrationStatus
from courses.sessions.trainer.access import get_session, trainer_area

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Spreadsheets run cells starting with = + - @ as formulas: quote them."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def export_rows(session):
    header = [
        _("Nom"),
        _("Prénom"),
        _("Adresse e-mail"),
        _("Profession"),
        _("Organisation"),
        _("Statut"),
    ]
    rows = []
    for registration in session.registrations.select_related("user").order_by(
        "status", "user__last_name", "email"
    ):
        user = registration.user
        rows.append(
            [
                safe_cell(value)
                for value in (
                    user.last_name if user else "",
                    user.first_name if user else "",
                    registration.email,
                    user.get_profession_display() if user else "",
                    user.organisation if user else "",
                    registration.get_status_display(),
                )
            ]
        )
    return header, rows


def _participants(request, uuid, export_format):
    """The session's participant list, its export entered in the audit log."""
    session = get_session(request, uuid)
    header, rows = export_rows(session)
    log_data_export(
        request.user, session, what="participants", export_format=export_format, count=len(rows)
    )
    return session, header, rows


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@trainer_area(methods=("GET",))
def export_csv(request, uuid):
    session, header, rows = _participants(request, uuid, "csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # The BOM makes spreadsheet software read the accents as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, f"participants-{session.uuid}.csv")


@trainer_area(methods=("GET",))
def export_xlsx(request, uuid):
    from openpyxl import Workbook

    session, header, rows = _participants(request, uuid, "xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participant·e·s")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, f"participants-{session.uuid}.xlsx")


@trainer_area(methods=("GET",))
def emargement_pdf(request, uuid):
    from courses.sessions.emargement import emargement_pdf as render_sheet

    session = get_session(request, uuid)
    content = render_sheet(session)
    log_data_export(
        request.user,
        session,
        what="emargement",
        export_format="pdf",
        # The sheet lists confirmed participants only (emargement.sheet_context).
        count=session.registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    return _attachment(response, f"emargement-{session.uuid}.pdf")
