"""Account deletion and inactivity warnings in Wagtail's audit log.

Registered at app start-up (`AccountsConfig.ready`) rather than in `wagtail_hooks.py`,
so that management commands and tasks can log before the admin's hooks are loaded.
Entries are logged on the account and labelled by its id, never by name.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

ACCOUNT_DELETE = "reperes.account_delete"
INACTIVITY_WARNING = "reperes.account_inactivity_warning"

LOG_ACTIONS = {
    ACCOUNT_DELETE: _("Compte supprimé"),
    INACTIVITY_WARNING: _("Avertissement de compte inactif envoyé"),
}


@hooks.register("register_log_actions")
def register_privacy_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
