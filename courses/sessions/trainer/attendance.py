"""Trainer area, attendance: the screen of a half-day, the session's history of marks,
the check-in display and the trainer's signature.

The attendance screen is made for a phone in a room and works without JavaScript:
radio buttons per participant, a search box (GET), one POST for the whole list.
"""

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_coordination
from core.links import absolute_url
from courses.sessions import attendance as attendance_services
from courses.sessions import checkin, signatures
from courses.sessions.errors import SessionError
from courses.sessions.trainer.access import (
    crumbs,
    get_session,
    get_slot,
    session_url,
    trainer_area,
)
from courses.sessions.trainer.forms import ATTENDANCE_CHOICES, TrainerSignatureForm


def _matches(registration, query):
    user = registration.user
    haystack = " ".join(
        filter(None, [registration.email, user and user.first_name, user and user.last_name])
    )
    return query.casefold() in haystack.casefold()


@trainer_area
def attendance(request, uuid, slot_id):
    session = get_session(request, uuid)
    slot = get_slot(session, slot_id)
    errors = {}
    reason_error = ""
    if request.method == "POST":
        errors, reason_error = _save_marks(request, slot)
        if not errors and not reason_error:
            messages.success(request, _("Les présences sont enregistrées."))
            query = request.POST.get("q", "")
            url = reverse("trainer:attendance", kwargs={"uuid": session.uuid, "slot_id": slot.pk})
            return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()
    roll = attendance_services.slot_roll(slot)
    if query:
        roll = [
            (registration, mark) for registration, mark in roll if _matches(registration, query)
        ]
    coordination = is_coordination(request.user)
    rows = [
        {
            "registration": registration,
            "status": request.POST.get(f"status-{registration.pk}")
            if request.method == "POST"
            else (mark.status if mark else ""),
            "error": errors.get(registration.pk, ""),
        }
        for registration, mark in roll
    ]
    return render(
        request,
        "courses/sessions/trainer/attendance.html",
        {
            "session": session,
            "slot": slot,
            "rows": rows,
            "choices": ATTENDANCE_CHOICES,
            "query": query,
            "ended": timezone.now() > slot.ends_at,
            "reason_error": reason_error,
            "reason": request.POST.get("reason", ""),
            "history": attendance_services.attendance_history(slot) if coordination else None,
            "breadcrumb_items": crumbs((session.title, session_url(session)), (str(slot), "")),
        },
        status=400 if errors or reason_error else 200,
    )


def _save_marks(request, slot):
    """Apply every changed radio button; errors by registration, and the reason's error."""
    current = {
        registration.pk: (registration, mark.status if mark else "")
        for registration, mark in attendance_services.slot_roll(slot)
    }
    reason = request.POST.get("reason", "")
    errors, reason_error = {}, ""
    for key, value in request.POST.items():
        if not key.startswith("status-"):
            continue
        try:
            registration, previous = current[int(key.removeprefix("status-"))]
        except (KeyError, ValueError):
            continue  # not a participant of this slot: ignored, like a stale form
        if value == previous:
            continue
        try:
            attendance_services.mark_attendance(
                request.user, slot, registration, value, reason=reason
            )
        except SessionError as error:
            if error.code in ("reason_required", "reason_too_long"):
                reason_error = error.message
            else:
                errors[registration.pk] = error.message
    return errors, reason_error


#: Marks per page of the session's history (a session of 40 people over 6 half-days
#: has at least 240 when every mark is right the first time).
HISTORY_PER_PAGE = 100


@trainer_area(methods=("GET",))
def attendance_history(request, uuid):
    """Every mark of the session (who, how, when, why), newest first.

    The issue asks for the history « visible to Coordination »; the session's own
    trainers see it too (they answer for the sheet, and see there any correction made
    after them). Like every page of a session, it is a 404 for anyone else.
    """
    session = get_session(request, uuid)
    page_obj = Paginator(
        attendance_services.session_attendance_history(session), HISTORY_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/sessions/trainer/attendance_history.html",
        {
            "session": session,
            "page_obj": page_obj,
            "marks": page_obj.object_list,
            "breadcrumb_items": crumbs(
                (session.title, session_url(session)), (_("Historique des présences"), "")
            ),
        },
    )


# --- Check-in display and trainer signature -------------------------------------------------


def checkin_url(token):
    path = reverse("sessions:checkin_token", kwargs={"token": token})
    return absolute_url(path)


def _checkin_payload(slot):
    current = checkin.current_checkin(slot)
    url = checkin_url(current.token)
    return {
        "code": current.short_code,
        "url": url,
        "qr": segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff"),
        "expires_at": current.expires_at.isoformat(),
    }


@trainer_area(methods=("GET",))
def checkin_display(request, uuid, slot_id):
    session = get_session(request, uuid)
    slot = get_slot(session, slot_id)
    try:
        payload = _checkin_payload(slot)
        closed = ""
    except SessionError as error:
        payload, closed = None, error.message
    return render(
        request,
        "courses/sessions/trainer/checkin_display.html",
        {
            "session": session,
            "slot": slot,
            "payload": payload,
            "closed": closed,
            "shared": checkin.shared_devices(slot),
            "trainer_signature": slot.signatures.filter(registration__isnull=True).first(),
            "signature_form": TrainerSignatureForm(
                initial={"typed_name": request.user.get_full_name()}
            ),
            "breadcrumb_items": crumbs((session.title, session_url(session)), (str(slot), "")),
        },
    )


@trainer_area(methods=("GET",))
def checkin_json(request, uuid, slot_id):
    session = get_session(request, uuid)
    slot = get_slot(session, slot_id)
    try:
        payload = _checkin_payload(slot)
    except SessionError as error:
        return JsonResponse({"closed": error.message}, status=409)
    response = JsonResponse(payload)
    response["Cache-Control"] = "no-store"
    return response


@trainer_area(methods=("POST",))
def slot_sign(request, uuid, slot_id):
    session = get_session(request, uuid)
    slot = get_slot(session, slot_id)
    form = TrainerSignatureForm(request.POST)
    if not form.is_valid():
        # The typed name's own message (accounts/names.py) when it is the one refused.
        typed_name_errors = form.errors.get("typed_name")
        messages.error(
            request,
            typed_name_errors[0]
            if typed_name_errors
            else SessionError("certification_required").message,
        )
    else:
        data = form.cleaned_data
        try:
            image = signatures.decode_data_url(data["signature"]) if data["signature"] else None
            signatures.sign_slot_as_trainer(
                request.user,
                slot,
                image_bytes=image,
                typed_name=data["typed_name"],
                certified=data["certified"],
            )
        except SessionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Votre signature de la demi-journée est enregistrée."))
    return redirect("trainer:checkin", uuid=session.uuid, slot_id=slot.pk)
