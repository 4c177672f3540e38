"""Who may use the trainer area (`/formateur/`), and how its views find their rows.

- the area is for the Formateur·rice and Coordination groups; anyone else gets a
  404 on every URL (the area does not exist for them);
- sessions are always looked up through `TrainingSession.objects.for_trainer(user)`:
  another trainer's session, its slots, attendance and exports are 404, for GET and
  POST alike, before anything is read or written.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from courses.models import TrainingSession

AREA_GROUPS = (roles.FORMATEUR, roles.COORDINATION)


def _groups(user):
    # Prefetched once: the decorator, `is_coordination` and the services (`for_trainer`)
    # all read `user.groups.all()` during the request.
    prefetch_related_objects([user], "groups")
    return user.groups.all()


def trainer_area(view=None, *, methods=("GET", "POST")):
    """Logged in, and in the Formateur·rice or Coordination group; otherwise 404.

    A method the view does not take is answered 405 only once the session is known
    to be the user's: another trainer's session is a 404 whatever the method.
    """
    if view is None:
        return lambda view: trainer_area(view, methods=methods)

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or any(g.name in AREA_GROUPS for g in _groups(user))):
            raise Http404
        if request.method not in methods:
            if "uuid" in kwargs:
                session = get_session(request, kwargs["uuid"])
                if "slot_id" in kwargs:
                    get_slot(session, kwargs["slot_id"])
            return HttpResponseNotAllowed(methods)
        return view(request, *args, **kwargs)

    return wrapper


def get_session(request, uuid):
    sessions = TrainingSession.objects.for_trainer(request.user)
    return get_object_or_404(sessions.select_related("organiser"), uuid=uuid)


def get_slot(session, slot_id):
    slot = get_object_or_404(session.slots.all(), pk=slot_id)
    slot.session = session  # already loaded: the services read it
    return slot


def crumbs(*items):
    result = [{"label": _("Accueil"), "url": "/"}, {"label": _("Mes sessions"), "url": ""}]
    result[-1]["url"] = reverse("trainer:sessions")
    result += [{"label": label, "url": url} for label, url in items]
    result[-1].update(url="", current=True)
    return result


def session_url(session):
    return reverse("trainer:session", kwargs={"uuid": session.uuid})
