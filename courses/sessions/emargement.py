"""The « feuille d'émargement » of a session: one PDF an auditor can rely on.

One row per confirmed participant, one column per half-day holding the person's
signature (image, or typed name) or « absent·e » / « excusé·e », then the attended
hours; the last row holds the trainer's signature of each half-day. Landscape A4,
the table header repeated on every page, so 40 participants × 6 half-days stay
readable. Names wrap inside their cells, smaller when long (`LONG_TEXT`).

Signature images are read from private storage and embedded as `data:` URLs: the
PDF helper (`core/pdf.py`) loads nothing else. Queries do not grow with the number
of participants (registrations, slots, attendances, signatures: one query each).
"""

import logging

from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import image_data_url as pdf_image_data_url
from core.pdf import render_pdf_cached
from core.storage_errors import reading_storage
from courses.models import Attendance, SlotSignature
from courses.models.pages import format_duration
from courses.models.sessions import ATTENDED, RegistrationStatus

logger = logging.getLogger("reperes.sessions")

STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/emargement.css")
#: Longer names and typed signatures are set smaller: with the longest the forms allow
#: (150 + 150 letters, a 150-letter typed name) the row still fits the first page.
LONG_TEXT = 60
#: How long a rendered sheet is kept for the same HTML (emargement_pdf).
SHEET_CACHE_SECONDS = 3600


def image_data_url(signature):
    """The signature's PNG as a `data:` URL, or "" when the file is gone (logged).

    A store that does not answer raises StorageUnavailable (a 503, « réessayez »):
    a sheet without the signatures it holds would mislead an auditor.
    """
    if not signature.image:
        return ""
    try:
        with reading_storage():
            return pdf_image_data_url(signature.image, "image/png")
    except FileNotFoundError:
        logger.warning("signature image missing", extra={"signature_id": signature.pk})
        return ""


def sheet_context(session):
    slots = list(session.slots.all())
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "email")
    )
    marks = {
        (attendance.registration_id, attendance.slot_id): attendance.status
        for attendance in Attendance.objects.filter(slot__session=session)
    }
    signatures = {}
    trainer_signatures = {}
    for signature in SlotSignature.objects.filter(slot__session=session).select_related("trainer"):
        entry = {
            "image": image_data_url(signature),
            "typed_name": signature.typed_name,
            "long": len(signature.typed_name) > LONG_TEXT,
            "signed_at": signature.signed_at,
            "trainer": signature.trainer,
        }
        if signature.registration_id is None:
            trainer_signatures[signature.slot_id] = entry
        else:
            signatures[(signature.registration_id, signature.slot_id)] = entry
    rows = []
    for registration in registrations:
        cells, minutes = [], 0
        for slot in slots:
            status = marks.get((registration.pk, slot.pk), "")
            if status in ATTENDED:
                minutes += slot.minutes
            cells.append(
                {
                    "status": status,
                    "attended": status in ATTENDED,
                    "signature": signatures.get((registration.pk, slot.pk)),
                }
            )
        user = registration.user
        name = (user.get_full_name() if user else "") or registration.email
        rows.append(
            {
                "name": name,
                "long_name": len(name) > LONG_TEXT,
                "organisation": user.organisation if user else "",
                "cells": cells,
                "attended": format_duration(minutes) if minutes else "0",
            }
        )
    return {
        "session": session,
        "slots": slots,
        "trainers": list(session.trainers.all()),
        "rows": rows,
        "trainer_cells": [trainer_signatures.get(slot.pk) for slot in slots],
        "planned": format_duration(session.planned_minutes),
    }


def emargement_html(session):
    # A document for the funder: French whatever the trainer's interface language.
    with translation.override("fr"):
        return render_to_string("courses/sessions/trainer/emargement.html", sheet_context(session))


def emargement_pdf(session):
    """The sheet as PDF; the same sheet downloaded again is not rendered again.

    WeasyPrint takes about 0.3 s for 40 participants, the HTML a fraction of it: the
    PDF is kept for the HTML it was made from (`core.pdf.render_pdf_cached`), so any
    mark, signature, registration or name changed since is a new render, never a
    stale sheet. An hour at most: it holds names and signatures.
    """
    with translation.override("fr"):
        title = f"Feuille d'émargement — {session.title}"
    return render_pdf_cached(
        emargement_html(session),
        timeout=SHEET_CACHE_SECONDS,
        stylesheets=STYLESHEETS,
        title=title,
        authors=[session.organiser.name],
    )
