"""Participants' actions on sessions: register, cancel, and the personal calendar feed.

Every state change is a POST behind CSRF and login; a refused action (`SessionError`)
becomes a message and a redirect, nothing changed. Rows belonging to a person are
looked up through `request.user`: another person's registration id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.links import absolute_url
from core.prepared import INT, PreparedQuery
from courses.models import CalendarFeed, Registration, TrainingSession
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import calendar, registrations
from courses.sessions.errors import SessionError


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


def feed_url(token):
    """The feed's address, to paste in a calendar app: the public one, never the request's host."""
    if not token:
        return ""
    return absolute_url(reverse("sessions:feed", kwargs={"token": token}))


# What « Mes sessions » shows of each session, read with the registration (no join
# to a second model instance: the rows are built below).
_SESSION_COLUMNS = ("uuid", "title", "status", "starts_at")


def _my_sessions_queryset(user):
    feed_token = CalendarFeed.objects.filter(user_id=OuterRef("user_id")).values("token")[:1]
    return (
        Registration.objects.filter(user_id=user)
        .values(
            "pk",
            "status",
            "session_id",
            feed_token=Subquery(feed_token),
            **{f"session_{name}": F(f"session__{name}") for name in _SESSION_COLUMNS},
        )
        .order_by("-session__starts_at", "-pk")[:20]
    )


# « Mon espace » runs it on every visit: compiled once per process (core.prepared).
_MY_SESSIONS = PreparedQuery(_my_sessions_queryset, user=INT)

_REGISTRATION_LABELS = dict(RegistrationStatus.choices)
_SESSION_LABELS = dict(SessionStatus.choices)


def my_sessions(user):
    """« Mes sessions »: the user's registrations, latest sessions first, with the feed's token.

    One query: the calendar feed's token rides along (a feed only matters to people
    registered somewhere, so without registrations there is nothing to show). Each
    registration holds its session (the few columns shown) and both statuses' labels
    (labels looked up once, not by `get_FOO_display` on each row).
    """
    registrations = []
    for row in _MY_SESSIONS.dicts(user=user.pk):
        session = TrainingSession(
            pk=row["session_id"], **{name: row[f"session_{name}"] for name in _SESSION_COLUMNS}
        )
        session.status_label = _SESSION_LABELS.get(session.status, session.status)
        registration = Registration(pk=row["pk"], status=row["status"], session=session)
        registration.status_label = _REGISTRATION_LABELS.get(
            registration.status, registration.status
        )
        registration.feed_token = row["feed_token"]
        registrations.append(registration)
    return registrations


def dashboard_context(request):
    """What « Mon espace » shows about sessions (one query)."""
    registrations = my_sessions(request.user)
    token = registrations[0].feed_token if registrations else None
    return {
        "session_registrations": registrations,
        "calendar_feed_url": feed_url(token),
    }
