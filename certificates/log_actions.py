"""Certificate actions in Wagtail's audit log (registered at app start-up).

Registered here rather than in `wagtail_hooks.py` so that the services can log
even where the admin's hooks are not loaded yet (management commands, tasks).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "reperes.certificate_issue": _("Certificat délivré"),
    "reperes.certificate_revoke": _("Certificat révoqué"),
    "reperes.certificate_reissue": _("Certificat réémis"),
    "reperes.certificate_export": _("Certificats exportés"),
    "reperes.certificate_archive": _("PDF du certificat signé et archivé (PDF/A-3)"),
}


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
