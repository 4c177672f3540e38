from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and its commands (load_demo, demo_logins, demo_totp).

    A client of every app, imported by none: the platform runs the same without it.
    """

    name = "demo"
    verbose_name = _("Démonstration")
