"""Template tags of in-person sessions (the module page's « Prochaines sessions »)."""

from django import template

register = template.Library()

#: The module page shows the next few; the sessions list has them all.
MODULE_PAGE_SESSIONS = 5


@register.simple_tag
def upcoming_sessions(module):
    """The module's next sessions with their seats left, in two queries whatever their number."""
    from courses.models import TrainingSession
    from courses.sessions.views import seats_left, with_seats

    sessions = list(
        with_seats(TrainingSession.objects.upcoming().filter(module=module))
        .prefetch_related("slots")
        .order_by("starts_at", "pk")[:MODULE_PAGE_SESSIONS]
    )
    for session in sessions:
        session.seats_left = seats_left(session)
    return sessions
