"""Survey actions in Wagtail's audit log (registered at app start-up, like the sessions')."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

LOG_ACTIONS = {
    "reperes.survey_invite": _("Invitation à un questionnaire de satisfaction"),
    "reperes.survey_answer": _("Réponse à un questionnaire de satisfaction"),
}


@hooks.register("register_log_actions")
def register_survey_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
