"""Domain errors of the survey services, each with a stable `code`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "already_answered": _(
        "Vous avez déjà répondu à ce questionnaire, merci : votre première réponse est conservée."
    ),
    "invalid_answers": _(
        "Certaines réponses sont à corriger : voyez les messages sous les questions."
    ),
    "not_followed": _("Ce questionnaire porte sur une formation que vous n’avez pas suivie."),
    "no_questionnaire": _("Aucun questionnaire n’est prévu pour cette formation."),
    "invalid_kind": _("Type de questionnaire inconnu."),
    "course_required": _("Indiquez un module ou une session, pas les deux."),
    "invalid_token": _("Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier."),
    "expired_token": _("Ce lien a expiré."),
}


class SurveyError(Exception):
    """A refused survey action. `code` is stable; `message` is for people.

    `errors` maps a question id to its message, for `invalid_answers`.
    """

    def __init__(self, code, errors=None, **details):
        self.code = code
        self.errors = errors or {}
        self.details = details
        super().__init__(code)

    @property
    def message(self):
        return MESSAGES.get(self.code, _("Action impossible."))
