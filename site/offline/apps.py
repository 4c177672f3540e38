from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """The installable web app: manifest, service worker, offline page, content version.

    It names no app: what may be read offline is a list of URL prefixes in the
    settings (`OFFLINE_PREFIXES`), so that guides, the « Que faire ? » path and the
    directory are covered by configuration, whoever serves them.
    """

    name = "offline"
    verbose_name = _("Hors ligne")
