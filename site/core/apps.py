from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: helpers every app may use, and the site-wide settings.

    It imports no app of the project (tests/test_architecture.py checks it); apps
    that add content to the content cache register their models themselves
    (`core.signals.watch_content`).
    """

    name = "core"
    verbose_name = _("Socle")

    def ready(self):
        from . import audit, signals, spreadsheets, tags

        signals.connect()
        audit.connect()
        tags.connect()
        spreadsheets.apply_to_wagtail()
