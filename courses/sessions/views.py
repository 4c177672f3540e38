"""Public pages of in-person sessions: the list (/sessions/), a session and its .ics.

Participants' actions (registering, cancelling, the calendar feed) are in
`registration_views`; self check-in and the signature in `checkin_views`. All are thin
views over `registrations`, `calendar`, `checkin` and `signatures`: they parse the
request, call one service and render.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.models import TrainingSession
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import calendar, registrations
from courses.sessions.forms import SessionFilterForm

PER_PAGE = 10
SEAT_HOLDERS = registrations.SEAT_HOLDERS


def breadcrumbs(*items):
    items = [{"label": _("Accueil"), "url": "/"}, *items]
    items[-1] = {**items[-1], "url": "", "current": True}
    return items


def sessions_crumb():
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
            "breadcrumb_items": breadcrumbs(sessions_crumb()),
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
            "breadcrumb_items": breadcrumbs(
                sessions_crumb(), {"label": session.title, "content": True}
            ),
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
