"""Trainer area downloads: the participant list (CSV, XLSX) and the émargement PDF.

The lists are written by the project's spreadsheet rule (`core.spreadsheets`): a
name typed as a formula stays text, CSV for French spreadsheets, French file names
with the date.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.audit import log_data_export
from core.spreadsheets import csv_response, dated_filename, xlsx_response
from courses.models.sessions import RegistrationStatus
from courses.sessions.trainer.access import get_session, trainer_area


def export_rows(session):
    """The heading row, then one row per registration (raw values: the writers escape)."""
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
                user.last_name if user else "",
                user.first_name if user else "",
                registration.email,
                user.profession_label if user else "",
                user.organisation if user else "",
                registration.get_status_display(),
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


def export_filename(prefix, session, extension):
    """`participants-<intitulé>-<date>.csv`: the session by its title, the day of the export."""
    return dated_filename(f"{prefix}-{session.title}", extension)


@trainer_area(methods=("GET",))
def export_csv(request, uuid):
    session, header, rows = _participants(request, uuid, "csv")
    return csv_response([header, *rows], filename=export_filename("participants", session, "csv"))


@trainer_area(methods=("GET",))
def export_xlsx(request, uuid):
    session, header, rows = _participants(request, uuid, "xlsx")
    return xlsx_response(
        [header, *rows],
        filename=export_filename("participants", session, "xlsx"),
        title=_("Participant·e·s"),
    )


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
    return _attachment(response, export_filename("emargement", session, "pdf"))
