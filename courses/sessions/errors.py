"""Domain errors of in-person sessions, each with a stable `code` (tests assert it).

Some messages carry numbers (`capacity_below_confirmed`): the details passed to
`SessionError` fill them, so the trainer reads why the change was refused. A message
whose words depend on a number is a function of the details, so that each number
gets its own plural (French: singular for 0 and 1).
"""

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


def capacity_below_confirmed(details):
    return " ".join(
        [
            ngettext(
                "Impossible de passer à %(capacity)s place :",
                "Impossible de passer à %(capacity)s places :",
                details["capacity"],
            )
            % details,
            ngettext(
                "%(taken)s personne est déjà inscrite ou invitée.",
                "%(taken)s personnes sont déjà inscrites ou invitées.",
                details["taken"],
            )
            % details,
            gettext("Annulez d'abord des inscriptions."),
        ]
    )


MESSAGES = {
    # Registration by the participant
    "session_cancelled": _("Cette session a été annulée : on ne peut plus s'y inscrire."),
    "session_finished": _("Cette session est terminée."),
    "registration_not_open": _("Les inscriptions à cette session ne sont pas encore ouvertes."),
    "registration_closed": _(
        "Les inscriptions à cette session sont closes : contactez l'équipe de formation."
    ),
    "registration_not_found": _("Cette inscription n'existe pas."),
    # Trainers (views answer 404 to `not_allowed`: another trainer's session does not exist)
    "not_allowed": _("Cette session n'existe pas."),
    "session_full": _(
        "Il n'y a plus de place dans cette session : augmentez d'abord le nombre de places."
    ),
    "invalid_email": _("Saisissez une adresse e-mail valide."),
    "invalid_capacity": _("Le nombre de places doit être compris entre 1 et %(maximum)s."),
    "capacity_below_confirmed": capacity_below_confirmed,
    # Slots
    "no_slots": _("Une session compte au moins une demi-journée."),
    "slot_end_before_start": _("Une demi-journée doit finir après son début."),
    "slots_overlap": _("Deux demi-journées se chevauchent : corrigez leurs horaires."),
    "unknown_slot": _("Cette demi-journée n'appartient pas à la session."),
    "slot_has_attendance": _(
        "Cette demi-journée a déjà des présences ou des signatures : elle ne peut plus être "
        "supprimée."
    ),
    # Attendance
    "not_registered": _(
        "Cette personne n'est pas inscrite à la session : la formatrice ou le formateur "
        "peut l'ajouter à la liste des participant·e·s."
    ),
    "invalid_status": _("Choisissez présent·e, en retard, excusé·e ou absent·e."),
    "slot_not_started": _(
        "Cette demi-journée n'a pas commencé : on ne peut pas encore marquer une présence."
    ),
    "reason_required": _("La demi-journée est terminée : indiquez le motif de la correction."),
    "reason_too_long": _("Le motif ne peut pas dépasser %(maximum)s caractères."),
    # Self check-in
    "checkin_closed": _(
        "L'émargement de cette demi-journée n'est pas ouvert : il n'est possible que pendant "
        "la demi-journée."
    ),
    "checkin_invalid": _(
        "Ce code d'émargement n'est pas valide. Vérifiez-le ou scannez à nouveau le QR code "
        "affiché par la formatrice ou le formateur."
    ),
    "checkin_expired": _(
        "Ce code d'émargement a expiré : il change toutes les minutes. Scannez le QR code "
        "ou saisissez le code affiché maintenant."
    ),
    "checkin_other_slot": _(
        "Ce code d'émargement est celui d'une autre demi-journée ou d'une autre session."
    ),
    # Signatures
    "certification_required": _(
        "Cochez « je certifie avoir été présent·e à cette demi-journée » pour signer."
    ),
    "signature_required": _("Signez dans le cadre ou saisissez votre nom."),
    "signature_invalid": _("La signature doit être une image PNG tracée dans le cadre."),
    "signature_empty": _("Le cadre de signature est vide : signez avant de valider."),
    "signature_too_large": _("L'image de la signature dépasse %(maximum)s Ko."),
    "typed_name_too_long": _("Le nom saisi ne peut pas dépasser %(maximum)s caractères."),
    "typed_name_invalid": _(
        "Le nom saisi contient un caractère invisible ou de contrôle, ou une lettre chargée "
        "de plus de deux accents : retapez-le au clavier."
    ),
    "not_checked_in": _(
        "Votre présence à cette demi-journée n'est pas enregistrée : émargez d'abord."
    ),
    "signing_closed": _("La signature de cette demi-journée est close."),
    "already_signed": _("Une formatrice ou un formateur a déjà signé cette demi-journée."),
    # Certificates of attendance
    "session_not_over": _("La session n'a pas encore eu lieu : elle ne peut pas être terminée."),
    "session_not_finished": _(
        "La session n'est pas terminée : les certificats de réalisation viendront ensuite."
    ),
    "no_attendance": _(
        "Cette personne n'a assisté à aucune demi-journée : pas de certificat de réalisation."
    ),
    "certificate_revoked": _(
        "Le certificat de réalisation de cette personne a été révoqué : il n'est pas réémis."
    ),
    "by_hand_reason_required": _("Indiquez pourquoi ce certificat est délivré à la main."),
    "signing_not_open": _(
        "Cette demi-journée n'a pas commencé : elle ne peut pas encore être signée."
    ),
}


class SessionError(Exception):
    """A refused session action. `code` is stable; `message` is for the person."""

    def __init__(self, code, **details):
        self.code = code
        self.details = details
        super().__init__(code)

    @property
    def message(self):
        message = MESSAGES.get(self.code, _("Action impossible."))
        if callable(message):
            return message(self.details)
        return str(message) % self.details if self.details else str(message)

    def __str__(self):
        return self.code
