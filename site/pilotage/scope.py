"""Who sees what on the dashboard (issue 14, « Qui voit quoi »).

- Coordination (and superusers): every publisher.
- An editor (Rédacteur·rice): the publishers they belong to (`Publisher.members`,
  reverse name `user.publishers`), nothing else.
- Everyone else (trainers, professionals, reviewers), and an editor who belongs to no
  publisher: no dashboard at all (404). Trainers read their own sessions' results in
  /formateur/, not here.
"""

from django.core.exceptions import FieldDoesNotExist
from django.http import Http404

from accounts import roles
from guides.models import Publisher


def publishers_have_members():
    """`Publisher.members` (owner G) exists once i14-reach is merged."""
    try:
        Publisher._meta.get_field("members")
    except FieldDoesNotExist:
        return False
    return True


def has_role(user, role):
    return any(group.name == role for group in user.groups.all())


def visible_publishers(user):
    """The publishers whose figures `user` may read (a queryset, possibly empty)."""
    if user is None or not user.is_authenticated:
        return Publisher.objects.none()
    if roles.is_coordination(user):
        return Publisher.objects.all()
    if not has_role(user, roles.REDACTEUR) or not publishers_have_members():
        return Publisher.objects.none()
    return Publisher.objects.filter(members=user)


def may_open_dashboard(user):
    """Coordination, or an editor who belongs to at least one publisher."""
    if roles.is_coordination(user):
        return True
    return visible_publishers(user).exists()


def require_dashboard(user):
    """The visible publishers, or 404: the dashboard does not exist for others."""
    if not may_open_dashboard(user):
        raise Http404
    return visible_publishers(user)
