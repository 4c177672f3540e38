"""The trainer area (`/formateur/`): the sessions, their slots and participants.

Thin views over the session services (`registrations`, `session_certificates`); who
may see what is `trainer_access`. Attendance, the check-in display and the trainer's
signature are in `trainer_attendance`; exports and the émargement PDF in
`trainer_exports`.
"""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import is_coordination
from courses.models import TrainingSession
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import certificates as session_certificates
from courses.sessions import registrations
from courses.sessions.errors import SessionError
from courses.sessions.trainer.access import (
    crumbs,
    get_session,
    session_url,
    trainer_area,
)
from courses.sessions.trainer.forms import (
    MAX_SLOTS,
    SLOTS_PREFIX,
    AddParticipantForm,
    SessionForm,
    slot_formset,
    with_another_slot,
)
from courses.sessions.trainer.results import session_results


@trainer_area(methods=("GET",))
def session_list(request):
    sessions = (
        TrainingSession.objects.for_trainer(request.user)
        .select_related("organiser")
        .prefetch_related("trainers")
        .order_by("-starts_at", "pk")
    )
    return render(
        request,
        "courses/sessions/trainer/session_list.html",
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


#: The name of the « Ajouter une demi-journée » submit button (the form's other submit saves).
ADD_SLOT = "add_slot"


def _session_form(request, session):
    coordination = is_coordination(request.user)
    creating = session is None
    Formset = slot_formset(extra=2 if creating else 1)
    added_slot = None
    if request.method == "POST" and ADD_SLOT in request.POST:
        form, formset, added_slot = _with_another_slot(request, session, coordination, Formset)
    elif request.method == "POST":
        form = SessionForm(request.POST, instance=session, coordination=coordination)
        formset = Formset(request.POST, prefix=SLOTS_PREFIX)
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
        formset = Formset(prefix=SLOTS_PREFIX, initial=None if creating else _slot_initial(session))
    title = _("Nouvelle session") if creating else _("Modifier la session")
    items = [(title, "")] if creating else [(session.title, session_url(session)), (title, "")]
    return render(
        request,
        "courses/sessions/trainer/session_form.html",
        {
            "form": form,
            "formset": formset,
            "session": session,
            "page_title": title,
            "add_slot": ADD_SLOT,
            "added_slot": added_slot,
            "can_add_slot": formset.total_form_count() < MAX_SLOTS,
            "max_slots": MAX_SLOTS,
            "breadcrumb_items": crumbs(*items),
        },
    )


def _with_another_slot(request, session, coordination, Formset):
    """« Ajouter une demi-journée » without JavaScript: the form as typed, one more row.

    Nothing is saved and nothing is judged (draft forms): the person has not asked to
    save yet. Returns the form, the formset and the new row's number (None when no
    row could be added: MAX_SLOTS reached, or a tampered row count the formset reports).
    """
    form = SessionForm(request.POST, instance=session, coordination=coordination, draft=True)
    data = with_another_slot(request.POST)
    formset = Formset(data or request.POST, prefix=SLOTS_PREFIX, draft=True)
    if data is None:
        return form, formset, None
    # Focus lands on the new row, as with JavaScript (static/js/slot-formset.js).
    formset.forms[-1].fields["date"].widget.attrs["autofocus"] = True
    return form, formset, len(formset.forms)


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
    slots = list(session.slots.all())
    return render(
        request,
        "courses/sessions/trainer/session_detail.html",
        {
            "session": session,
            "slots": slots,
            "trainers": list(session.trainers.all()),
            "participants": participants,
            "add_form": AddParticipantForm(),
            "now": now,
            "can_finish": session.status == SessionStatus.PLANNED
            and session_certificates.last_half_day_started(slots, now),
            "results": session_results(session, slots, now),
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
    return redirect(session_url(session) + "#participants")


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
            ngettext(
                "La session est terminée : %(count)s certificat de réalisation délivré.",
                "La session est terminée : %(count)s certificats de réalisation délivrés.",
                len(issued),
            )
            % {"count": len(issued)},
        )
    return redirect(session_url(session))
