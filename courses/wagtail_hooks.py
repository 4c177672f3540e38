"""Learner actions shown in Wagtail's audit log (Reports → Site history)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "reperes.module_enrol": (_("Inscription à un module"), _("Inscrit·e au module")),
    "reperes.lesson_complete": (_("Leçon terminée"), _("Leçon terminée")),
    "reperes.quiz_start": (_("Tentative de quiz commencée"), _("Tentative commencée")),
    "reperes.quiz_submit": (_("Tentative de quiz validée"), _("Tentative validée")),
    "reperes.module_complete": (_("Module terminé"), _("Module terminé")),
    "reperes.positioning_answer": (_("Auto-positionnement"), _("Énoncés notés")),
    "reperes.positioning_skip": (_("Auto-positionnement passé"), _("Auto-positionnement passé")),
    "reperes.dropout_reminder": (
        _("Rappel de module non terminé"),
        _("Rappel de module non terminé envoyé"),
    ),
}


@hooks.register("register_log_actions")
def register_course_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
