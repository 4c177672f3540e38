"""iCalendar files of in-person sessions (RFC 5545, with the `icalendar` library).

- `session_ics(session)`: the public `.ics` of one session, one event per half-day.
  It never holds the meeting link (the link is for registered people only), unless
  the caller says the file goes to a registered person (the confirmation e-mail).
- `user_feed_ics(user)`: the personal feed of the sessions a person is confirmed
  for, served at a secret address (`CalendarFeed.token`); the meeting link is in it
  since the feed is the person's own.

Times are written in Europe/Paris with its VTIMEZONE, so calendars show the right
hour across daylight saving changes. Each event's UID is stable per slot: a
re-downloaded file or a refreshed feed updates the events instead of duplicating
them, and a cancelled session shows as cancelled rather than vanishing.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.links import absolute_url
from courses.models import CalendarFeed, Registration, TrainingSession
from courses.models.sessions import RegistrationStatus, SessionStatus

PRODID = "-//Repères//Sessions en présentiel//FR"
#: Past sessions stay in a personal feed this long (then calendars keep their copy).
FEED_HISTORY = timedelta(days=180)


def session_url(session):
    """The absolute address of the session page, or "" while no view serves it."""
    try:
        return absolute_url(session.get_absolute_url())
    except NoReverseMatch:
        return ""


def uid_domain():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "reperes"


def slot_uid(slot, session):
    return f"session-{session.uuid}-demi-journee-{slot.pk}@{uid_domain()}"


def location(session, include_meeting_url=False):
    if session.is_remote:
        if include_meeting_url and session.meeting_url:
            return session.meeting_url
        return _("À distance")
    parts = (session.venue_name, session.address, session.commune)
    return ", ".join(part.strip() for part in parts if part.strip())


def description(session, include_meeting_url=False):
    lines = [session.description.strip()] if session.description.strip() else []
    lines.append(_("Organisation : %(organiser)s") % {"organiser": session.organiser.name})
    if session.is_remote and include_meeting_url and session.meeting_url:
        lines.append(_("Lien de la visioconférence : %(url)s") % {"url": session.meeting_url})
    url = session_url(session)
    if url:
        lines.append(url)
    return "\n\n".join(lines)


def slot_event(session, slot, number, total, stamp, include_meeting_url=False):
    event = Event()
    event.add("uid", slot_uid(slot, session))
    event.add("dtstamp", stamp)
    # Aware datetimes in Europe/Paris: icalendar writes them with their TZID.
    event.add("dtstart", timezone.localtime(slot.starts_at))
    event.add("dtend", timezone.localtime(slot.ends_at))
    summary = session.title
    if total > 1:
        summary = _("%(title)s (demi-journée %(number)s sur %(total)s)") % {
            "title": session.title,
            "number": number,
            "total": total,
        }
    event.add("summary", summary)
    event.add("location", location(session, include_meeting_url))
    event.add("description", description(session, include_meeting_url))
    url = session_url(session)
    if url:
        event.add("url", url)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def add_session_events(calendar, session, stamp, include_meeting_url=False):
    slots = list(session.slots.all())  # ordered by date, start (prefetched in feeds)
    for number, slot in enumerate(slots, start=1):
        calendar.add_component(
            slot_event(session, slot, number, len(slots), stamp, include_meeting_url)
        )


def finish(calendar):
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_ics(session, include_meeting_url=False):
    """The `.ics` bytes of one session (French labels, whatever the request's language)."""
    with translation.override("fr"):
        calendar = new_calendar(session.title)
        add_session_events(calendar, session, timezone.now(), include_meeting_url)
        return finish(calendar)


def ics_filename(session):
    return f"session-{session.uuid}.ics"


def feed_sessions(user, now=None):
    """Sessions the user is confirmed for, recent and upcoming, with their slots."""
    since = (now or timezone.now()) - FEED_HISTORY
    confirmed = Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED)
    return (
        TrainingSession.objects.filter(pk__in=confirmed.values("session_id"), ends_at__gte=since)
        .select_related("organiser")
        .prefetch_related("slots")  # in date order (SessionSlot.Meta.ordering)
        .order_by("starts_at", "pk")
    )


def user_feed_ics(user, now=None):
    """The personal feed of `user` (their confirmed sessions, meeting links included)."""
    stamp = timezone.now()
    with translation.override("fr"):
        calendar = new_calendar(_("Mes sessions Repères"))
        for session in feed_sessions(user, now):
            add_session_events(calendar, session, stamp, include_meeting_url=True)
        return finish(calendar)


def feed_for(user):
    """The person's calendar feed (its secret token), created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def rotate_feed_token(user):
    """A new secret address, for a person whose feed address leaked."""
    from courses.models.sessions import new_calendar_token

    feed = feed_for(user)
    feed.token = new_calendar_token()
    feed.save(update_fields=["token"])
    return feed
