"""Which publishers a person works for: the one rule of issue 14, « Qui voit quoi ».

- Coordination (and superusers): every publisher.
- An editor (Rédacteur·rice): the publishers they belong to (`Publisher.members`,
  reverse name `user.publishers`), nothing else.
- Everyone else, and an editor who belongs to no publisher: none.

The dashboard (`pilotage.scope`), the item analysis and the questionnaires in
Wagtail (`surveys`) all read it from here: `guides` is the floor where `Publisher`
lives, so every floor that needs the rule can import it.
"""

from accounts import roles

from .models import Publisher


def sees_every_publisher(user):
    """Coordination or a superuser: no publisher filter at all."""
    return roles.is_coordination(user)


def is_editor(user):
    # Reads `user.groups.all()` as `roles.is_coordination` does: no query when prefetched.
    return any(group.name == roles.REDACTEUR for group in user.groups.all())


def publishers_of(user):
    """The publishers `user` works for (a queryset, possibly empty)."""
    if user is None or not user.is_authenticated:
        return Publisher.objects.none()
    if sees_every_publisher(user):
        return Publisher.objects.all()
    if not is_editor(user):
        return Publisher.objects.none()
    return Publisher.objects.filter(members=user)


def works_for(user, publisher_id):
    """Whether `user` may see what belongs to this publisher (one query at most)."""
    if sees_every_publisher(user):
        return True
    if publisher_id is None:
        return False
    return publishers_of(user).filter(pk=publisher_id).exists()
