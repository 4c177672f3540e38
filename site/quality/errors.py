"""Domain errors of the quality services, each with a stable `code`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid_transition": _("Ce changement de statut n'est pas permis."),
    "answer_missing": _(
        "Une réclamation passe en « traitée » quand sa réponse est envoyée : "
        "utilisez « Envoyer la réponse »."
    ),
    "answer_empty": _("Écrivez la réponse avant de l'envoyer."),
    "answer_too_long": _("La réponse ne doit pas dépasser 5000 caractères."),
    "complaint_closed": _("Cette réclamation est close : rouvrez-la avant d'y répondre."),
    "no_address": _("Cette réclamation n'a plus d'adresse e-mail : la réponse ne peut pas partir."),
    "assignee_not_staff": _("Seul un membre de l'équipe peut suivre une réclamation."),
}


class ComplaintError(Exception):
    """A refused complaint action. `code` is stable; `message` is for people."""

    def __init__(self, code, **details):
        self.code = code
        self.details = details
        super().__init__(code)

    @property
    def message(self):
        return MESSAGES.get(self.code, _("Action impossible."))
