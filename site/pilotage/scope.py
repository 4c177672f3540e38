"""Who sees what on the dashboard (issue 14, « Qui voit quoi »).

The rule itself is `guides.publishers` (shared with the questionnaires and the item
analysis): Coordination sees every publisher, an editor the publishers they belong
to. Everyone else, and an editor who belongs to no publisher, gets no dashboard at
all (404). Trainers read their own sessions' results in /formateur/, not here.
"""

from django.http import Http404

from guides.publishers import publishers_of, sees_every_publisher


def visible_publishers(user):
    """The publishers whose figures `user` may read (a queryset, possibly empty)."""
    return publishers_of(user)


def may_open_dashboard(user):
    """Coordination, or an editor who belongs to at least one publisher."""
    if sees_every_publisher(user):
        return True
    return visible_publishers(user).exists()


def require_dashboard(user):
    """The visible publishers, or 404: the dashboard does not exist for others."""
    if not may_open_dashboard(user):
        raise Http404
    return visible_publishers(user)
