"""The content the multi-node test needs, written into its own database.

Run by tests/multinode/cluster.py inside `manage.py shell`, with the production
settings the nodes use (not pytest's): `main()` prints one JSON line the test reads.
Built with the project's test factories, like the rest of the suite.
"""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from accounts import roles
from tests.conftest import PASSWORD, make_user
from tests.courses.factories import LessonPageFactory, ModulePageFactory
from tests.guides.factories import GuideIndexPageFactory, GuidePageFactory
from tests.sessions.factories import add_participant, add_slot, build_session

OLD_TITLE = "Signaler une situation : version du lundi"
NEW_TITLE = "Signaler une situation : version relue mardi"


def _user(email, role=None, **extra):
    user = make_user(get_user_model(), email, role, **extra)
    # Production hashers, few rounds: each sign-in of the test stays quick.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "multinode", iterations=1000)
    user.save(update_fields=["password"])
    return user


def _open_slot(session):
    """A half-day under way now (Paris time), so that its check-in is open.

    A half-day ends on its own date: a run that starts in the minutes before midnight
    may find the check-in closed by the time it gets there.
    """
    now = timezone.localtime()
    starts = max(now - timedelta(minutes=10), now.replace(hour=0, minute=0, second=0))
    ends = min(now + timedelta(hours=2), now.replace(hour=23, minute=59, second=59))
    return add_slot(session, now.date(), starts.time().replace(microsecond=0), ends.time())


def main():
    admin = _user("admin@multinode.example", is_superuser=True, is_staff=True)
    learners = [
        _user(f"apprenant{n}@multinode.example", roles.PROFESSIONNEL, profession="cpe")
        for n in (1, 2, 3)
    ]
    trainer = _user("formation@multinode.example", roles.FORMATEUR)

    module = ModulePageFactory(title="Repérer les signaux")
    lesson = LessonPageFactory(parent=module)

    session = build_session(
        slots=0,
        trainer=trainer,
        start=timezone.localdate(),
        registration_opens_at=timezone.now() - timedelta(days=3),
    )
    slot = _open_slot(session)
    add_participant(session, learners[0])

    guide = GuidePageFactory(parent=GuideIndexPageFactory(), title=OLD_TITLE)
    guide.title = NEW_TITLE
    guide.save_revision(user=admin)  # a draft, published later through node A's admin

    print(
        json.dumps(
            {
                "admin": admin.email,
                "learners": [learner.email for learner in learners],
                "trainer": trainer.email,
                "lesson_url": f"/apprendre/lecons/{lesson.pk}/terminer/",
                "session": str(session.uuid),
                "slot": slot.pk,
                "guide_id": guide.pk,
                "guide_path": guide.get_url(),
                "old_title": OLD_TITLE,
                "new_title": NEW_TITLE,
            }
        )
    )
