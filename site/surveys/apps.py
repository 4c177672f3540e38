from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Questionnaires de satisfaction")

    def ready(self):
        from courses.modules.signals import module_completed
        from courses.sessions.signals import session_finished

        from . import log_actions, privacy, receivers  # noqa: F401  (log actions register on import)

        # What surveys hold about a person, for « Mes données » and deletion.
        privacy.register()

        module_completed.connect(
            receivers.invite_on_completion, dispatch_uid="surveys.invite_on_completion"
        )
        session_finished.connect(
            receivers.invite_on_session_finished, dispatch_uid="surveys.invite_on_session_finished"
        )
