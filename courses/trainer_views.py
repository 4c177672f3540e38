"""The trainer area (`/formateur/`): sessions, slots, participants, attendance, check-in.

Thin views over the session services (`registrations`, `attendance`, `checkin`,
`signatures`, `session_certificates`). Who may see what:

- the area is for the Formateur·rice and Coordination groups; anyone else gets a
  404 on every URL (the area does not exist for them);
- sessions are always looked up through `TrainingSession.objects.for_trainer(user)`:
  another trainer's session, its slots, attendance and exports are 404, for GET and
  POST alike, before anything is read or written.
"""

import csv
import io
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles

from . import attendance as attendance_services
from . import checkin, registrations, session_certificates, signatures
from .models import TrainingSession
from .models.sessions import RegistrationStatus, SessionStatus
from .session_errors import SessionError
from .trainer_forms import (
    ATTENDANCE_CHOICES,
    AddParticipantForm,
    SessionForm,
    TrainerSignatureForm,
    slot_formset,
)

AREA_GROUPS = (roles.FORMATEUR, roles.COORDINATION)


def is_coordination(user):
    return user.is_superuser or any(group.name == roles.COORDINATION for group in _groups(user))


def _groups(user):
    # Cached on the user object: the decorator and the views ask several times.
    if not hasattr(user, "_trainer_area_groups"):
        user._trainer_area_groups = list(user.groups.all())
    return user._trainer_area_groups


def trainer_area(view=None, *, methods=("GET", "POST")):
    """Logged in, and in the Formateur·rice or Coordination group; otherwise 404.

    A method the view does not take is answered 405 only once the session is known
    to be the user's: another trainer's session is a 404 whatever the method.
    """
    if view is None:
        return lambda view: trainer_area(view, methods=methods)

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or any(g.name in AREA_GROUPS for g in _groups(user))):
            raise Http404
        if request.method not in methods:
            if "uuid" in kwargs:
                session = get_session(request, kwargs["uuid"])
                if "slot_id" in kwargs:
                    get_slot(session, kwargs["slot_id"])
            return HttpResponseNotAllowed(methods)
        return view(request, *args, **kwargs)

    return wrapper


def managed_sessions(user):
    if is_coordination(user):
        return TrainingSession.objects.all()
    return TrainingSession.objects.filter(trainers=user)


def get_session(request, uuid):
    return get_object_or_404(managed_sessions(request.user).select_related("organiser"), uuid=uuid)


def get_slot(session, slot_id):
    slot = get_object_or_404(session.slots.all(), pk=slot_id)
    slot.session = session  # already loaded: the services read it
    return slot


def crumbs(*items):
    result = [{"label": _("Accueil"), "url": "/"}, {"label": _("Mes sessions"), "url": ""}]
    result[-1]["url"] = reverse("trainer:sessions")
    result += [{"label": label, "url": url} for label, url in items]
    result[-1].update(url="", current=True)
    return result


# --- Sessions ----------------------------------------------------------------------------------


@trainer_area(methods=("GET",))
def session_list(request):
    sessions = (
        managed_sessions(request.user)
        .select_related("organiser")
        .prefetch_related("trainers")
        .order_by("-starts_at", "pk")
    )
    return render(
        request,
        "courses/trainer/session_list.html",
        {
            "sessions": sessions,
            "coordination": is_coordination(request.user),
            "breadcrumb_items": crumbs(),
        },
    )


def _slot_initial(session):
    return [
        {"id": slot.pk, "date": slot.date, "start_time": slot.start_time, "end_time": slot.end_time}
        for slot in session.slots.all()
    ]


@trainer_area
def session_create(request):
    return _session_form(request, None)


@trainer_area
def session_edit(request, uuid):
    session = get_session(request, uuid)
    if session.status != SessionStatus.PLANNED:
        messages.error(request, SessionError(f"session_{session.status}").message)
        return redirect("trainer:session", uuid=session.uuid)
    return _session_form(request, session)


def _session_form(request, session):
    coordination = is_coordination(request.user)
    creating = session is None
    Formset = slot_formset(extra=2 if creating else 1)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, coordination=coordination)
        formset = Formset(request.POST, prefix="slots")
        if form.is_valid() and formset.is_valid():
            try:
                saved = _save_session(request.user, form, formset, session)
            except SessionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("La session est enregistrée."))
                return redirect("trainer:session", uuid=saved.uuid)
    else:
        form = SessionForm(instance=session, coordination=coordination)
        formset = Formset(prefix="slots", initial=None if creating else _slot_initial(session))
    title = _("Nouvelle session") if creating else _("Modifier la session")
    items = [(title, "")] if creating else [(session.title, _url(session)), (title, "")]
    return render(
        request,
        "courses/trainer/session_form.html",
        {
            "form": form,
            "formset": formset,
            "session": session,
            "page_title": title,
            "breadcrumb_items": crumbs(*items),
        },
    )


def _url(session):
    return reverse("trainer:session", kwargs={"uuid": session.uuid})


def _save_session(user, form, formset, session):
    """All or nothing: the fields, the slots (`set_slots`) and the seats (`set_capacity`)."""
    capacity = form.cleaned_data["capacity"]
    with transaction.atomic():
        instance = form.save(commit=False)
        if session is None:
            instance.created_by = user
        else:
            # Seats change through the service, which checks those already taken.
            instance.capacity = TrainingSession.objects.get(pk=session.pk).capacity
        instance.save()
        form.save_m2m()
        if session is None and not is_coordination(user):
            instance.trainers.add(user)
        registrations.set_slots(instance, formset.slots_data(), by=user)
        if session is not None:
            registrations.set_capacity(instance, capacity, by=user)
    return instance


@trainer_area(methods=("GET",))
def session_detail(request, uuid):
    session = get_session(request, uuid)
    participants = session.registrations.select_related("user").order_by(
        "status", "user__last_name", "email"
    )
    now = timezone.now()
    return render(
        request,
        "courses/trainer/session_detail.html",
        {
            "session": session,
            "slots": list(session.slots.all()),
            "trainers": list(session.trainers.all()),
            "participants": participants,
            "add_form": AddParticipantForm(),
            "now": now,
            "can_finish": session.status == SessionStatus.PLANNED
            and session.starts_at is not None
            and session.starts_at <= now,
            "breadcrumb_items": crumbs((session.title, "")),
        },
    )


@trainer_area(methods=("POST",))
def participant_add(request, uuid):
    session = get_session(request, uuid)
    form = AddParticipantForm(request.POST)
    if not form.is_valid():
        messages.error(request, SessionError("invalid_email").message)
    else:
        try:
            registration = registrations.add_participant(
                request.user, session, form.cleaned_data["email"]
            )
        except SessionError as error:
            messages.error(request, error.message)
        else:
            if registration.status == RegistrationStatus.INVITED:
                messages.success(
                    request,
                    _("Une invitation a été envoyée à %(email)s.") % {"email": registration.email},
                )
            else:
                messages.success(
                    request,
                    _("%(email)s est inscrit·e à la session.") % {"email": registration.email},
                )
    return redirect(_url(session) + "#participants")


@trainer_area(methods=("POST",))
def session_finish(request, uuid):
    session = get_session(request, uuid)
    try:
        issued = session_certificates.finish_session(session, by=request.user)
    except SessionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("La session est terminée : %(count)s certificat(s) de réalisation délivré(s).")
            % {"count": len(issued)},
        )
    return redirect(_url(session))


# --- Exports -----------------------------------------------------------------------------------

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


def _export_name(session, extension):
    return f"participants-{session.uuid}.{extension}"


@trainer_area(methods=("GET",))
def export_csv(request, uuid):
    session = get_session(request, uuid)
    header, rows = export_rows(session)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # The BOM makes spreadsheet software read the accents as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(session, "csv")}"'
    return response


@trainer_area(methods=("GET",))
def export_xlsx(request, uuid):
    from openpyxl import Workbook

    session = get_session(request, uuid)
    header, rows = export_rows(session)
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
    response["Content-Disposition"] = f'attachment; filename="{_export_name(session, "xlsx")}"'
    return response


# --- Attendance --------------------------------------------------------------------------------


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
        "courses/trainer/attendance.html",
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
            "breadcrumb_items": crumbs((session.title, _url(session)), (str(slot), "")),
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


# --- Check-in display and trainer signature -------------------------------------------------


def checkin_url(token):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/pointage/" + token + "/"


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
        "courses/trainer/checkin_display.html",
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
            "breadcrumb_items": crumbs((session.title, _url(session)), (str(slot), "")),
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
        messages.error(request, SessionError("certification_required").message)
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


# --- Émargement PDF ----------------------------------------------------------------------------


@trainer_area(methods=("GET",))
def emargement_pdf(request, uuid):
    from .emargement import emargement_pdf as render_sheet

    session = get_session(request, uuid)
    response = HttpResponse(render_sheet(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-{session.uuid}.pdf"'
    return response
