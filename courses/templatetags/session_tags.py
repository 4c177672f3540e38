"""Template tags of in-person sessions (the module page's « Prochaines sessions »)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.content_cache import SESSIONS, digest, fragment_prefix

register = template.Library()

#: The module page shows the next few; the sessions list has them all.
MODULE_PAGE_SESSIONS = 5
MODULE_SESSIONS_TEMPLATE = "courses/sessions/includes/module_sessions.html"


def upcoming_sessions(module, now=None):
    """The module's next sessions with their seats left, in two queries whatever their number."""
    from courses.models import TrainingSession
    from courses.sessions.views import seats_left, with_seats

    sessions = list(
        with_seats(TrainingSession.objects.upcoming(now).filter(module=module))
        .prefetch_related("slots")
        .order_by("starts_at", "pk")[:MODULE_PAGE_SESSIONS]
    )
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions


def _render_module_sessions(module):
    """(until when the list holds, its HTML): the first of the listed sessions to end
    leaves the list then (a later one may take its place); None when none is listed,
    as only a change to the sessions (SESSIONS) can add one."""
    now = timezone.now()
    sessions = upcoming_sessions(module, now)
    html = render_to_string(MODULE_SESSIONS_TEMPLATE, {"sessions": sessions, "page": module})
    return min((session.ends_at for session in sessions), default=None), html


@register.simple_tag(takes_context=True)
def module_sessions(context, module):
    """« Prochaines sessions en présentiel » of a module page: the same for every
    visitor (titles, dates, seats left), so rendered once per site and language into
    the SESSIONS generation, which every change to a session, its half-days or its
    registrations starts anew, and rebuilt when one of the listed sessions ends."""
    request = context.get("request")
    prefix = fragment_prefix(request) if request is not None else None
    if prefix is None:
        return mark_safe(_render_module_sessions(module)[1])  # noqa: S308 (our template)
    _until, html = SESSIONS.get_or_build(
        f"reperes:module-sessions:{int(module.pk)}:{digest(prefix)}",
        lambda: _render_module_sessions(module),
        fresh=lambda value: value[0] is None or timezone.now() <= value[0],
    )
    return mark_safe(html)  # noqa: S308 (this template's own output)
