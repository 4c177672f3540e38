"""Session actions in Wagtail's audit log (registered at app start-up).

Registered here rather than in `wagtail_hooks.py` so that the services can log
even where the admin's hooks are not loaded yet (management commands, tasks).
Entries are logged on the session, so its history reads as one list.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "reperes.session_slots": _("Demi-journées de la session modifiées"),
    "reperes.session_capacity": _("Nombre de places modifié"),
    "reperes.session_cancel": _("Session annulée"),
    "reperes.session_register": _("Inscription à une session"),
    "reperes.session_waiting": _("Inscription en liste d'attente"),
    "reperes.session_unregister": _("Inscription annulée"),
    "reperes.session_promote": _("Passage de la liste d'attente à une place"),
    "reperes.session_add_participant": _("Participant·e ajouté·e par un·e formateur·rice"),
    "reperes.session_invite": _("Invitation à une session envoyée"),
    "reperes.session_claim_invitation": _("Invitation liée à un compte"),
    "reperes.session_finish": _("Session terminée"),
    "reperes.attendance_mark": _("Présence enregistrée"),
    "reperes.slot_sign": _("Demi-journée signée"),
    "reperes.session_certificate_by_hand": _("Certificat de réalisation délivré à la main"),
}


@hooks.register("register_log_actions")
def register_session_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
