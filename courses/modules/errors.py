"""Domain errors of the learning services, each with a stable `code` (tests assert it)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "module_not_live": _("Ce module n'est pas publié."),
    "lesson_locked": _(
        "Cette leçon s'ouvrira quand vous aurez terminé la leçon précédente du parcours."
    ),
    "lessons_incomplete": _("Terminez toutes les leçons du module avant de commencer le quiz."),
    "attempts_exhausted": _("Vous avez utilisé toutes les tentatives autorisées pour ce quiz."),
    "already_passed": _("Vous avez déjà réussi ce quiz."),
    "no_quiz": _("Ce module n'a pas de quiz."),
    "attempt_closed": _("Cette tentative est déjà validée : vos réponses ne peuvent plus changer."),
    "unknown_question": _("Cette question ne fait pas partie de votre tentative."),
    "invalid_choice": _(
        "Réponse refusée : un choix envoyé n'appartient pas à cette question, est répété, "
        "ou plusieurs choix ont été envoyés pour une question à réponse unique. "
        "Rien n'a été enregistré."
    ),
    "unanswered": _("Répondez à toutes les questions avant de valider."),
    "module_incomplete": _("Terminez les leçons et réussissez le quiz pour terminer le module."),
    "no_positioning": _("Ce module ne propose pas d'auto-positionnement."),
    "invalid_moment": _("Ce moment d'auto-positionnement n'existe pas."),
    "positioning_too_late": _(
        "Vous avez terminé ce module : l'auto-positionnement « avant » n'est plus proposé."
    ),
    "positioning_too_early": _(
        "L'auto-positionnement « après » est proposé une fois le module terminé."
    ),
    "unknown_statement": _(
        "Un énoncé envoyé ne fait pas partie de ce module. Rien n'a été enregistré."
    ),
    "invalid_value": _("Chaque réponse doit être une note de 1 à 4. Rien n'a été enregistré."),
    "positioning_incomplete": _(
        "Notez chaque énoncé de 1 à 4 (ou passez cette étape). Rien n'a été enregistré."
    ),
}


class CourseError(Exception):
    """A refused learning action. `code` is stable; `message` is for the learner."""

    def __init__(self, code, **details):
        self.code = code
        self.details = details
        super().__init__(code)

    @property
    def message(self):
        return MESSAGES.get(self.code, _("Action impossible."))
