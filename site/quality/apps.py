from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = _("Réclamations et amélioration")

    def ready(self):
        from . import log_actions, privacy  # noqa: F401  (log actions register on import)

        # What complaints hold about a person, for « Mes données » and deletion.
        privacy.register()
