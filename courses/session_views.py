"""Public and participant pages of in-person sessions (/sessions/, /pointage/, /calendrier/).

Thin views over `registrations`, `calendar`, `checkin` and `signatures`: they parse
the request, call one service and render. Every state change is a POST behind
CSRF and login; a refused action (`SessionError`) becomes a message and a redirect,
nothing changed. Rows belonging to a person are looked up through `request.user`:
another person's registration id is a 404.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import calendar, checkin, registrations, signatures
from .models import Attendance, CalendarFeed, Registration, SessionSlot, TrainingSession
from .models.sessions import ATTENDED, RegistrationStatus, SessionStatus
from .session_errors import SessionError
from .session_forms import CheckInForm, SessionFilterForm, SignatureForm

PER_PAGE = 10
DEVICE_COOKIE = "reperes_device"
DEVICE_COOKIE_AGE = 2 * 365 * 24 * 3600
SEAT_HOLDERS = registrations.SEAT_HOLDERS


def _breadcrumbs(*items):
    items = [{"label": _("Accueil"), "url": "/"}, *items]
    items[-1] = {**items[-1], "url": "", "current": True}
    return items


def _sessions_crumb():
    return {"label": _("Sessions"), "url": reverse("sessions:list")}


def with_seats(sessions):
    """Sessions with `seats_taken` annotated and what a list shows, in fixed queries."""
    return sessions.select_related("organiser", "module").annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=SEAT_HOLDERS), distinct=True
        )
    )


def seats_left(session):
    return max(session.capacity - session.seats_taken, 0)


# --- The public list ------------------------------------------------------------------------


def _filter_form(request, upcoming):
    communes = (
        upcoming.exclude(commune="").order_by("commune").values_list("commune", flat=True)
    ).distinct()
    modules = (
        upcoming.filter(module__isnull=False, module__live=True)
        .order_by("module__title")
        .values_list("module_id", "module__title")
        .distinct()
    )
    return SessionFilterForm(request.GET or None, communes=list(communes), modules=list(modules))


def _filtered(upcoming, filters):
    if "commune" in filters:
        upcoming = upcoming.filter(commune=filters["commune"])
    if "public" in filters:
        upcoming = upcoming.filter(audiences__code=filters["public"])
    if "module" in filters:
        upcoming = upcoming.filter(module_id=filters["module"])
    return upcoming


@require_GET
def session_list(request):
    """Upcoming sessions, filtered by commune, audience and module; bad values are ignored."""
    upcoming = TrainingSession.objects.upcoming()
    form = _filter_form(request, upcoming)
    filters = form.valid_filters()
    sessions = with_seats(_filtered(upcoming, filters).distinct()).prefetch_related(
        "slots", "audiences"
    )
    page_obj = Paginator(sessions.order_by("starts_at", "pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for session in page_obj:
        session.seats_left = seats_left(session)
    return render(
        request,
        "courses/sessions/list.html",
        {
            "filter_form": form,
            "page_obj": page_obj,
            "sessions": page_obj.object_list,
            "ignored_filters": form.ignored_labels() if form.is_bound else [],
            "is_filtered": bool(filters),
            "breadcrumb_items": _breadcrumbs(_sessions_crumb()),
        },
    )


# --- One session ------------------------------------------------------------------------------


def _session_or_404(uuid):
    sessions = with_seats(TrainingSession.objects.all()).prefetch_related(
        "slots", "audiences", "trainers"
    )
    return get_object_or_404(sessions, uuid=uuid)


def own_registration(user, session):
    """The user's registration in the session, or an invitation sent to their address."""
    if not user.is_authenticated:
        return None
    return (
        session.registrations.filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))
        .order_by("user_id")  # their own row before an unclaimed invitation
        .first()
    )


def available_action(session, registration, now):
    """« register », « wait », « cancel » or "" (which POST button the page offers)."""
    if session.status != SessionStatus.PLANNED:
        return ""
    status = registration.status if registration else RegistrationStatus.CANCELLED
    if status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
        return "cancel" if now <= session.registration_closes_at else ""
    if status == RegistrationStatus.INVITED:
        return "register"  # the invitation already holds a seat
    if not session.registration_opens_at <= now <= session.registration_closes_at:
        return ""
    return "register" if session.seats_left else "wait"


@require_GET
def session_detail(request, uuid):
    session = _session_or_404(uuid)
    session.seats_left = seats_left(session)
    now = timezone.now()
    registration = own_registration(request.user, session)
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    return render(
        request,
        "courses/sessions/detail.html",
        {
            "session": session,
            "slots": list(session.slots.all()),
            "registration": registration,
            "is_confirmed": confirmed,
            "action": available_action(session, registration, now),
            "registration_open": session.registration_opens_at <= now,
            "registration_closed": now > session.registration_closes_at,
            "login_url": f"{reverse('account_login')}?next={session.get_absolute_url()}",
            "breadcrumb_items": _breadcrumbs(_sessions_crumb(), {"label": session.title}),
        },
    )


@require_GET
def session_ics(request, uuid):
    session = get_object_or_404(
        TrainingSession.objects.select_related("organiser").prefetch_related("slots"), uuid=uuid
    )
    response = HttpResponse(
        calendar.session_ics(session), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.ics_filename(session)}"'
    return response


@login_required
@require_POST
def register(request, uuid):
    session = get_object_or_404(TrainingSession, uuid=uuid)
    try:
        registration = registrations.register(request.user, session)
    except SessionError as error:
        messages.error(request, error.message)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request, _("Votre inscription est confirmée. Un e-mail vous a été envoyé.")
            )
        else:
            messages.info(
                request,
                _(
                    "La session est complète : vous êtes sur la liste d'attente. Vous serez "
                    "prévenu·e par e-mail si une place se libère."
                ),
            )
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def cancel(request, registration_id):
    registration = get_object_or_404(
        Registration.objects.select_related("session"), pk=registration_id, user=request.user
    )
    try:
        registrations.cancel_registration(request.user, registration)
    except SessionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre inscription est annulée."))
    return redirect(registration.session.get_absolute_url())


# --- The personal calendar feed ------------------------------------------------------------------


@require_GET
@never_cache
def calendar_feed(request, token):
    """The secret address of a person's calendar: no login (calendar apps have none)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    response = HttpResponse(
        calendar.user_feed_ics(feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_POST
def regenerate_feed(request):
    """Create the feed address, or replace it (the old one stops working at once)."""
    if CalendarFeed.objects.filter(user=request.user).exists():
        calendar.rotate_feed_token(request.user)
        messages.success(
            request, _("Une nouvelle adresse d'agenda a été créée : l'ancienne ne fonctionne plus.")
        )
    else:
        calendar.feed_for(request.user)
        messages.success(request, _("Votre adresse d'agenda est prête."))
    return redirect(reverse("courses:dashboard") + "#sessions-title")


def feed_url(request, token):
    if not token:
        return ""
    return request.build_absolute_uri(reverse("sessions:feed", kwargs={"token": token}))


def my_sessions(user):
    """« Mes sessions »: the user's registrations, latest sessions first, with the feed's token.

    One query: the calendar feed's token rides along (a feed only matters to people
    registered somewhere, so without registrations there is nothing to show).
    """
    feed_token = CalendarFeed.objects.filter(user_id=OuterRef("user_id")).values("token")[:1]
    return list(
        Registration.objects.filter(user=user)
        .select_related("session")
        .annotate(feed_token=Subquery(feed_token))
        .order_by("-session__starts_at", "-pk")[:20]
    )


def dashboard_context(request):
    """What « Mon espace » shows about sessions (one query)."""
    registrations = my_sessions(request.user)
    token = registrations[0].feed_token if registrations else None
    return {
        "session_registrations": registrations,
        "calendar_feed_url": feed_url(request, token),
    }


# --- Self check-in and signature -------------------------------------------------------------


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
        "breadcrumb_items": _breadcrumbs(_sessions_crumb(), {"label": _("Émargement")}),
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
            "breadcrumb_items": _breadcrumbs(
                _sessions_crumb(),
                {"label": slot.session.title, "url": slot.session.get_absolute_url()},
                {"label": _("Signature")},
            ),
        },
        status=400 if error else 200,
    )
