from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(
        "reperes.profile_update", _("Modification du profil"), _("Profil modifié")
    )
    actions.register_action(
        "reperes.profile_prompt",
        _("Réponse à la demande de profil"),
        _("Demande de profil de « Mon espace » traitée"),
    )
    actions.register_action("reperes.role_assign", _("Attribution d'un rôle"), _("Rôle attribué"))
    actions.register_action(
        "reperes.learning_reminders_off",
        _("Rappels de formation désactivés"),
        _("Rappels de formation désactivés"),
    )
