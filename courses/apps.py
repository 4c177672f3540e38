from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Formations")

    def ready(self):
        from allauth.account.signals import email_confirmed, user_signed_up

        from core.signals import watch_sessions

        from .models import Registration, SessionSlot, TrainingSession
        from .modules import privacy as modules_privacy
        from .sessions import log_actions, registrations  # noqa: F401  (log actions register on import)
        from .sessions import privacy as sessions_privacy

        # What each wing holds about a person, for « Mes données » and deletion.
        modules_privacy.register()
        sessions_privacy.register()

        # An invitation to a session becomes a seat once its address is verified.
        email_confirmed.connect(
            registrations.claim_on_email_confirmed, dispatch_uid="courses.claim_on_email_confirmed"
        )
        user_signed_up.connect(
            registrations.claim_on_signed_up, dispatch_uid="courses.claim_on_signed_up"
        )

        # Sessions, their half-days and registrations (seats left) are shown on cached
        # public pages (core/page_cache.py): any change drops those pages.
        watch_sessions(
            TrainingSession,
            SessionSlot,
            Registration,
            through=(TrainingSession.trainers.through, TrainingSession.audiences.through),
        )
