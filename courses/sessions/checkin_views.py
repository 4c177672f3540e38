"""Self check-in with the trainer's code or QR code (/pointage/), then the signature.

A refused check-in (`SessionError`) shows the page again with the reason, nothing
recorded. The signature page is only for slots of a session the user holds a
confirmed place in: any other slot id is a 404.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from courses.models import Attendance, Registration, SessionSlot
from courses.models.sessions import ATTENDED, RegistrationStatus
from courses.sessions import checkin, signatures
from courses.sessions.errors import SessionError
from courses.sessions.forms import CheckInForm, SignatureForm
from courses.sessions.views import breadcrumbs, sessions_crumb

DEVICE_COOKIE = "reperes_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600


def _device_id(request):
    return request.COOKIES.get(DEVICE_COOKIE, "")[:64]


def _with_device_cookie(request, response):
    """A random id for this browser, so the trainer sees one phone checking in several people."""
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _checkin_page(request, form, token="", error=None, status=200):
    context = {
        "form": form,
        "token": token,
        "error": error,
        "breadcrumb_items": breadcrumbs(sessions_crumb(), {"label": _("Émargement")}),
    }
    response = render(request, "courses/sessions/checkin.html", context, status=status)
    return _with_device_cookie(request, response)


def _check_in(request, value):
    """Check in with a token or a code: to the signature step, or the page with the error."""
    try:
        attendance = checkin.check_in(request.user, value, device_id=_device_id(request))
    except SessionError as error:
        return error, None
    return None, attendance


@login_required
@never_cache
def checkin_form(request):
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            error, attendance = _check_in(request, form.cleaned_data["code"])
            if error is None:
                return redirect("sessions:sign", slot_id=attendance.slot_id)
            return _checkin_page(request, form, error=error, status=400)
        return _checkin_page(request, form, status=400)
    return _checkin_page(request, CheckInForm())


@login_required
@never_cache
def checkin_token(request, token):
    """Where the trainer's QR code points: GET asks to confirm, POST checks in."""
    if request.method == "POST":
        error, attendance = _check_in(request, token)
        if error is None:
            return redirect("sessions:sign", slot_id=attendance.slot_id)
        return _checkin_page(request, CheckInForm(), error=error, status=400)
    return _checkin_page(request, CheckInForm(), token=token)


def _own_slot(request, slot_id):
    """A slot of a session the user holds a confirmed place in (else 404), and its attendance."""
    registration_ids = Registration.objects.filter(
        user=request.user, status=RegistrationStatus.CONFIRMED
    ).values("pk")
    slot = get_object_or_404(
        SessionSlot.objects.select_related("session__organiser"),
        pk=slot_id,
        session__registrations__in=registration_ids,
    )
    attendance = (
        Attendance.objects.filter(slot=slot, registration__user=request.user)
        .select_related("registration")
        .first()
    )
    return slot, attendance


@login_required
@never_cache
def sign(request, slot_id):
    slot, attendance = _own_slot(request, slot_id)
    signed = attendance is not None and attendance.registration.signatures.filter(slot=slot).first()
    form = SignatureForm(request.POST or None)
    error = None
    if request.method == "POST" and not signed and form.is_valid():
        try:
            image = form.cleaned_data["signature"] or None
            signed = signatures.sign_slot(
                request.user,
                slot,
                image_bytes=signatures.decode_data_url(image) if image else None,
                typed_name=form.cleaned_data["typed_name"],
                certified=form.cleaned_data["certified"],
            )
        except SessionError as caught:
            error = caught
        else:
            messages.success(request, _("Merci : votre présence est enregistrée et signée."))
            return redirect("sessions:sign", slot_id=slot.pk)
    return render(
        request,
        "courses/sessions/sign.html",
        {
            "slot": slot,
            "session": slot.session,
            "attendance": attendance,
            "checked_in": attendance is not None and attendance.status in ATTENDED,
            "signature": signed,
            "form": form,
            "error": error,
            "breadcrumb_items": breadcrumbs(
                sessions_crumb(),
                {
                    "label": slot.session.title,
                    "url": slot.session.get_absolute_url(),
                    "content": True,
                },
                {"label": _("Signature")},
            ),
        },
        status=400 if error else 200,
    )
