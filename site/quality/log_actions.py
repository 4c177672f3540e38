"""Complaint and improvement-action changes in Wagtail's audit log (registered at start-up).

Registered here rather than in `wagtail_hooks.py` so that the services log the same
way from the public form, the admin, tasks and commands. Entries name the complaint by
its reference only: who filed it stays in the complaint, not in the log.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

COMPLAINT_FILE = "reperes.complaint_file"
COMPLAINT_STATUS = "reperes.complaint_status"
COMPLAINT_ASSIGN = "reperes.complaint_assign"
COMPLAINT_ANSWER_DRAFT = "reperes.complaint_answer_draft"
COMPLAINT_ANSWER = "reperes.complaint_answer"
COMPLAINT_ERASE = "reperes.complaint_erase"
COMPLAINT_EXPIRE = "reperes.complaint_expire"

LOG_ACTIONS = {
    COMPLAINT_FILE: _("Réclamation reçue"),
    COMPLAINT_STATUS: _("Statut de la réclamation modifié"),
    COMPLAINT_ASSIGN: _("Suivi de la réclamation confié"),
    COMPLAINT_ANSWER_DRAFT: _("Réponse à la réclamation enregistrée"),
    COMPLAINT_ANSWER: _("Réponse envoyée par e-mail"),
    COMPLAINT_ERASE: _("Nom et adresse effacés (compte supprimé)"),
    COMPLAINT_EXPIRE: _("Réclamation anonymisée (durée de conservation écoulée)"),
}


@hooks.register("register_log_actions")
def register_quality_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
