from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotageConfig(AppConfig):
    name = "pilotage"
    verbose_name = _("Pilotage")

    def ready(self):
        from . import cache

        # The cached figures are computed again when a record they count changes.
        cache.connect()
