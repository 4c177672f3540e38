"""Domain errors of the certificate services, each with a stable `code`."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "module_not_completed": _(
        "Ce module n'est pas terminé : aucun certificat ne peut être délivré."
    ),
    "already_issued": _("Un certificat est déjà en vigueur pour ce module."),
    "certificate_revoked": _("Ce certificat a été révoqué."),
    "certificate_replaced": _("Ce certificat a déjà été remplacé."),
    "holder_deleted": _("Le compte du ou de la titulaire a été supprimé."),
    "reason_required": _("Indiquez un motif."),
    "reason_too_long": _("Le motif ne doit pas dépasser 1000 caractères."),
}


class CertificateError(Exception):
    """A refused certificate action. `code` is stable; `message` is for people."""

    def __init__(self, code, **details):
        self.code = code
        self.details = details
        super().__init__(code)

    @property
    def message(self):
        return MESSAGES.get(self.code, _("Action impossible."))
